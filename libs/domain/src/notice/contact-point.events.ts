import type { EscalationRole } from '../organisations/organisation';

/**
 * The directory of contact points (R3): per organisation and role, the functional addresses an
 * escalation notice goes to — a team mailbox and/or an https webhook. Every change is an event
 * in the stream `contactpoints-<organisationId>`, so the contact points in force at any past
 * moment can be derived (who *should* have been told then). No personal data: functional
 * addresses only. Webhook signing secrets never appear here (see contact_point_secrets).
 */

export interface ContactPointFields {
  readonly contactPointId: string;
  readonly organisation: string;
  readonly role: EscalationRole;
  /** 1 when added, +1 with every replacement; a notice records the version it used. */
  readonly version: number;
  /** Functional mailbox, e.g. teamleiding@vt-kennemerland.example. */
  readonly email?: string;
  /** https URL that receives signed JSON notices. */
  readonly webhookUrl?: string;
  /** What the address is, in a few words (e.g. "Teamleiding jeugd"); never a person's name. */
  readonly label?: string;
  /** From when the change is in force. */
  readonly effectiveAt: string;
}

export interface ContactPointAdded {
  readonly type: 'ContactPointAdded';
  readonly data: ContactPointFields;
}

/** A new version of an existing contact point; it replaces the previous one from `effectiveAt`. */
export interface ContactPointReplaced {
  readonly type: 'ContactPointReplaced';
  readonly data: ContactPointFields;
}

export interface ContactPointRetired {
  readonly type: 'ContactPointRetired';
  readonly data: Pick<ContactPointFields, 'contactPointId' | 'organisation' | 'role' | 'version' | 'effectiveAt'>;
}

export type ContactPointEvent = ContactPointAdded | ContactPointReplaced | ContactPointRetired;

export const CONTACT_POINT_EVENT_TYPES: readonly ContactPointEvent['type'][] = [
  'ContactPointAdded',
  'ContactPointReplaced',
  'ContactPointRetired',
];

export function contactPointsStreamId(organisation: string): string {
  return `contactpoints-${organisation}`;
}
