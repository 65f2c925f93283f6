import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type ContactPoint,
  type ContactPointCommand,
  type ContactPointEvent,
  ContactPointRefused,
  contactPointsAt,
  contactPointsStreamId,
  decideContactPoints,
} from '@warm-handover/domain';
import { ConcurrencyConflictError, ContactPointSecretStore, EventStore } from '@warm-handover/persistence';
import { APP_CONFIG, type AppConfig, literalWebhookHostRefusal } from '@warm-handover/platform';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';

export interface ContactPointAnswer {
  /** The contact point as it is now; absent after a retirement. */
  readonly contactPoint?: ContactPoint;
  readonly recorded: readonly ContactPointEvent[];
  /**
   * Shown once, when a webhook URL is registered or changed (a new URL gets a new secret; the
   * previous one keeps signing beside it for a day); keep it, it is not shown again.
   */
  readonly webhookSecret?: string;
}

const STATUS: Record<ContactPointRefused['code'], number> = {
  forbidden: 403,
  'not-found': 404,
  invalid: 400,
  'unknown-organisation': 422,
};

/**
 * Reads and changes an organisation's contact points: the decision is the domain's
 * (decideContactPoints), the events go to `contactpoints-<org>` with the version the decision
 * was based on, and a webhook's signing secret goes to its own table, never into an event.
 */
@Injectable()
export class ContactPointsService {
  constructor(
    private readonly store: EventStore,
    private readonly secrets: ContactPointSecretStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(organisation: string, at?: string): Promise<ContactPoint[]> {
    return contactPointsAt(await this.events(organisation), at);
  }

  async change(
    command: Omit<ContactPointCommand, 'now' | 'contactPointId'> & { contactPointId?: string },
    meta: { readonly correlationId: string; readonly idempotencyKey?: string },
  ): Promise<ContactPointAnswer> {
    const full = {
      ...command,
      contactPointId: command.contactPointId ?? randomUUID(),
      now: new Date().toISOString(),
    } as ContactPointCommand;
    const webhookUrl = 'webhookUrl' in full ? full.webhookUrl : undefined;
    const hostRefusal = webhookUrl
      ? literalWebhookHostRefusal(webhookUrl, this.config.WEBHOOK_ALLOWED_HOSTS)
      : undefined;
    if (hostRefusal) {
      throw new ProblemException({
        type: problemType('invalid-body'),
        title: 'The contact points were not changed',
        status: 400,
        detail: hostRefusal,
        errors: [{ field: 'webhookUrl', message: hostRefusal }],
      });
    }
    const events = await this.events(full.organisation);
    const before = contactPointsAt(events).find((p) => p.contactPointId === full.contactPointId);
    const decided = refusalsAsProblems(() => decideContactPoints(full, events));
    try {
      await this.store.append(
        contactPointsStreamId(full.organisation),
        decided.map((event) => ({
          eventId: randomUUID(),
          type: event.type,
          data: event.data,
          metadata: {
            actor: full.actor,
            correlationId: meta.correlationId,
            ...(meta.idempotencyKey ? { idempotencyKey: meta.idempotencyKey } : {}),
          },
        })),
        { expectedVersion: events.length },
      );
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError)) throw error;
      throw new ProblemException({
        type: problemType('concurrent-change'),
        title: 'Changed at the same time',
        status: 409,
        detail: `Someone changed the contact points of ${full.organisation} at the same moment; read them again and retry with a new Idempotency-Key.`,
      });
    }
    const contactPoint = contactPointsAt([...events, ...decided]).find((p) => p.contactPointId === full.contactPointId);
    if (!contactPoint) return { recorded: decided };
    const hasSecret = await this.secrets.has(contactPoint.contactPointId);
    // A webhook whose URL changed may now be someone else's: it gets a secret of its own.
    const urlChanged = hasSecret && before?.webhookUrl !== undefined && before.webhookUrl !== contactPoint.webhookUrl;
    const needsSecret = contactPoint.webhookUrl !== undefined && (!hasSecret || urlChanged);
    const webhookSecret = needsSecret
      ? await this.secrets.issue(contactPoint.contactPointId, contactPoint.organisation, { rotate: urlChanged })
      : undefined;
    return { contactPoint, recorded: decided, ...(webhookSecret ? { webhookSecret } : {}) };
  }

  private async events(organisation: string): Promise<ContactPointEvent[]> {
    const recorded = await this.store.readStream(contactPointsStreamId(organisation));
    return recorded.map((e) => ({ type: e.type, data: e.data }) as ContactPointEvent);
  }
}

function refusalsAsProblems<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (!(error instanceof ContactPointRefused)) throw error;
    throw new ProblemException({
      type: problemType(error.code === 'invalid' ? 'invalid-body' : error.code),
      title: 'The contact points were not changed',
      status: STATUS[error.code],
      detail: error.message,
      ...(error.field ? { errors: [{ field: error.field, message: error.message }] } : {}),
    });
  }
}
