import { ApplicationFailure } from '@temporalio/activity';
import { commandRefusedFailure, type HandoverActivities } from '@warm-handover/contracts';
import {
  admitHandover,
  CommandRefused,
  deadlineAt,
  foldCaseFacts,
  followUpResolved,
  interpretDeadline,
} from '@warm-handover/domain';
import { ConcurrencyConflictError, type EventStore } from '@warm-handover/persistence';

/**
 * I/O for the handover workflow. Every activity is idempotent: retries of recordEvents carry
 * the same event ids, deadlineAt is arithmetic, followUpResolved only reads.
 */
export function createHandoverActivities(store: EventStore): HandoverActivities {
  return {
    deadlineAt({ from, spec }) {
      return Promise.resolve(deadlineAt(new Date(from), interpretDeadline(spec)).toISOString());
    },

    async recordEvents({ streamId, expectedVersion, events, admission }) {
      try {
        const result = await store.append(streamId, events, {
          expectedVersion,
          ...(admission
            ? {
                guard: {
                  caseId: admission.caseId,
                  check: (caseEvents) => admitHandover(admission, foldCaseFacts(caseEvents)),
                },
              }
            : {}),
        });
        return result.nextVersion;
      } catch (error) {
        if (error instanceof CommandRefused) {
          // The case changed between the API's check and this append (a race for one child):
          // the refusal goes back to the caller as any decider's would, never retried.
          throw commandRefusedFailure(error);
        }
        if (error instanceof ConcurrencyConflictError) {
          // The workflow is the stream's only writer; another writer is a bug worth stopping for.
          throw ApplicationFailure.nonRetryable(error.message, 'ConcurrencyConflictError');
        }
        // PostgreSQL's data exceptions (SQLSTATE class 22, e.g. a NUL in text) never succeed on a
        // retry; failing at once answers the command instead of blocking the workflow.
        const sqlState = (error as { driverError?: { code?: unknown } }).driverError?.code;
        if (typeof sqlState === 'string' && sqlState.startsWith('22')) {
          throw ApplicationFailure.nonRetryable(
            `the events cannot be stored: ${(error as Error).message}`,
            'InvalidEventData',
          );
        }
        throw error;
      }
    },

    async followUpResolved({ caseId, handoverId }) {
      return followUpResolved(foldCaseFacts(await store.readCase(caseId)), handoverId);
    },
  };
}
