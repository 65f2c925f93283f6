import type { HandoverEvent } from '../handover/handover.events';
import type { LeadNegotiationOpened, LeadRegionMismatch } from '../lead/lead.events';
import type { CaseOwnEvent, InvolvementReason } from './case.events';

/**
 * What a case is, as far as its integrity rules need it (R1, R2, need-to-know): its parties, its
 * children and who is responsible for each of them over time, its handovers and which child is in
 * which open handover. Folded from the case's events in recorded order; pure.
 *
 * The case deciders decide on these facts, the API's access check reads the parties, and the
 * responsibility answers, the case state, the report and the notices read the children's
 * periods: one fold, one answer.
 */

/** How an organisation became a party of the case. */
export type PartyBasis =
  | 'opened-the-case'
  | 'sent-a-handover'
  | 'received-a-handover'
  | 'named-in-a-lead-negotiation'
  | 'involved-by-a-party'
  | 'told-of-a-lead-mismatch';

export interface CaseParty {
  readonly organisation: string;
  /** Effective time it became a party. */
  readonly since: string;
  readonly bases: readonly PartyBasis[];
  /** Set when a party involved it with a reason code. */
  readonly reasons?: readonly InvolvementReason[];
}

/** One period in which one organisation was responsible for one child. */
export interface ChildResponsibilityPeriod {
  readonly organisation: string;
  /** Effective time: when the case was opened or the child added or first handed over, or when care started. */
  readonly since: string;
  readonly until?: string;
  readonly reason: 'opened-the-case' | 'added-by-a-party' | 'first-known-as-sender' | 'care-started-after-handover';
  /** The handover that made it known or moved it, where one did. */
  readonly handoverId?: string;
}

export interface CaseChild {
  readonly childId: string;
  readonly knownSince: string;
  /** In order; each ends where the next begins, the last is open. Never empty. */
  readonly periods: readonly ChildResponsibilityPeriod[];
}

export type CaseHandoverStatus = 'open' | 'started' | 'rejected' | 'withdrawn';

export interface CaseHandover {
  readonly handoverId: string;
  readonly fromOrg: string;
  readonly toOrg: string;
  readonly childIds: readonly string[];
  readonly requestedAt: string;
  readonly status: CaseHandoverStatus;
  readonly closedAt?: string;
  /** For a rejected or withdrawn handover: the sender recorded that it keeps the children. */
  readonly keptBySender?: boolean;
}

export interface CaseFacts {
  /** False for a case id nothing was ever recorded for. */
  readonly known: boolean;
  readonly knownSince?: string;
  readonly parties: ReadonlyMap<string, CaseParty>;
  readonly children: ReadonlyMap<string, CaseChild>;
  readonly handovers: ReadonlyMap<string, CaseHandover>;
  /** Child id → the one open handover it is in. */
  readonly openHandoverOfChild: ReadonlyMap<string, string>;
}

interface FactEvent {
  readonly type: string;
  readonly data: unknown;
}

type Known = HandoverEvent | CaseOwnEvent | LeadNegotiationOpened | LeadRegionMismatch;

