import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '@warm-handover/contracts';
import { IdempotentByNature } from '../http/idempotent-by-nature.decorator';
import { BrowserSessions, RETURN_TO_MAX_LENGTH, RETURN_TO_PATTERN } from './browser-sessions';
import { type AuthenticatedRequest, CurrentActor } from './current-actor.decorator';
import { Public } from './public.decorator';
import { ApiAnswer } from '../openapi/answers';
import { ApiProblems } from '../openapi/problem-responses';

/** Browser sign-in (see BrowserSessions); API clients send bearer tokens instead. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly sessions: BrowserSessions) {}

  @Public()
  @Get('login')
  @ApiResponse({
    status: 302,
    description: 'To the identity provider',
    headers: { Location: { description: 'The provider’s authorization endpoint', schema: { type: 'string' } } },
  })
  @ApiProblems({
    400: 'returnTo is not a path of this API, or issuer names no entry with a sign-in client',
    404: 'No identity provider is configured for browser sign-in',
  })
  @ApiOperation({ summary: 'Sign in through your organisation’s identity provider (redirects there)' })
  @ApiQuery({
    name: 'returnTo',
    required: false,
    schema: { type: 'string', pattern: RETURN_TO_PATTERN, maxLength: RETURN_TO_MAX_LENGTH },
    description: 'A path of this API to come back to after sign-in (default /auth/session)',
  })
  // Its enum, the names of the OIDC_ISSUERS entries with a sign-in client, is this deployment's:
  // buildOpenApiDocument fills it in.
  @ApiQuery({
    name: 'issuer',
    required: false,
    schema: { type: 'string' },
    description: 'Which identity provider to sign in with; may be left out when there is only one',
  })
  async login(
    @Res() response: Response,
    @Query('returnTo') returnTo?: string,
    @Query('issuer') issuer?: string,
  ): Promise<void> {
    const url = await this.sessions.startLogin(response, {
      ...(typeof returnTo === 'string' ? { returnTo } : {}),
      ...(typeof issuer === 'string' ? { issuer } : {}),
    });
    response.setHeader('cache-control', 'no-store');
    response.redirect(302, url);
  }

  @Public()
  @Get('callback')
  @ApiResponse({
    status: 303,
    description: 'Back to where sign-in started, with the session cookie',
    headers: { Location: { description: 'The returnTo path', schema: { type: 'string' } } },
  })
  @ApiProblems({
    400: 'No sign-in was started in this browser, or the answer of the provider does not fit it',
    401: 'The sign-in expired, or the provider’s answer was refused',
    403: 'Signed in, but the access token is not one this API accepts',
    404: 'No identity provider is configured for browser sign-in',
  })
  @ApiOperation({ summary: 'Where the identity provider sends the browser back; starts the session' })
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const returnTo = await this.sessions.finishLogin(request, response);
    response.setHeader('cache-control', 'no-store');
    response.redirect(303, returnTo);
  }

  @Public()
  @IdempotentByNature()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the browser session (and clear its cookie)' })
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.sessions.end(request, response);
  }

  @Get('session')
  @ApiBearerAuth()
  @ApiAnswer(200, 'SessionAnswer', 'Who is signed in')
  @ApiOperation({ summary: 'Who is signed in: pseudonymous subject, organisation, role' })
  session(
    @CurrentActor() actor: Actor,
    @Req() request: AuthenticatedRequest,
  ): Actor & { via: 'session' | 'bearer-token'; expiresAt?: string } {
    return {
      subject: actor.subject,
      organisation: actor.organisation,
      role: actor.role,
      via: request.sessionExpiresAt ? 'session' : 'bearer-token',
      ...(request.sessionExpiresAt ? { expiresAt: request.sessionExpiresAt.toISOString() } : {}),
    };
  }
}
