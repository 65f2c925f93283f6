import { Injectable } from '@nestjs/common';
import type { Actor, RecordedEvent } from '@warm-handover/contracts';
import { EventStore } from '@warm-handover/persistence';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';

/**
 * Who may read a case: the organisations that take part in it (a handover's sender or receiver,
 * a lead negotiation's parties) and inspectors, read-only (R10). Everyone else gets a 404, the
 * same answer as for a case that does not exist, so existence does not leak. Every case read
 * goes through here; the ReadAccessLogInterceptor records each one, allowed or denied.
 */
@Injectable()
export class CaseAccess {
  constructor(private readonly store: EventStore) {}

  /** The case's events, in recorded order, if the actor may read the case; else a 404 problem. */
  async caseEvents(actor: Actor, caseId: string): Promise<RecordedEvent[]> {
    const events = await this.store.readCase(caseId);
    const parties = partiesOf(events);
    if (parties.size === 0 || (!parties.has(actor.organisation) && actor.role !== 'inspector')) {
      throw new ProblemException({
        type: problemType('not-found'),
        title: 'Not found',
        status: 404,
        detail: `No case ${caseId} that your organisation takes part in. Check the case id.`,
      });
    }
    return events;
  }
}

function partiesOf(events: readonly RecordedEvent[]): Set<string> {
  return new Set(
    events.flatMap((e) => {
      const d = e.data as { fromOrg?: string; toOrg?: string; parties?: string[] };
      if (e.type === 'HandoverRequested') return [d.fromOrg!, d.toOrg!];
      if (e.type === 'LeadNegotiationOpened') return d.parties ?? [];
      return [];
    }),
  );
}