export function foldCaseFacts(events: readonly FactEvent[]): CaseFacts {
  const parties = new Map<string, CaseParty>();
  const children = new Map<string, CaseChild>();
  const handovers = new Map<string, CaseHandover>();
  const openHandoverOfChild = new Map<string, string>();
  let knownSince: string | undefined;

  const party = (organisation: string, since: string, basis: PartyBasis, reason?: InvolvementReason) => {
    const current = parties.get(organisation);
    const bases = current?.bases.includes(basis) ? current.bases : [...(current?.bases ?? []), basis];
    const reasons = reason ? [...new Set([...(current?.reasons ?? []), reason])] : current?.reasons;
    parties.set(organisation, {
      organisation,
      since: current?.since ?? since,
      bases,
      ...(reasons ? { reasons } : {}),
    });
  };
  const becomeKnown = (childId: string, period: ChildResponsibilityPeriod) => {
    if (children.has(childId)) return;
    children.set(childId, { childId, knownSince: period.since, periods: [period] });
  };
  const touch = (at: string) => {
    knownSince ??= at;
  };

  for (const raw of events) {
    const event = raw as Known;
    switch (event.type) {
      case 'CaseOpened': {
        const d = event.data;
        touch(d.openedAt);
        party(d.openedBy, d.openedAt, 'opened-the-case');
        for (const childId of d.childIds)
          becomeKnown(childId, { organisation: d.openedBy, since: d.openedAt, reason: 'opened-the-case' });
        break;
      }
      case 'ChildrenAdded': {
        const d = event.data;
        for (const childId of d.childIds)
          becomeKnown(childId, { organisation: d.responsibleOrg, since: d.addedAt, reason: 'added-by-a-party' });
        break;
      }
      case 'PartyInvolved':
        party(event.data.organisation, event.data.involvedAt, 'involved-by-a-party', event.data.reason);
        break;
      case 'HandoverRequested': {
        const d = event.data;
        touch(d.requestedAt);
        party(d.fromOrg, d.requestedAt, 'sent-a-handover');
        party(d.toOrg, d.requestedAt, 'received-a-handover');
        for (const childId of d.childIds) {
          becomeKnown(childId, {
            organisation: d.fromOrg,
            since: d.requestedAt,
            reason: 'first-known-as-sender',
            handoverId: d.handoverId,
          });
          openHandoverOfChild.set(childId, d.handoverId);
        }
        handovers.set(d.handoverId, {
          handoverId: d.handoverId,
          fromOrg: d.fromOrg,
          toOrg: d.toOrg,
          childIds: d.childIds,
          requestedAt: d.requestedAt,
          status: 'open',
        });
        break;
      }
      case 'HandoverStarted': {
        const d = event.data;
        const handover = handovers.get(d.handoverId);
        if (!handover) break;
        handovers.set(d.handoverId, { ...handover, status: 'started', closedAt: d.startedAt });
        for (const childId of handover.childIds) {
          const child = children.get(childId);
          if (openHandoverOfChild.get(childId) === d.handoverId) openHandoverOfChild.delete(childId);
          if (!child) continue;
          const last = child.periods[child.periods.length - 1]!;
          children.set(childId, {
            ...child,
            periods: [
              ...child.periods.slice(0, -1),
              { ...last, until: d.startedAt },
              {
                organisation: d.toOrg,
                since: d.startedAt,
                reason: 'care-started-after-handover',
                handoverId: d.handoverId,
              },
            ],
          });
        }
        break;
      }
      case 'HandoverRejected':
      case 'HandoverWithdrawn': {
        const d = event.data;
        const handover = handovers.get(d.handoverId);
        if (!handover) break;
        const closedAt = event.type === 'HandoverRejected' ? event.data.rejectedAt : event.data.withdrawnAt;
        handovers.set(d.handoverId, {
          ...handover,
          status: event.type === 'HandoverRejected' ? 'rejected' : 'withdrawn',
          closedAt,
        });
        for (const childId of handover.childIds)
          if (openHandoverOfChild.get(childId) === d.handoverId) openHandoverOfChild.delete(childId);
        break;
      }
      case 'CaseKeptBySender': {
        const handover = handovers.get(event.data.handoverId);
        if (handover) handovers.set(handover.handoverId, { ...handover, keptBySender: true });
        break;
      }
      case 'LeadNegotiationOpened':
        touch(event.data.openedAt);
        for (const organisation of event.data.parties)
          party(organisation, event.data.openedAt, 'named-in-a-lead-negotiation');
        break;
      case 'LeadRegionMismatch':
        for (const recipient of event.data.recipients)
          party(recipient.organisation, event.data.detectedAt, 'told-of-a-lead-mismatch');
        break;
      case 'HandoverReceived':
      case 'HandoverAccepted':
      case 'HandoverContactFailed':
      case 'HandoverEscalated':
        break;
      default:
        // Events of other kinds (lead steps, notices, later additions) change no fact here.
        break;
    }
  }
  return {
    known: knownSince !== undefined,
    ...(knownSince ? { knownSince } : {}),
    parties,
    children,
    handovers,
    openHandoverOfChild,
  };
}

/** The organisation responsible for a child now (its last period), if the child is known. */
export function responsibleNow(facts: CaseFacts, childId: string): string | undefined {
  const periods = facts.children.get(childId)?.periods;
  return periods?.[periods.length - 1]?.organisation;
}

/**
 * The period in force for a child at `at` (effective time), or undefined before the child was
 * known. From then on there is always exactly one (R2).
 */
export function childResponsibleAt(child: CaseChild, at: string): ChildResponsibilityPeriod | undefined {
  const t = Date.parse(at);
  let found: ChildResponsibilityPeriod | undefined;
  for (const period of child.periods) if (Date.parse(period.since) <= t) found = period;
  return found;
}

export interface ChildResponsibility {
  readonly childId: string;
  readonly responsible: ChildResponsibilityPeriod;
  readonly periods: readonly ChildResponsibilityPeriod[];
}

/** Every child known at `at`, with who was responsible for it then; children in the order they became known. */
export function responsibilityByChildAt(facts: CaseFacts, at: string): ChildResponsibility[] {
  const answer: ChildResponsibility[] = [];
  for (const child of facts.children.values()) {
    const responsible = childResponsibleAt(child, at);
    if (responsible) answer.push({ childId: child.childId, responsible, periods: child.periods });
  }
  return answer;
}

/**
 * When every child has the same organisation responsible, that organisation's period (the latest
 * `since` of them: from then on it held them all); undefined with no children or when they differ.
 */
export function sharedResponsibility(children: readonly ChildResponsibility[]): ChildResponsibilityPeriod | undefined {
  const first = children[0];
  if (!first || children.some((c) => c.responsible.organisation !== first.responsible.organisation)) return undefined;
  return children
    .map((c) => c.responsible)
    .reduce((latest, p) => (Date.parse(p.since) > Date.parse(latest.since) ? p : latest));
}

/** The organisations responsible now for the given children (or all children), each once. */
export function responsibleOrganisationsNow(facts: CaseFacts, childIds?: readonly string[]): string[] {
  const ids = childIds ?? [...facts.children.keys()];
  return [...new Set(ids.map((id) => responsibleNow(facts, id)).filter((o): o is string => o !== undefined))];
}

/**
 * After a rejection or withdrawal the sender must decide (R2a): keep the children, or hand them
 * over anew. Resolved when the sender recorded that it keeps them, or when every child of the
 * handover was in a handover requested after this one closed (that one has its own follow-up).
 */
export function followUpResolved(facts: CaseFacts, handoverId: string): boolean {
  const handover = facts.handovers.get(handoverId);
  if (!handover || handover.status === 'open' || handover.status === 'started') return true;
  if (handover.keptBySender) return true;
  const closedAt = Date.parse(handover.closedAt ?? handover.requestedAt);
  const later = [...facts.handovers.values()].filter(
    (h) => h.handoverId !== handoverId && Date.parse(h.requestedAt) >= closedAt,
  );
  return handover.childIds.every((childId) => later.some((h) => h.childIds.includes(childId)));
}
