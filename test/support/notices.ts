import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedEvent } from '@warm-handover/contracts';
import {
  type ContactPointEvent,
  contactPointsStreamId,
  decideContactPoints,
  type EscalationLevel,
  type EscalationRole,
  caseStreamId,
  handoverStreamId,
  noticeStreamId,
} from '@warm-handover/domain';
import type { ContactPointSecretStore, EventStore } from '@warm-handover/persistence';
import { requestInput } from './handover-fixtures';

/** A request a webhook receiver got: headers and the raw body, as a receiver verifies them. */
export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** The status to answer the next requests with (default 204). */
  answer(status: number): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every POST and answers with a chosen status. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let status = 204;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/warm-handover`,
    received,
    answer: (next) => (status = next),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Adds a contact point the way the admin API does (as the organisation's director). */
export async function addContactPoint(
  store: EventStore,
  secrets: ContactPointSecretStore,
  organisation: string,
  role: EscalationRole,
  addresses: { email?: string; webhookUrl?: string },
): Promise<{ contactPointId: string; secret?: string }> {
  const stream = contactPointsStreamId(organisation);
  const existing = (await store.readStream(stream)).map((e) => ({ type: e.type, data: e.data }) as ContactPointEvent);
  const contactPointId = randomUUID();
  const actor = { subject: 'test:director', organisation, role: 'director' };
  const events = decideContactPoints(
    { type: 'AddContactPoint', contactPointId, organisation, role, ...addresses, actor, now: new Date().toISOString() },
    existing,
  );
  await store.append(
    stream,
    events.map((e) => ({
      eventId: randomUUID(),
      type: e.type,
      data: e.data,
      metadata: { actor, correlationId: randomUUID() },
    })),
  );
  const secret = addresses.webhookUrl ? await secrets.issue(contactPointId, organisation) : undefined;
  return { contactPointId, ...(secret ? { secret } : {}) };
}

/**
 * A handover of a fresh case between two organisations, escalated to `level` just now, as the
 * handover workflow records it. Returns the recorded escalation (the notifier's input).
 */
export async function escalatedHandover(
  store: EventStore,
  { fromOrg, toOrg, level = 1 }: { fromOrg: string; toOrg: string; level?: EscalationLevel },
): Promise<RecordedEvent> {
  const request = requestInput({ fromOrg, toOrg });
  const now = Date.now();
  const requestedAt = new Date(now - 60_000).toISOString();
  const metadata = {
    actor: { subject: 'system:test', organisation: 'warm-handover', role: 'system' },
    correlationId: randomUUID(),
    caseId: request.caseId,
  };
  const step = (ladder: typeof request.ladders.from) => ladder.find((s) => s.level === level)!;
  const { events } = await store.append(handoverStreamId(request.handoverId), [
    {
      eventId: randomUUID(),
      type: 'HandoverRequested',
      data: {
        ...request,
        receiptDueAt: new Date(now - 1_000).toISOString(),
        startDueAt: new Date(now + 3_600_000).toISOString(),
        requestedAt,
      },
      metadata,
    },
    {
      eventId: randomUUID(),
      type: 'HandoverEscalated',
      data: {
        handoverId: request.handoverId,
        caseId: request.caseId,
        level,
        reason: 'receipt-overdue',
        dueAt: new Date(now - 1_000).toISOString(),
        repeat: 0,
        recipients: [
          { organisation: fromOrg, role: step(request.ladders.from).role, title: step(request.ladders.from).title },
          { organisation: toOrg, role: step(request.ladders.to).role, title: step(request.ladders.to).title },
        ],
        responsibleOrg: fromOrg,
        escalatedAt: new Date(now).toISOString(),
      },
      metadata,
    },
  ]);
  return events[1]!;
}

/** A fresh case's handover requested just now, as the handover workflow records it. */
export async function requestedHandover(
  store: EventStore,
  { fromOrg, toOrg }: { fromOrg: string; toOrg: string },
): Promise<RecordedEvent> {
  const request = requestInput({ fromOrg, toOrg });
  const now = Date.now();
  const { events } = await store.append(handoverStreamId(request.handoverId), [
    {
      eventId: randomUUID(),
      type: 'HandoverRequested',
      data: {
        ...request,
        receiptDueAt: new Date(now + 86_400_000).toISOString(),
        startDueAt: new Date(now + 10 * 86_400_000).toISOString(),
        requestedAt: new Date(now).toISOString(),
      },
      metadata: systemMetadata(request.caseId),
    },
  ]);
  return events[0]!;
}

/** Appends a later step (HandoverAccepted, HandoverStarted, …) to the handover of `request`. */
export async function recordHandoverStep(
  store: EventStore,
  request: RecordedEvent,
  type: string,
  data: Record<string, unknown>,
): Promise<RecordedEvent> {
  const { handoverId, caseId } = request.data as { handoverId: string; caseId: string };
  const { events } = await store.append(handoverStreamId(handoverId), [
    { eventId: randomUUID(), type, data: { handoverId, caseId, ...data }, metadata: systemMetadata(caseId) },
  ]);
  return events[0]!;
}

/** A lead-area mismatch on a case, as the worker's alignment check records it. */
export async function recordedMismatch(
  store: EventStore,
  caseId: string,
  { careLead, safetyLead, municipality }: { careLead: string; safetyLead: string; municipality: string },
): Promise<RecordedEvent> {
  const { events } = await store.append(caseStreamId(caseId), [
    {
      eventId: randomUUID(),
      type: 'LeadRegionMismatch',
      data: {
        caseId,
        careLead,
        careLeadPoliceUnit: 'politie-elsewhere',
        safetyLead,
        recipients: [careLead, safetyLead, municipality].map((organisation) => ({
          organisation,
          role: 'professional',
        })),
        suggestedAction: 'renegotiate',
        detectedAt: new Date().toISOString(),
      },
      metadata: systemMetadata(caseId),
    },
  ]);
  return events[0]!;
}

/** Acknowledges a notice the way the api's acknowledgement link does. */
export async function acknowledgeNotice(store: EventStore, noticeId: string, caseId: string): Promise<string> {
  const acknowledgedAt = new Date().toISOString();
  await store.append(noticeStreamId(noticeId), [
    {
      eventId: randomUUID(),
      type: 'NoticeAcknowledged',
      data: {
        noticeId,
        caseId,
        acknowledgedBy: { subject: `contact-point:test`, organisation: 'test', role: 'director' },
        acknowledgedAt,
      },
      metadata: systemMetadata(caseId),
    },
  ]);
  return acknowledgedAt;
}

function systemMetadata(caseId: string) {
  return {
    actor: { subject: 'system:test', organisation: 'warm-handover', role: 'system' },
    correlationId: randomUUID(),
    caseId,
  };
}

/** Polls `probe` until it returns something other than undefined/false; fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The notice events of a case, oldest first. */
export async function noticeEvents(store: EventStore, caseId: string): Promise<RecordedEvent[]> {
  return (await store.readCase(caseId)).filter((e) => e.streamId.startsWith('notice-'));
}
