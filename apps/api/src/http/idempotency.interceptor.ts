import { createHash } from 'node:crypto';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { catchError, concatMap, from, type Observable, of, switchMap, throwError } from 'rxjs';
import { IdempotencyStore } from '@warm-handover/persistence';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem-details';
import { ProblemException, toProblem } from './problem-details.filter';
import { IDEMPOTENT_BY_NATURE } from './idempotent-by-nature.decorator';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Set on a replayed answer, so a client (and whoever reads the logs) can tell it from a first one. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/**
 * 16–128 letters, digits, `-` and `_`: a UUID, a ULID or a random base64url token fits. The key
 * is kept with the command's events, so it must be a random token and nothing else: no `@` or
 * `.` (an e-mail address), no space (a name or a sentence), and too long for a BSN.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** Expired keys are ignored by the store anyway; deleting them only keeps the table small. */
const CLEANUP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Every POST is a command and must carry an `Idempotency-Key`. The first request with a key runs;
 * a retry with the same key and the same request gets the first answer (status and body) with
 * `Idempotent-Replayed: true`, and the command does not run again.
 *
 * - A success and a refusal (4xx) are final: the key answers the same forever (24 h).
 * - An unexpected failure (5xx), a timeout (408) or a rate limit (429) is forgotten, so a retry
 *   with the same key runs the command again.
 * - Keys are per caller (organisation + subject), so callers cannot collide or read each other's
 *   answers.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private nextCleanupAt = 0;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly logger: PinoLogger,
    private readonly reflector: Reflector,
  ) {
    logger.setContext(IdempotencyInterceptor.name);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (request.method !== 'POST') return next.handle();
    const response = http.getResponse<Response>();

    const key = request.header(IDEMPOTENCY_KEY_HEADER) ?? '';
    if (key === '' && this.reflector.get<boolean | undefined>(IDEMPOTENT_BY_NATURE, context.getHandler())) {
      return next.handle();
    }
    const invalid = invalidKeyProblem(key);
    if (invalid) return throwError(() => invalid);
    const scope = idempotencyScope(request);
    const fingerprint = requestFingerprint(request.method, request.originalUrl, request.body);

    return from(this.store.begin(scope, key, fingerprint)).pipe(
      switchMap((begun) => {
        switch (begun.kind) {
          case 'new':
            return this.run(next, request, response, scope, key);
          case 'replay':
            response.status(begun.status).setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
            if (begun.status >= 400) response.type(PROBLEM_CONTENT_TYPE);
            // An empty first answer (stored as null) is replayed as an empty body, as Nest sent it.
            return of(begun.body ?? undefined);
          case 'mismatch':
            return throwError(() => keyReusedProblem());
          case 'in-progress':
            response.setHeader('Retry-After', '1');
            return throwError(() => keyInProgressProblem());
        }
      }),
    );
  }

  private run(next: CallHandler, request: Request, response: Response, scope: string, key: string) {
    return next.handle().pipe(
      catchError((error: unknown) =>
        from(this.settleFailure(error, request, scope, key)).pipe(switchMap(() => throwError(() => error))),
      ),
      // Failing to store the answer leaves the key in progress: quick retries are told to wait
      // instead of running the command a second time, and after two minutes one may take over.
      concatMap(async (body: unknown) => {
        // Nest sets the route's status (201 for POST, or @HttpCode) before the handler runs;
        // a handler may change it, so it is read afterwards.
        await this.store.complete(scope, key, response.statusCode, body);
        this.cleanUpNowAndThen();
        return body;
      }),
    );
  }

  /** A refusal stays the answer for this key; a failure worth retrying is forgotten. */
  private async settleFailure(error: unknown, request: Request, scope: string, key: string): Promise<void> {
    const problem = toProblem(error, request.originalUrl);
    try {
      if (isFinal(problem.status)) await this.store.complete(scope, key, problem.status, problem);
      else await this.store.abandon(scope, key);
    } catch (storeError) {
      // The caller gets the handler's error either way; the key frees itself after two minutes.
      this.logger.warn({ err: storeError }, 'could not record the outcome of an idempotent request');
    }
  }

  private cleanUpNowAndThen(): void {
    const now = Date.now();
    if (now < this.nextCleanupAt) return;
    this.nextCleanupAt = now + CLEANUP_INTERVAL_MS;
    void this.store
      .deleteExpired()
      .then((deleted) => this.logger.debug({ deleted }, 'deleted expired idempotency keys'))
      .catch((err: unknown) => this.logger.warn({ err }, 'could not delete expired idempotency keys'));
  }
}

/** 4xx refusals are answers; 408 and 429 only say "not now", like 5xx. */
function isFinal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * Whose keys these are. The auth guard sets `request.actor`; without it (no guard on the route)
 * all callers share one scope.
 */
export function idempotencyScope(request: Request): string {
  const actor = (request as { actor?: { subject: string; organisation: string } }).actor;
  // JSON keeps the two parts apart whatever characters they contain.
  return actor ? JSON.stringify([actor.organisation, actor.subject]) : 'anonymous';
}

/**
 * sha256 of method, path with query, and the body as JSON with object keys sorted at every level,
 * so a client that serialises the same command with its keys in another order is not refused.
 */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([method.toUpperCase(), url, canonical(body ?? null)]))
    .digest('hex');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

function invalidKeyProblem(key: string): ProblemException | undefined {
  if (key === '') {
    return new ProblemException({
      type: problemType('idempotency-key-missing'),
      title: 'Idempotency-Key header missing',
      status: 400,
      detail:
        'Every command needs an idempotency key: send an Idempotency-Key header with a unique value (e.g. a UUID) per command; send the same value when you retry.',
    });
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    return new ProblemException({
      type: problemType('idempotency-key-invalid'),
      title: 'Idempotency-Key not valid',
      status: 400,
      detail:
        'The Idempotency-Key must be a random token of 16 to 128 letters, digits, - and _ (e.g. a UUID), never anything about a person: send a unique value per command; send the same value when you retry.',
    });
  }
  return undefined;
}

function keyReusedProblem(): ProblemException {
  return new ProblemException({
    type: problemType('idempotency-key-reused'),
    title: 'Idempotency-Key reused',
    status: 422,
    detail: 'This Idempotency-Key was used for a different request; use a new key for a new command.',
  });
}

function keyInProgressProblem(): ProblemException {
  return new ProblemException({
    type: problemType('idempotency-key-in-progress'),
    title: 'Request with this Idempotency-Key still running',
    status: 409,
    detail: 'The first request with this key is still running; retry in a moment with the same key.',
  });
}
