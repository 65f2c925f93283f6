import type { FamilyActivities, NewEvent, RecordedEvent } from '@warm-handover/contracts';
import {
  CommandRefused,
  DEFAULT_FAMILY_POLICY,
  deadlineAt,
  decideFamilyDeadlines,
  type FamilyEscalated,
  familyContextOf,
  familyStreamId,
  foldFamilyFacts,
  interpretDeadline,
  nextFamilyWake,
} from '@warm-handover/domain';
import type { AppendOptions } from '@warm-handover/persistence';
import { deterministicUuid } from '@warm-handover/platform';

/** What the family's tick needs of the event store (the real one, or an in-memory one in workflow tests). */
export interface FamilyStore {
  readCase(caseId: string): Promise<readonly RecordedEvent[]>;
  append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<unknown>;
}

const SYSTEM_ACTOR = { subject: 'system:deadline-timer', organisation: 'warm-handover', role: 'system' } as const;
/** Attempts when a re-assessment or result lands between reading the case and appending. */
const ATTEMPTS = 3;

const deps = {
  calendar: (from: string, spec: number | string) => deadlineAt(new Date(from), interpretDeadline(spec)).toISOString(),
  policy: DEFAULT_FAMILY_POLICY,
};

/** I/O of the family workflow: read the case, record what the decider says is due. */
export function createFamilyActivities(store: FamilyStore): FamilyActivities {
  const due = (caseId: string, events: readonly RecordedEvent[], now: string): FamilyEscalated[] =>
    decideFamilyDeadlines(foldFamilyFacts(events), familyContextOf(caseId, events, now), deps, now);

  return {
    async familyTick({ caseId, now }) {
      for (let attempt = 1; ; attempt++) {
        const events = await store.readCase(caseId);
        const escalations = due(caseId, events, now);
        if (escalations.length === 0) return next(events, 0);
        const toStore: NewEvent[] = escalations.map((e) => ({
          // Derived from what it is about and the rung: a retried tick appends the same ids, stored once.
          eventId: deterministicUuid(
            'family-escalation',
            caseId,
            e.data.reason,
            e.data.subjectId,
            e.data.organisations.join(','),
            String(e.data.level),
          ),
          type: e.type,
          data: e.data,
          metadata: { actor: SYSTEM_ACTOR, correlationId: `family-${caseId}`, caseId },
        }));
        try {
          await store.append(familyStreamId(caseId), toStore, {
            guard: {
              caseId,
              check: (fresh) => {
                // Decided again on the case as it stands under the lock: a re-assessment recorded
                // in between means this escalation is no longer due.
                if (JSON.stringify(due(caseId, fresh, now)) !== JSON.stringify(escalations))
                  throw new CommandRefused('wrong-state', 'the family changed while its escalations were decided');
              },
            },
          });
          return next([...events, ...(toStore as RecordedEvent[])], escalations.length);
        } catch (error) {
          if (!(error instanceof CommandRefused) || attempt >= ATTEMPTS) throw error;
        }
      }
    },
  };
}

function next(events: readonly { type: string; data: unknown }[], escalated: number) {
  const nextWakeAt = nextFamilyWake(foldFamilyFacts(events));
  return { escalated, ...(nextWakeAt ? { nextWakeAt } : {}) };
}
