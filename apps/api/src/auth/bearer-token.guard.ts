import { type CanActivate, type ExecutionContext, Injectable, Optional, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { AccessTokenVerifier, IssuerUnavailableError, SIGN_IN_HELP } from './access-token.verifier';
import { BrowserSessions, cookieOf, SESSION_COOKIE } from './browser-sessions';
import type { AuthenticatedRequest } from './current-actor.decorator';
import { IS_PUBLIC } from './public.decorator';
import { InvalidTokenError } from './tokens';

/**
 * Registered globally: every route needs `Authorization: Bearer <jwt>` of a trusted issuer, or
 * the session cookie of a browser sign-in, unless marked @Public(). The actor it proves is put on
 * the request for @CurrentActor(). Refusals are 401 problem details (ProblemDetailsFilter) whose
 * detail says how to get a valid token; an identity provider that cannot be reached is a 503.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
    @Optional() private readonly sessions?: BrowserSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if ((header === undefined || header.trim() === '') && this.sessions && cookieOf(request, SESSION_COOKIE)) {
      const session = await this.sessions.sessionOf(request);
      if (!session) {
        throw new UnauthorizedException(
          'Your session has ended (signed out, idle too long or past its lifetime); sign in again at GET /auth/login',
        );
      }
      request.actor = session.actor;
      request.sessionExpiresAt = session.expiresAt;
      return true;
    }
    const token = bearerTokenOf(header);
    try {
      request.actor = (await this.verifier.verify(token)).actor;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(error.message);
      if (error instanceof IssuerUnavailableError) {
        throw new ProblemException({
          type: problemType('identity-provider-unavailable'),
          title: 'Identity provider unavailable',
          status: 503,
          detail: error.message,
        });
      }
      throw error;
    }
    return true;
  }
}

function bearerTokenOf(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw new UnauthorizedException(
      `No bearer token: send \`Authorization: Bearer <token>\`, or sign in with a browser at GET /auth/login; ${SIGN_IN_HELP}`,
    );
  }
  const match = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header);
  if (!match?.[1]) {
    // The header is not echoed: it may hold a token sent without its scheme.
    throw new UnauthorizedException(`The Authorization header is not \`Bearer <token>\`; ${SIGN_IN_HELP}`);
  }
  return match[1];
}
