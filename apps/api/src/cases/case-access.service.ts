import { Injectable } from '@nestjs/common';
import type { Actor, RecordedEvent } from '@warm-handover/contracts';
import {
  type CaseFacts,
  caseAccessRole,
  caseNotFound,
  foldCaseFacts,
  handoverStreamId,
  leadStreamId,
  meldingStreamId,
  safetyAgreementStreamId,
} from '@warm-handover/domain';
import { EventStore } from '@warm-handover/persistence';
import { refusalProblem } from '../temporal/workflow-commands';

export interface CaseView {
  readonly caseId: string;
  /** The case's events, in recorded order. */
  readonly events: readonly RecordedEvent[];
  readonly facts: CaseFacts;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The one place where access to a case is checked, for every route that reads or changes one:
 * its parties (see CaseFacts: the organisation that opened it, senders and receivers of its
 * handovers, organisations named in its lead negotiations or involved by a party, the
 * municipality told of a lead mismatch) read and act; inspectors read only; anyone else gets the
 * 404 a case that does not exist gets, so existence does not leak. The rule itself is the case
 * decider's `caseAccessRole`. Every read is recorded by the ReadAccessLogInterceptor, refused
 * ones included.
 */
@Injectable()
export class CaseAccess {
  constructor(private readonly store: EventStore) {}

  /** The case, if the actor may read it (party or inspector); else a 404 problem. */
  async read(actor: Actor, caseId: string): Promise<CaseView> {
    const view = await this.load(caseId);
    if (caseAccessRole(actor, view.facts) === 'none') throw notFound(caseId);
    return view;
  }

  /**
   * The cases of a list the actor may read, read in one go (one query for all of them): the same
   * rule as `read`, but a case the actor may not read is left out rather than refused.
   */
  async readMany(actor: Actor, caseIds: readonly string[]): Promise<CaseView[]> {
    const byCase = await this.store.readCases(caseIds);
    return [...byCase].flatMap(([caseId, events]) => {
      const view = { caseId, events, facts: foldCaseFacts(events) };
      return caseAccessRole(actor, view.facts) === 'none' ? [] : [view];
    });
  }

  /** The case, if the actor's organisation is a party that may act on it; else a 404 problem. */
  async actAs(actor: Actor, caseId: string): Promise<CaseView> {
    const view = await this.load(caseId);
    if (caseAccessRole(actor, view.facts) !== 'party') throw notFound(caseId);
    return view;
  }

  /** The case's events in recorded order, if the actor may read it. */
  async caseEvents(actor: Actor, caseId: string): Promise<RecordedEvent[]> {
    return [...(await this.read(actor, caseId)).events];
  }

  /** A handover's own events and its case, if the actor may read the case; 404 otherwise. */
  async handover(
    actor: Actor,
    handoverId: string,
    need: 'read' | 'act' = 'read',
  ): Promise<{ events: RecordedEvent[]; case: CaseView }> {
    return this.streamOfCase(actor, handoverId, handoverStreamId, need, 'handover', 'GET /handovers lists yours');
  }

  /** A lead negotiation's own events and its case, if the actor may read the case; 404 otherwise. */
  async negotiation(
    actor: Actor,
    negotiationId: string,
    need: 'read' | 'act' = 'read',
  ): Promise<{ events: RecordedEvent[]; case: CaseView }> {
    return this.streamOfCase(
      actor,
      negotiationId,
      leadStreamId,
      need,
      'lead negotiation',
      'GET /cases/{caseId}/leads names the case’s negotiations',
    );
  }

  /** A safety agreement's own events and its case, if the actor may read the case; 404 otherwise. */
  async safetyAgreement(
    actor: Actor,
    agreementId: string,
    need: 'read' | 'act' = 'read',
  ): Promise<{ events: RecordedEvent[]; case: CaseView }> {
    return this.streamOfCase(
      actor,
      agreementId,
      safetyAgreementStreamId,
      need,
      'safety agreement',
      'GET /cases/{caseId}/safety-agreements lists a case’s agreements',
    );
  }

  /** A report to Veilig Thuis (melding) and its case, if the actor may read the case; 404 otherwise. */
  async melding(
    actor: Actor,
    meldingId: string,
    need: 'read' | 'act' = 'read',
  ): Promise<{ events: RecordedEvent[]; case: CaseView }> {
    return this.streamOfCase(
      actor,
      meldingId,
      meldingStreamId,
      need,
      'report (melding)',
      'GET /cases/{caseId}/meldingen lists a case’s reports',
    );
  }

  private async streamOfCase(
    actor: Actor,
    id: string,
    streamOf: (id: string) => string,
    need: 'read' | 'act',
    what: string,
    hint: string,
  ): Promise<{ events: RecordedEvent[]; case: CaseView }> {
    const events = UUID.test(id) ? await this.store.readStream(streamOf(id)) : [];
    const caseId = events[0]?.metadata.caseId;
    const view = caseId ? await this.load(caseId) : undefined;
    const role = view ? caseAccessRole(actor, view.facts) : 'none';
    if (!view || role === 'none' || (need === 'act' && role !== 'party')) {
      throw refusalProblem(
        { code: 'not-found' },
        `No ${what} ${id} in a case that your organisation takes part in. Check the id; ${hint}.`,
      );
    }
    return { events, case: view };
  }

  private async load(caseId: string): Promise<CaseView> {
    const events = await this.store.readCase(caseId);
    return { caseId, events, facts: foldCaseFacts(events) };
  }
}

function notFound(caseId: string): Error {
  return refusalProblem({ code: 'not-found' }, caseNotFound(caseId).message);
}
