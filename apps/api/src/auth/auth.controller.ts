import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '@warm-handover/contracts';
import { IdempotentByNature } from '../http/idempotent-by-nature.decorator';
import { BrowserSessions } from './browser-sessions';
import { type AuthenticatedRequest, CurrentActor } from './current-actor.decorator';
import { Public } from './public.decorator';

/** Browser sign-in (see BrowserSessions); API clients send bearer tokens instead. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly sessions: BrowserSessions) {}

  @Public()
  @Get('login')
  @ApiOperation({ summary: 'Sign in through your organisation’s identity provider (redirects there)' })
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
