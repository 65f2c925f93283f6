import type { Actor } from '@warm-handover/contracts';
import type { CaseState, EscalationLevel, HandoverView, UnresolvedFollowUp } from '@warm-handover/domain';

/** What a person has to do, or to watch, on "Mijn werk". */
export type WorkItemKind =
  /** A handover to my organisation: receive, accept, confirm start, reject, report failed contact. */
  | 'incoming'
  /** A handover my organisation sent that waits on the receiver (R1: we stay responsible). */
  | 'sent'
  /** A rejected or withdrawn handover of ours that needs a decision (R2a). */
  | 'decision'
  /** A lead negotiation that waits on my organisation's answer (R4). */
  | 'lead'
  /** An escalation notice addressed to my rung in my organisation (R3). */
  | 'escalation';

export interface WorkItem {
  readonly kind: WorkItemKind;
  readonly caseId: string;
  readonly handoverId?: string;
  readonly negotiationId?: string;
  readonly noticeId?: string;
  /** The other organisation (receiver, sender), or the chain of a negotiation. */
  readonly counterpart?: string;
  readonly status: string;
  readonly childIds: readonly string[];
  readonly dueAt?: string;
  /** Milliseconds past the deadline; 0 while on time or without one. */
  readonly lateMs: number;
  readonly level: EscalationLevel;
  /** When the item began (requested, closed, escalated); the tie-breaker, oldest first. */
  readonly since: string;
  /** For an escalation: acknowledged by its recipient. */
  readonly acknowledged?: boolean;
}

export interface CaseForWorklist {
  readonly caseId: string;
  /** The case now (caseStateAt with both clocks at now), as the reader may see it. */
  readonly state: CaseState;
  /** Every rejected or withdrawn handover of the case still waiting for its sender's decision, with its deadline. */
  readonly unresolved: readonly UnresolvedFollowUp[];
}

/** The causes of notices that ask someone to act; the informational ones only tell. */
const ESCALATION_CAUSES: ReadonlySet<string> = new Set([
  'HandoverEscalated',
  'HandoverContactFailed',
  'LeadNegotiationEscalated',
  'NoticeFailed',
]);

/**
 * The urgency order of "Mijn werk": what still needs an answer before what was acknowledged;
 * past its deadline before on time; a higher escalation level first; of two late items the later
 * first; then the nearest deadline, items without one last; then the oldest.
 */
export function byUrgency(a: WorkItem, b: WorkItem): number {
  return (
    Number(a.acknowledged ?? false) - Number(b.acknowledged ?? false) ||
    Number(b.lateMs > 0) - Number(a.lateMs > 0) ||
    b.level - a.level ||
    b.lateMs - a.lateMs ||
    due(a) - due(b) ||
    Date.parse(a.since) - Date.parse(b.since)
  );
}

function due(item: WorkItem): number {
  return item.dueAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(item.dueAt);
}

function lateness(dueAt: string | undefined, now: string): number {
  return dueAt === undefined ? 0 : Math.max(0, Date.parse(now) - Date.parse(dueAt));
}

/**
 * The work items of `actor` in these cases, in urgency order. A professional gets the handovers
 * and negotiations of the organisation; a team lead, manager or director the escalations
 * addressed to that rung of the organisation (open and acknowledged).
 */
export function worklistOf(actor: Actor, cases: readonly CaseForWorklist[], now: string): WorkItem[] {
  const org = actor.organisation;
  const items: WorkItem[] = [];
  for (const { caseId, state, unresolved } of cases) {
    if (actor.role === 'professional') {
      for (const h of state.openHandovers) {
        if (h.toOrg === org) items.push(handoverItem('incoming', h, h.fromOrg, now));
        else if (h.fromOrg === org) items.push(handoverItem('sent', h, h.toOrg, now));
      }
      for (const u of unresolved) {
        if (u.sender !== org) continue;
        items.push({
          kind: 'decision',
          caseId,
          handoverId: u.handoverId,
          status: u.status,
          childIds: [],
          dueAt: u.dueAt,
          lateMs: lateness(u.dueAt, now),
          level: u.level,
          since: u.closedAt,
        });
      }
      for (const [chain, c] of Object.entries(state.chains)) {
        const n = c?.negotiation;
        if (!n || n.status !== 'open' || !n.parties.includes(org)) continue;
        const waiting = n.currentProposal ? n.currentProposal.waitingFor.includes(org) : true;
        if (!waiting) continue;
        items.push({
          kind: 'lead',
          caseId,
          negotiationId: n.negotiationId,
          counterpart: chain,
          status: n.currentProposal ? 'proposed' : 'open',
          childIds: [],
          ...(n.deadlineAt ? { dueAt: n.deadlineAt } : {}),
          lateMs: lateness(n.deadlineAt, now),
          level: n.escalation.level,
          since: n.currentProposal?.proposedAt ?? n.deadlineAt ?? now,
        });
      }
    } else if (actor.role !== 'inspector') {
      const open = new Map(state.openHandovers.map((h) => [h.handoverId, h]));
      for (const notice of state.notices) {
        if (notice.recipient.organisation !== org || notice.recipient.role !== actor.role) continue;
        if (!ESCALATION_CAUSES.has(notice.causeType)) continue;
        const handover = notice.handoverId ? open.get(notice.handoverId) : undefined;
        const dueAt = handover?.pending?.dueAt;
        items.push({
          kind: 'escalation',
          caseId,
          noticeId: notice.noticeId,
          ...(notice.handoverId ? { handoverId: notice.handoverId } : {}),
          ...(notice.negotiationId ? { negotiationId: notice.negotiationId } : {}),
          status: handover ? handover.status : notice.causeType,
          childIds: handover?.childIds ?? [],
          ...(dueAt ? { dueAt } : {}),
          lateMs: lateness(dueAt, now),
          level: notice.level,
          since: notice.sentAt ?? notice.failedAt ?? now,
          acknowledged: notice.status === 'acknowledged',
        });
      }
    }
  }
  return items.sort(byUrgency);
}

function handoverItem(kind: 'incoming' | 'sent', h: HandoverView, counterpart: string, now: string): WorkItem {
  const dueAt = h.pending?.dueAt;
  return {
    kind,
    caseId: h.caseId,
    handoverId: h.handoverId,
    counterpart,
    status: h.status,
    childIds: h.childIds,
    ...(dueAt ? { dueAt } : {}),
    lateMs: lateness(dueAt, now),
    level: h.escalation.level,
    since: h.requestedAt,
  };
}
