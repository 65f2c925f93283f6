/** The stream moved on since the caller read it; re-read the stream and decide again. */
export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      `stream ${streamId} is at version ${actualVersion}, not the expected ${expectedVersion}; re-read the stream and retry`,
    );
  }
}

/**
 * Some, but not all, of the event ids in an append were stored before, or an id was stored in
 * another stream. A retry must send exactly the same events as the first attempt.
 */
export class IdempotencyMismatchError extends Error {
  override readonly name = 'IdempotencyMismatchError';
  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super(
      `append to ${streamId} repeats event ids ${eventIds.join(', ')} but not the whole earlier append; a retry must resend the same events`,
    );
  }
}
