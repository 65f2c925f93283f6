import { randomUUID } from 'node:crypto';

/** Correlation id (the caller's X-Request-Id, else a new one) and Idempotency-Key of a command request. */
export function requestMeta(headers: Record<string, string | undefined>): {
  correlationId: string;
  idempotencyKey?: string;
} {
  return {
    correlationId: headers['x-request-id'] ?? randomUUID(),
    ...(headers['idempotency-key'] ? { idempotencyKey: headers['idempotency-key'] } : {}),
  };
}
