import { type EscalationRole, isEscalationRole } from '../organisations/organisation';
import { findOrganisation } from '../organisations/directory';
import type { ContactPointEvent, ContactPointFields } from './contact-point.events';

/**
 * Maintaining the contact-point directory: who may change it, what a change must hold, and what
 * was in force at a moment. Pure: the caller reads the organisation's stream and appends the
 * events decided here.
 */

export interface ContactPoint extends Omit<ContactPointFields, 'effectiveAt'> {
  /** From when this version is in force. */
  readonly since: string;
}

interface Who {
  readonly subject: string;
  readonly organisation: string;
  readonly role: string;
}

interface Addresses {
  readonly email?: string;
  readonly webhookUrl?: string;
  readonly label?: string;
}

export type ContactPointCommand =
  | ({ readonly type: 'AddContactPoint'; readonly contactPointId: string; readonly role: string } & Addresses & Common)
  | ({ readonly type: 'ReplaceContactPoint'; readonly contactPointId: string; readonly role: string } & Addresses &
      Common)
  | ({ readonly type: 'RetireContactPoint'; readonly contactPointId: string } & Common);

interface Common {
  readonly organisation: string;
  readonly actor: Who;
  readonly now: string;
}

/**
 * The organisation's own managers and directors keep its contact points: they answer for who is
 * reached at each level of its line (R3). Professionals and team leads can read them; other
 * organisations cannot change them; inspectors only read.
 */
export const CONTACT_POINT_MAINTAINERS: readonly EscalationRole[] = ['manager', 'director'];

export class ContactPointRefused extends Error {
  override readonly name = 'ContactPointRefused';
  constructor(
    readonly code: 'forbidden' | 'not-found' | 'invalid' | 'unknown-organisation',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The contact points in force at `at` (default: after every event), in the order they were added. */
export function contactPointsAt(events: readonly ContactPointEvent[], at?: string): ContactPoint[] {
  const limit = at === undefined ? Infinity : Date.parse(at);
  const points = new Map<string, ContactPoint>();
  for (const event of events) {
    if (Date.parse(event.data.effectiveAt) > limit) continue;
    const { effectiveAt, ...fields } = event.data;
    switch (event.type) {
      case 'ContactPointAdded':
      case 'ContactPointReplaced':
        points.set(fields.contactPointId, {
          ...(fields as Omit<ContactPointFields, 'effectiveAt'>),
          since: effectiveAt,
        });
        break;
      case 'ContactPointRetired':
        points.delete(fields.contactPointId);
        break;
      default: {
        const unknown: never = event;
        throw new Error(`unknown contact point event ${JSON.stringify(unknown)}`);
      }
    }
  }
  return [...points.values()];
}

/** Decides a change to an organisation's contact points, given the events of its stream. */
export function decideContactPoints(
  command: ContactPointCommand,
  events: readonly ContactPointEvent[],
): ContactPointEvent[] {
  if (!findOrganisation(command.organisation)) {
    throw new ContactPointRefused(
      'unknown-organisation',
      `No organisation has the id ${JSON.stringify(command.organisation)}; GET /organisations lists every id.`,
    );
  }
  const { actor } = command;
  if (
    actor.organisation !== command.organisation ||
    !CONTACT_POINT_MAINTAINERS.includes(actor.role as EscalationRole)
  ) {
    throw new ContactPointRefused(
      'forbidden',
      `Only a ${CONTACT_POINT_MAINTAINERS.join(' or ')} of ${command.organisation} may change its contact points; you act as ${actor.role} for ${actor.organisation}.`,
    );
  }
  const current = contactPointsAt(events).find((p) => p.contactPointId === command.contactPointId);
  const ever = events.some((e) => e.data.contactPointId === command.contactPointId);
  switch (command.type) {
    case 'AddContactPoint':
      if (ever) throw new ContactPointRefused('invalid', `Contact point ${command.contactPointId} exists already.`);
      return [{ type: 'ContactPointAdded', data: fieldsOf(command, 1) }];
    case 'ReplaceContactPoint':
      if (!current) throw notFound(command);
      return [{ type: 'ContactPointReplaced', data: fieldsOf(command, current.version + 1) }];
    case 'RetireContactPoint':
      if (!current) throw notFound(command);
      return [
        {
          type: 'ContactPointRetired',
          data: {
            contactPointId: current.contactPointId,
            organisation: current.organisation,
            role: current.role,
            version: current.version + 1,
            effectiveAt: command.now,
          },
        },
      ];
    default: {
      const unknown: never = command;
      throw new Error(`unknown contact point command ${JSON.stringify(unknown)}`);
    }
  }
}

function notFound(command: { contactPointId: string; organisation: string }): ContactPointRefused {
  return new ContactPointRefused(
    'not-found',
    `${command.organisation} has no contact point ${command.contactPointId} in force; GET /organisations/${command.organisation}/contact-points lists them.`,
  );
}

function fieldsOf(
  command: Addresses & { contactPointId: string; organisation: string; role: string; now: string },
  version: number,
): ContactPointFields {
  if (!isEscalationRole(command.role)) {
    throw new ContactPointRefused('invalid', 'role must be one of professional, team-lead, manager, director.', 'role');
  }
  if (!command.email && !command.webhookUrl) {
    throw new ContactPointRefused(
      'invalid',
      'Give an email, a webhookUrl, or both: a contact point must reach someone.',
    );
  }
  if (command.webhookUrl !== undefined && !isHttpsUrl(command.webhookUrl)) {
    throw new ContactPointRefused(
      'invalid',
      'webhookUrl must be an https:// URL (http:// only to this machine, 127.0.0.1 or localhost) without user name or password.',
      'webhookUrl',
    );
  }
  return {
    contactPointId: command.contactPointId,
    organisation: command.organisation,
    role: command.role,
    version,
    ...(command.email ? { email: command.email.toLowerCase() } : {}),
    ...(command.webhookUrl ? { webhookUrl: command.webhookUrl } : {}),
    ...(command.label ? { label: command.label } : {}),
    effectiveAt: command.now,
  };
}

/**
 * Notices carry case ids: they leave the machine over TLS only, and never with credentials in the
 * URL. Plain http is allowed to a loopback receiver (a local relay, or a test's receiver).
 */
function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
    return secure && url.username === '' && url.password === '' && url.hostname !== '';
  } catch {
    return false;
  }
}
