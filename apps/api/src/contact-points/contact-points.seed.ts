import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import {
  type ContactPointEvent,
  contactPointsStreamId,
  decideContactPoints,
  ESCALATION_ROLES,
} from '@warm-handover/domain';
import { ConcurrencyConflictError, EventStore } from '@warm-handover/persistence';
import { APP_CONFIG, type AppConfig, deterministicUuid } from '@warm-handover/platform';

/** The organisations of the demo (seed case 1 and the Haarlemmermeer handovers of seed 004). */
export const SEEDED_ORGANISATIONS = [
  'vt-kennemerland',
  'vt-amsterdam-amstelland',
  'politie-noord-holland',
  'politie-amsterdam',
  'gemeente-haarlemmermeer',
  'lokaal-team-haarlemmermeer',
] as const;

/** Functional mailboxes per rung, as organisations name them: a team or a function, never a person. */
const MAILBOX = { professional: 'meldingen', 'team-lead': 'teamleiding', manager: 'management', director: 'bestuur' };

export function seededAddress(organisation: string, role: keyof typeof MAILBOX): string {
  return `${MAILBOX[role]}@${organisation}.example`;
}

/**
 * With DEMO_MODE=true, gives each demo organisation one e-mail contact point per rung, so the
 * demo and the tests have recipients (at `.example` addresses, which no real mail server
 * accepts). Every other organisation has none: its notices fail and escalate, which shows the
 * gap. Ids are derived from organisation and role, so a restart or a second api seeds nothing
 * twice; an organisation whose contact points anyone has changed is left as it is.
 */
@Injectable()
export class ContactPointsSeeder implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: EventStore,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(ContactPointsSeeder.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.DEMO_MODE) return;
    for (const organisation of SEEDED_ORGANISATIONS) {
      const stream = contactPointsStreamId(organisation);
      if ((await this.store.readStream(stream)).length > 0) continue;
      const actor = { subject: 'system:demo-seed', organisation, role: 'director' };
      const events: ContactPointEvent[] = [];
      for (const role of ESCALATION_ROLES) {
        events.push(
          ...decideContactPoints(
            {
              type: 'AddContactPoint',
              contactPointId: deterministicUuid('seeded-contact-point', organisation, role),
              organisation,
              role,
              email: seededAddress(organisation, role),
              label: `Demo: ${MAILBOX[role]}`,
              actor,
              now: new Date().toISOString(),
            },
            events,
          ),
        );
      }
      try {
        await this.store.append(
          stream,
          events.map((event) => ({
            eventId: deterministicUuid('seeded-contact-point-event', organisation, event.data.role),
            type: event.type,
            data: event.data,
            metadata: { actor, correlationId: deterministicUuid('seed', organisation) },
          })),
          { expectedVersion: 0 },
        );
      } catch (error) {
        // Another api instance seeded it at the same moment: fine.
        if (!(error instanceof ConcurrencyConflictError)) throw error;
      }
    }
    this.logger.info({ organisations: SEEDED_ORGANISATIONS.length }, 'demo contact points in place');
  }
}
