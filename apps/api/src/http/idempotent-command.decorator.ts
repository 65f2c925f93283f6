import { ApiHeader } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN, IDEMPOTENT_REPLAYED_HEADER } from './idempotency.interceptor';

/**
 * Documents, on a POST handler, the `Idempotency-Key` contract that the global
 * IdempotencyInterceptor enforces on every POST. Only the header: the 409 and 422 it can answer
 * are described here rather than as responses, so they never overwrite a handler's own 409.
 */
export function IdempotentCommand(): MethodDecorator & ClassDecorator {
  return ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: true,
    description: [
      'A unique value (e.g. a UUID) per command; send the same value when you retry.',
      `A retry of the same request within 24 hours gets the first answer (same status and body, with header \`${IDEMPOTENT_REPLAYED_HEADER}: true\`) and the command does not run again; refusals (4xx) are answered the same way.`,
      'A 5xx is not remembered: a retry with the same key runs the command again.',
      'Keys are per caller. 400 `/problems/idempotency-key-missing` or `/problems/idempotency-key-invalid`: the header is missing, or not a random token of 16–128 letters, digits, `-` and `_` (it is kept with the events, so never anything about a person).',
      '409 `/problems/idempotency-key-in-progress`: the first request with this key is still running; retry in a moment with the same key.',
      '422 `/problems/idempotency-key-reused`: the key was used for a different request; use a new key for a new command.',
    ].join(' '),
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
    example: '3f0c9a52-2b7e-4d8e-9a41-6c1d2e7b9f00',
  });
}
