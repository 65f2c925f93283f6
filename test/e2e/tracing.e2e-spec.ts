import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtpCapture, type SmtpCapture } from '@warm-handover/infra';
import { ApiClient } from '../support/api-client';
import { eventually } from '../support/notices';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { startService, type RunningService } from '../support/service';

/** OTLP's span kinds (the enum is one above OpenTelemetry's API). */
const KIND = { server: 2, producer: 4, consumer: 5 } as const;

/** What may never be in an exported span: e-mail addresses, URLs, and the attributes that hold them. */
const PERSONAL_OR_SECRET = /@|:\/\/|token=/;
const NEVER_EXPORTED = [
  'http.url',
  'http.target',
  'url.full',
  'url.query',
  'net.peer.ip',
  'http.user_agent',
  'http.host',
];

/**
 * One trace per command, across the apps: a handover request goes from the api's HTTP span through
 * the Temporal update, the handover workflow, its activity and the event-store append, the outbox
 * relay's Kafka publish, the notifier's consumer, the notice workflow and its delivery by mail,
 * all exported over OTLP/HTTP to a receiver in this process, with every hop a child of the one
 * before.
 */
describe('OpenTelemetry traces (e2e)', () => {
  let dir: string;
  let smtp: SmtpCapture;
  let receiver: OtlpReceiver;
  let service: RunningService;
  let api: ApiClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(process.env.WARM_HANDOVER_TEST_TMP ?? tmpdir(), 'tracing-e2e-'));
    smtp = await startSmtpCapture(join(dir, 'mail'));
    receiver = await startOtlpReceiver();
    service = await startService(
      {
        DEMO_MODE: 'true',
        SMTP_URL: smtp.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        // Export within a fraction of a second instead of the default 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
      { notifier: true },
    );
    api = new ApiClient(service.baseUrl);
  });
  afterAll(async () => {
    await service?.stop();
    await receiver?.stop();
    await smtp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given tracing on, when a handover is requested and its arrival notice is mailed, then one trace spans api, worker and notifier, each hop the child of the one before', async () => {
    const res = await api.requestHandover({ receipt: 'PT1H', start: 'PT2H', escalationInterval: 'PT1H' });
    expect(res.status).toBe(201);
    const { handoverId, caseId } = res.body as { handoverId: string; caseId: string };

    // The request's trace, identified by the api's span of this one request.
    const request = await eventually('the api span of POST /handovers', () =>
      Promise.resolve(
        receiver
          .spans()
          .find((s) => s.service === 'warm-handover-api' && s.kind === KIND.server && s.name === 'POST /handovers'),
      ),
    );
    expect(request.parentSpanId).toBeUndefined();
    expect(request.attributes['http.route']).toBe('/handovers');
    expect(request.attributes['http.status_code']).toBe(201);

    const inTrace = () => receiver.spans().filter((s) => s.traceId === request.traceId);
    const find = (what: string, match: (s: ReceivedSpan) => boolean) =>
      eventually(what, () => Promise.resolve(inTrace().find(match)), 90_000);
    const childOf = (parent: ReceivedSpan) => (s: ReceivedSpan) => s.parentSpanId === parent.spanId;

    // api: the Temporal client's spans, under the request.
    const startWorkflow = await find(
      'the api starting the handover workflow',
      (s) => s.name === 'StartWorkflow:handoverWorkflow' && childOf(request)(s),
    );
    expect(startWorkflow.attributes['temporalWorkflowId']).toBe(`handover-${handoverId}`);
    const startUpdate = await find(
      'the api sending the request update',
      (s) => s.name.startsWith('StartWorkflowUpdate:') && childOf(request)(s),
    );
    expect(startUpdate.service).toBe('warm-handover-api');

    // worker: the workflow's update handler (a span from the workflow sandbox), the activity it
    // schedules, the activity run, and the append of HandoverRequested inside it.
    const handleUpdate = await find(
      'the workflow handling the update',
      (s) => s.name.startsWith('HandleUpdate:') && childOf(startUpdate)(s),
    );
    expect(handleUpdate.service).toBe('warm-handover-worker');
    const scheduleRecord = await find(
      'the workflow scheduling recordEvents',
      (s) => s.name === 'StartActivity:recordEvents' && childOf(handleUpdate)(s),
    );
    const runRecord = await find(
      'the worker running recordEvents',
      (s) => s.name === 'RunActivity:recordEvents' && childOf(scheduleRecord)(s),
    );
    const append = await find(
      'the append of HandoverRequested',
      (s) => s.name === 'event-store append' && childOf(runRecord)(s),
    );
    expect(append.service).toBe('warm-handover-worker');
    expect(append.attributes['warm_handover.event_types']).toEqual(['HandoverRequested']);
    expect(append.attributes['warm_handover.stream_id']).toBe(`handover-${handoverId}`);

    // worker: the outbox relay publishes the event to Kafka in the append's trace.
    const publish = await find(
      'the relay publishing HandoverRequested',
      (s) => s.name === 'publish warm-handover.handover.v1' && childOf(append)(s),
    );
    expect(publish.kind).toBe(KIND.producer);
    expect(publish.attributes['warm_handover.event_type']).toBe('HandoverRequested');

    // notifier: consumes it from the Kafka header's context, starts the arrival notice's workflow,
    // which delivers it and records NoticeSent.
    const consume = await find(
      'the notifier consuming HandoverRequested',
      (s) => s.name === 'process warm-handover.handover.v1' && childOf(publish)(s),
    );
    expect(consume.service).toBe('warm-handover-notifier');
    expect(consume.kind).toBe(KIND.consumer);
    const startNotice = await find(
      'the notifier starting the notice workflow',
      (s) => s.name === 'StartWorkflow:noticeWorkflow' && childOf(consume)(s),
    );
    const runNotice = await find(
      'the notice workflow',
      (s) => s.name === 'RunWorkflow:noticeWorkflow' && childOf(startNotice)(s),
    );
    const scheduleDelivery = await find(
      'the notice workflow scheduling its delivery',
      (s) => s.name === 'StartActivity:deliverNotice' && childOf(runNotice)(s),
    );
    const delivery = await find(
      'the delivery',
      (s) => s.name === 'RunActivity:deliverNotice' && childOf(scheduleDelivery)(s),
    );
    expect(delivery.service).toBe('warm-handover-notifier');
    const scheduleSent = await find(
      'the notice workflow recording the delivery',
      (s) => s.name === 'StartActivity:recordNoticeEvents' && childOf(runNotice)(s),
    );
    const runSent = await find(
      'the notifier recording the delivery',
      (s) => s.name === 'RunActivity:recordNoticeEvents' && childOf(scheduleSent)(s),
    );
    const sent = await find('the append of NoticeSent', (s) => s.name === 'event-store append' && childOf(runSent)(s));
    expect(sent.attributes['warm_handover.event_types']).toContain('NoticeSent');

    // The mail itself went out: the arrival notice to the receiver's intake, about this case.
    await eventually('the arrival notice in the mailbox', () =>
      Promise.resolve(smtp.messages().some((m) => m.text.includes(caseId))),
    );

    // No personal data and no secrets in any span any app exported: no addresses, URLs or tokens.
    const leaks = receiver.spans().flatMap((span) => [
      ...NEVER_EXPORTED.filter((key) => key in span.attributes).map((key) => `${span.name}: ${key}`),
      ...[span.attributes, ...span.eventAttributes].flatMap((attributes) =>
        Object.entries(attributes)
          .filter(([, value]) => PERSONAL_OR_SECRET.test(JSON.stringify(value)))
          .map(([key, value]) => `${span.name}: ${key}=${JSON.stringify(value)}`),
      ),
    ]);
    expect(leaks).toEqual([]);
    expect(receiver.refused).toEqual([]);
  });
});
