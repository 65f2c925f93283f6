import { type ExecutionContext, Injectable } from '@nestjs/common';
import {
  type ThrottlerLimitDetail,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import type { AppConfig } from '@warm-handover/platform';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';

/** The two budgets: one per client address (before sign-in is even checked), one per signed-in subject. */
export const ADDRESS_THROTTLER = 'address';
export const SUBJECT_THROTTLER = 'subject';

/**
 * Fixed-window limits in memory per API process (@nestjs/throttler): RATE_LIMIT_PER_ADDRESS and
 * RATE_LIMIT_PER_SUBJECT requests per RATE_LIMIT_WINDOW_SECONDS. Generous by default: they stop a
 * runaway script or a flood, not a busy team.
 */
export function rateLimitOptions(config: AppConfig): ThrottlerModuleOptions {
  const ttl = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  return {
    // One budget over all routes, not one per route (the library's default key).
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    throttlers: [
      {
        name: ADDRESS_THROTTLER,
        ttl,
        limit: config.RATE_LIMIT_PER_ADDRESS,
        getTracker: (req) => (req as AuthenticatedRequest).ip ?? 'unknown',
      },
      {
        name: SUBJECT_THROTTLER,
        ttl,
        limit: config.RATE_LIMIT_PER_SUBJECT,
        getTracker: (req) => (req as AuthenticatedRequest).actor?.subject ?? '',
      },
    ],
  };
}

/** Answers a spent budget with 429 problem details and Retry-After (seconds until the window ends). */
abstract class ProblemThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly budget: string;

  protected override handleRequest(request: ThrottlerRequest): Promise<boolean> {
    if (request.throttler.name !== this.budget) return Promise.resolve(true);
    return super.handleRequest(request);
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context
      .switchToHttp()
      .getResponse<{ setHeader(n: string, v: string): void }>()
      .setHeader('Retry-After', String(retryAfter));
    const whose = this.budget === ADDRESS_THROTTLER ? 'this address' : 'you';
    throw new ProblemException({
      type: problemType('too-many-requests'),
      title: 'Too many requests',
      status: 429,
      detail: `More than ${detail.limit} requests in ${Math.round(detail.ttl / 1000)} seconds from ${whose}; wait ${retryAfter} seconds (Retry-After) and send it again.`,
    });
  }
}

/** Runs first, before the bearer-token guard: a flood of bad tokens is stopped by address. */
@Injectable()
export class AddressRateLimitGuard extends ProblemThrottlerGuard {
  protected readonly budget = ADDRESS_THROTTLER;
}

/** Runs after the bearer-token guard, when the subject is known; public routes have none and skip it. */
@Injectable()
export class SubjectRateLimitGuard extends ProblemThrottlerGuard {
  protected readonly budget = SUBJECT_THROTTLER;

  protected override handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const req = request.context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!req.actor) return Promise.resolve(true);
    return super.handleRequest(request);
  }
}
