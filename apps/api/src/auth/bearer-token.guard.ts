import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@warm-handover/platform';
import type { AuthenticatedRequest } from './current-actor.decorator';
import { IS_PUBLIC } from './public.decorator';
import { InvalidTokenError, TOKEN_HELP, verifyToken } from './tokens';

/**
 * Registered globally: every route needs `Authorization: Bearer <jwt>` unless marked @Public().
 * The actor it proves is put on the request for @CurrentActor(). Refusals are 401 problem
 * details (ProblemDetailsFilter) whose detail says how to get a valid token.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerTokenOf(request.headers.authorization);
    try {
      request.actor = await verifyToken(token, this.config.JWT_SECRET);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(error.message);
      throw error;
    }
    return true;
  }
}

function bearerTokenOf(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw new UnauthorizedException(`No bearer token: send \`Authorization: Bearer <token>\`; ${TOKEN_HELP}`);
  }
  const match = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header);
  if (!match?.[1]) {
    // The header is not echoed: it may hold a token sent without its scheme.
    throw new UnauthorizedException(`The Authorization header is not \`Bearer <token>\`; ${TOKEN_HELP}`);
  }
  return match[1];
}
