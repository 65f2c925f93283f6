/**
 * The case's own events, in the stream `case-<caseId>`: who opened it, which children it holds,
 * which organisations take part and why, and the sender's decisions after a rejected or withdrawn
 * handover. Handovers, lead negotiations and notices keep their own streams; every event of a
 * case carries its id in the metadata, so the case is the union of them all.
 */

/** Why an organisation was involved in a case by a party (besides handovers and leads). */
export const INVOLVEMENT_REASONS = [
  'municipality',
  'local-team',
  'gp',
  'school',
  'mental-health-care',
  'youth-health-care',
  'police',
  'child-protection-board',
  'youth-care-provider',
  'womens-shelter',
  'other',
] as const;
export type InvolvementReason = (typeof INVOLVEMENT_REASONS)[number];

/** A case registered by an organisation: its first party, responsible for each child in it. */
export interface CaseOpened {
  readonly type: 'CaseOpened';
  readonly data: {
    readonly caseId: string;
    readonly openedBy: string;
    readonly childIds: readonly string[];
    readonly openedAt: string;
  };
}

/** Children that became known later (born, found); the party that adds them is responsible. */
export interface ChildrenAdded {
  readonly type: 'ChildrenAdded';
  readonly data: {
    readonly caseId: string;
    readonly childIds: readonly string[];
    readonly responsibleOrg: string;
    readonly addedAt: string;
  };
}

/** An organisation involved by a party, with the reason it is involved; from then on a party. */
export interface PartyInvolved {
  readonly type: 'PartyInvolved';
  readonly data: {
    readonly caseId: string;
    readonly organisation: string;
    readonly reason: InvolvementReason;
    readonly involvedBy: string;
    readonly involvedAt: string;
  };
}

/**
 * After a rejection or withdrawal the sender stays responsible and the case shows an unresolved
 * handover (R2), until the sender requests a new handover or records that it keeps the case.
 */
export interface CaseKeptBySender {
  readonly type: 'CaseKeptBySender';
  readonly data: {
    readonly caseId: string;
    readonly organisation: string;
    readonly handoverId: string;
    readonly reason: string;
    readonly decidedAt: string;
  };
}

export type CaseOwnEvent = CaseOpened | ChildrenAdded | PartyInvolved | CaseKeptBySender;

export function caseStreamId(caseId: string): string {
  return `case-${caseId}`;
}
