/**
 * The organisations that hand children over, lead cases and receive escalations, and the
 * management line each one escalates along (R3). The directory itself is in `directory.ts`.
 */

/** The kinds of organisation the directory holds (DOMAIN.md, "Organisations"). */
export const ORGANISATION_KINDS = [
  'veilig-thuis',
  'police',
  'municipality',
  'local-team',
  'child-protection-board',
  'mental-health-care',
  'gp-post',
  'womens-shelter',
  'inspectorate',
] as const;

export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/**
 * The levels an escalation climbs, lowest first (R3: "teamleiders/eerstvolgende leidinggevende"
 * up to the bestuurder). The index in this tuple is the step's level.
 */
export const ESCALATION_ROLES = ['professional', 'team-lead', 'manager', 'director'] as const;

export type EscalationRole = (typeof ESCALATION_ROLES)[number];

export type EscalationLevel = 0 | 1 | 2 | 3;

export function isEscalationRole(value: unknown): value is EscalationRole {
  return typeof value === 'string' && (ESCALATION_ROLES as readonly string[]).includes(value);
}

export interface LadderStep {
  readonly level: EscalationLevel;
  readonly role: EscalationRole;
  /** The Dutch job title this kind of organisation uses for the role, e.g. 'Teamchef' at the police. */
  readonly title: string;
}

/** Exactly four steps, levels 0 to 3, in ESCALATION_ROLES order. */
export type EscalationLadder = readonly LadderStep[];

export interface Organisation {
  /** Lowercase ASCII slug of kind and name, words joined by '-': `vt-kennemerland`. */
  readonly id: string;
  readonly kind: OrganisationKind;
  /** Dutch official-style name: 'Veilig Thuis Kennemerland', 'Politie eenheid Noord-Holland'. */
  readonly name: string;
  /** The region, police unit or municipality it serves, as DOMAIN.md spells it; absent when national. */
  readonly area?: string;
  /**
   * Ids of the Veilig Thuis region and police unit whose working area this organisation lies in,
   * where that is one of each. R4 flags a Veilig Thuis lead and a police lead in different
   * working areas; these links let that be checked without a map.
   */
  readonly veiligThuisRegion?: string;
  readonly policeUnit?: string;
  /** For a local team: the id of the municipality it works for. */
  readonly municipality?: string;
  readonly ladder: EscalationLadder;
}
