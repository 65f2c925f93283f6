import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '@warm-handover/contracts';

/** A request the bearer-token guard has let through: it carries who is calling. */
export interface AuthenticatedRequest extends Request {
  actor?: Actor;
  /** Set when the actor comes from a browser session rather than a bearer token. */
  sessionExpiresAt?: Date;
}

/** The actor of the request, as proven by its bearer token (see BearerTokenGuard). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  // Only reachable by a programming error: @CurrentActor() on a @Public() route.
  if (!actor) throw new Error('@CurrentActor() used on a route without an authenticated actor (is it @Public()?)');
  return actor;
});
