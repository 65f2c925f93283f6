/**
 * Handover throughput: N handovers driven through the HTTP API from requested to started
 * (4 commands each, `BENCH_CONCURRENCY` at a time), against the built api + worker on a fresh
 * PostgreSQL and Temporal dev server. Baseline: a bare workflow on the same Temporal server that
 * takes 4 updates, each running a no-op activity, driven the same way through the Temporal client.
 * Then lead negotiations between two Veilig Thuis regions, opened, proposed and accepted through
 * the API (3 commands each), against the same bare workflow taking 3 updates.
 */
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { leadWorkflowId } from '@warm-handover/contracts';
import { bareStepUpdate, type bareUpdatesWorkflow } from './bare.workflows';
import { callApi, reportProblems, expectStatus, RECEIVER, SENDER, startApps, tokenFor } from './support/apps';
import { startBareWorker } from './support/bare-worker';
import { describeUpdateProfiles, profileUpdates, type UpdateProfile } from './support/history';
import { withInfra } from './support/infra';
import { type BenchResult, phase, resultsAgainst } from './support/report';
import { intEnv, runConcurrently, scaled, summarize, summaryLine, timed } from './support/stats';

const NAME = 'handover-throughput';
const COMMANDS_PER_HANDOVER = 4;
const COMMANDS = ['request', 'receipt', 'acceptance', 'start-confirmation'];
/** Open, propose, accept: a negotiation agreed at the first proposal. */
const NEGOTIATION_COMMANDS = 3;
const CARE_PARTIES = ['vt-kennemerland', 'vt-amsterdam-amstelland'] as const;
/** Workflows whose histories are read for the profile of where an update's time goes. */
const PROFILED = 20;

export async function run(): Promise<BenchResult[]> {
  const count = intEnv('BENCH_HANDOVERS', scaled(200, 8));
  const concurrency = intEnv('BENCH_CONCURRENCY', 8);
  const warmup = Math.min(concurrency * 2, count);
  const negotiations = intEnv('BENCH_NEGOTIATIONS', scaled(100, 4));
  phase(
    NAME,
    `${count} handovers, then ${negotiations} lead negotiations, ${concurrency} at a time (after ${warmup} for warm-up)`,
  );
  return withInfra(NAME, { temporal: true, apps: true }, async (infra) => {
    const temporalAddress = infra.temporal!.address;
    const service = await measureService(infra.dir, infra.postgres.url, temporalAddress, count, concurrency, warmup);
    const serviceLeads = await measureNegotiations(
      infra.dir,
      infra.postgres.url,
      temporalAddress,
      negotiations,
      concurrency,
    );
    const bare = await measureBare(temporalAddress, count, concurrency, warmup, COMMANDS_PER_HANDOVER);
    const bareLeads = await measureBare(temporalAddress, negotiations, concurrency, 0, NEGOTIATION_COMMANDS);
    const leads = resultsAgainst(
      NAME,
      `bare Temporal workflow: ${NEGOTIATION_COMMANDS} updates, a no-op activity each, same server and concurrency`,
    );

    const result = resultsAgainst(
      NAME,
      `bare Temporal workflow: ${COMMANDS_PER_HANDOVER} updates, a no-op activity each, same server and concurrency`,
    );
    return [
      result(
        `handovers/s requested→started (${count}, concurrency ${concurrency}${(service.restarts ?? 0) > 0 ? `; apps restarted ${service.restarts}×` : ''})`,
        '/s',
        service.perSecond,
        bare.perSecond,
      ),
      result('command latency p50 (any of the 4)', 'ms', service.all.p50, bare.all.p50),
      result('command latency p99 (any of the 4)', 'ms', service.all.p99, bare.all.p99),
      result('first command p50: POST /handovers vs start + first update', 'ms', service.first.p50, bare.first.p50),
      result('first command p99', 'ms', service.first.p99, bare.first.p99),
      leads(
        `lead negotiations/s opened→agreed (${negotiations}, VT→VT, open + proposal + acceptance)`,
        '/s',
        serviceLeads.perSecond,
        bareLeads.perSecond,
      ),
      leads('lead negotiation command latency p50 (any of the 3)', 'ms', serviceLeads.all.p50, bareLeads.all.p50),
      leads('lead negotiation command latency p99', 'ms', serviceLeads.all.p99, bareLeads.all.p99),
    ];
  });
}

export interface Measured {
  readonly perSecond: number;
  readonly restarts?: number;
  readonly all: ReturnType<typeof summarize>;
  readonly first: ReturnType<typeof summarize>;
}

async function measureService(
  logDir: string,
  databaseUrl: string,
  temporalAddress: string,
  count: number,
  concurrency: number,
  warmup: number,
): Promise<Measured> {
  const apps = await startApps(NAME, { databaseUrl, temporalAddress, apps: ['worker', 'api'], logDir });
  try {
    const sender = await tokenFor(SENDER);
    const receiver = await tokenFor(RECEIVER);
    const latencies: number[][] = [[], [], [], []];
    const traces: Trace[] = [];
    const oneHandover = async (i: number, into: number[][]) => {
      const calls: Trace['calls'] = [];
      // Without a case id the request registers a new case; the service issues its id.
      const requested = await traced(into[0]!, calls, () =>
        callApi(apps.baseUrl, sender, 'POST', '/handovers', {
          childIds: [`bench-child-${i < 0 ? `w${-i}` : i}-${Date.now()}`],
          toOrg: RECEIVER,
          reason: 'family-moved',
          deadlines: { receipt: 1, start: 10 },
        }),
      );
      expectStatus(requested, 201, 'POST /handovers');
      const { handoverId: id, caseId } = requested.body as { handoverId: string; caseId: string };
      const keys = [requested.idempotencyKey!];
      if (i >= 0) traces.push({ workflowId: `handover-${id}`, calls, keys, caseId });
      const step = async (k: number, path: string, body: object) => {
        const answer = await traced(into[k]!, calls, () => callApi(apps.baseUrl, receiver, 'POST', path, body));
        expectStatus(answer, 200, `POST ${path}`);
        keys.push(answer.idempotencyKey!);
      };
      await step(1, `/handovers/${id}/receipt`, {});
      await step(2, `/handovers/${id}/acceptance`, { plannedStartDate: new Date().toISOString().slice(0, 10) });
      await step(3, `/handovers/${id}/start-confirmation`, {});
    };

    phase(NAME, `service: warm-up, ${warmup} handovers`);
    await runConcurrently(warmup, concurrency, (i) => oneHandover(-1 - i, [[], [], [], []]));
    phase(NAME, `service: ${count} handovers through HTTP`);
    const { wallMs } = await runConcurrently(count, concurrency, (i) => oneHandover(i, latencies));
    const measured: Measured = {
      perSecond: count / (wallMs / 1000),
      restarts: apps.restarts(),
      all: summarize(latencies.flat()),
      first: summarize(latencies[0]!),
    };
    phase(NAME, `service: ${measured.perSecond.toFixed(1)} handovers/s; commands ${summaryLine(measured.all)}`);
    COMMANDS.forEach((label, k) =>
      phase(NAME, `service:   ${label.padEnd(18)} ${summaryLine(summarize(latencies[k]!))}`),
    );
    const profiles = await profile('service', temporalAddress, traces);
    await profileApi(databaseUrl, temporalAddress, traces.slice(-PROFILED), profiles);
    reportProblems(NAME, apps);
    return measured;
  } finally {
    await apps.stop();
  }
}

/**
 * Lead negotiations through the API: each opened by one Veilig Thuis region, proposed by it and
 * accepted by the other, so it is agreed at the first proposal (R4).
 */
async function measureNegotiations(
  logDir: string,
  databaseUrl: string,
  temporalAddress: string,
  count: number,
  concurrency: number,
): Promise<Pick<Measured, 'perSecond' | 'all'>> {
  const apps = await startApps(NAME, { databaseUrl, temporalAddress, apps: ['worker', 'api'], logDir });
  try {
    const [opener, other] = await Promise.all(CARE_PARTIES.map((org) => tokenFor(org)));
    const latencies: number[] = [];
    const oneNegotiation = async (i: number, into: number[]) => {
      // A negotiation is opened in a case its opener takes part in; opening the case is not timed.
      const openedCase = await callApi(apps.baseUrl, opener!, 'POST', '/cases', {
        childIds: [`bench-lead-child-${i < 0 ? `w${-i}` : i}-${Date.now()}`],
      });
      expectStatus(openedCase, 201, 'POST /cases');
      const { caseId } = openedCase.body as { caseId: string };
      const command = async (token: string, path: string, body: object, status: number) => {
        const answer = await timed(into, () => callApi(apps.baseUrl, token, 'POST', path, body));
        expectStatus(answer, status, `POST ${path}`);
        return answer.body as { negotiationId: string; currentProposal?: { proposalId: string }; status: string };
      };
      const opened = await command(
        opener!,
        `/cases/${caseId}/lead-negotiations`,
        { chain: 'care', parties: CARE_PARTIES },
        201,
      );
      const path = `/lead-negotiations/${opened.negotiationId}`;
      const proposed = await command(
        opener!,
        `${path}/proposals`,
        { lead: CARE_PARTIES[0], rationale: 'Benchmark.' },
        200,
      );
      const agreed = await command(
        other!,
        `${path}/acceptances`,
        { proposalId: proposed.currentProposal?.proposalId },
        200,
      );
      if (agreed.status !== 'agreed')
        throw new Error(`negotiation ${opened.negotiationId} is ${agreed.status}, not agreed`);
    };
    phase(NAME, `service: warm-up, ${concurrency} lead negotiations`);
    await runConcurrently(concurrency, concurrency, (i) => oneNegotiation(-1 - i, []));
    phase(NAME, `service: ${count} lead negotiations through HTTP`);
    const { wallMs } = await runConcurrently(count, concurrency, (i) => oneNegotiation(i, latencies));
    const measured = { perSecond: count / (wallMs / 1000), all: summarize(latencies) };
    phase(NAME, `service: ${measured.perSecond.toFixed(1)} lead negotiations/s; commands ${summaryLine(measured.all)}`);
    reportProblems(NAME, apps);
    return measured;
  } finally {
    await apps.stop();
  }
}

export async function measureBare(
  address: string,
  count: number,
  concurrency: number,
  warmup: number,
  updates: number,
): Promise<Measured> {
  const worker = await startBareWorker(NAME, address, {
    noop: () => Promise.resolve(),
    fired: () => Promise.resolve(),
  });
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const latencies: number[][] = Array.from({ length: updates }, () => []);
    const traces: Trace[] = [];
    const oneWorkflow = async (i: number, into: number[][]) => {
      const workflowId = `bare-${i}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const calls: Trace['calls'] = [];
      if (i >= 0) traces.push({ workflowId, calls });
      // Like the API's POST /handovers: start the workflow, then send the first update.
      const handle = await traced(into[0]!, calls, async () => {
        const h = await client.workflow.start<typeof bareUpdatesWorkflow>('bareUpdatesWorkflow', {
          taskQueue: worker.taskQueue,
          workflowId,
          args: [{ updates }],
        });
        await h.executeUpdate(bareStepUpdate, { args: [{ step: 0 }] });
        return h;
      });
      for (let k = 1; k < updates; k++)
        await traced(into[k]!, calls, () => handle.executeUpdate(bareStepUpdate, { args: [{ step: k }] }));
    };
    phase(NAME, `bare: warm-up, ${warmup} workflows`);
    await runConcurrently(warmup, concurrency, (i) =>
      oneWorkflow(
        -1 - i,
        latencies.map(() => []),
      ),
    );
    phase(NAME, `bare: ${count} workflows of ${updates} updates through the Temporal client`);
    const { wallMs } = await runConcurrently(count, concurrency, (i) => oneWorkflow(i, latencies));
    const measured: Measured = {
      perSecond: count / (wallMs / 1000),
      all: summarize(latencies.flat()),
      first: summarize(latencies[0]!),
    };
    phase(NAME, `bare: ${measured.perSecond.toFixed(1)} workflows/s; updates ${summaryLine(measured.all)}`);
    latencies.forEach((l, k) => phase(NAME, `bare:   update ${k + 1} ${summaryLine(summarize(l))}`));
    // The handover-shaped run is the one profiled against the handovers.
    if (updates === COMMANDS_PER_HANDOVER) await profile('bare', address, traces);
    return measured;
  } finally {
    await connection.close();
    await worker.stop();
  }
}

/** One workflow's commands as the caller saw them: [sent, answered] epoch ms per command. */
interface Trace {
  readonly workflowId: string;
  readonly calls: [number, number][];
  /** The Idempotency-Key of each command, and the case (API only). */
  readonly keys?: string[];
  readonly caseId?: string;
}

/** Times one command for the latency figures and for the profile. */
async function traced<T>(into: number[], calls: Trace['calls'], fn: () => Promise<T>): Promise<T> {
  const sent = Date.now();
  const result = await timed(into, fn);
  calls.push([sent, Date.now()]);
  return result;
}

/**
 * Where the time of each command went, from the histories of the last PROFILED workflows set
 * against the caller's own clock (same machine): outside Temporal, in workflow tasks, in activities.
 */
async function profile(label: string, address: string, traces: readonly Trace[]): Promise<UpdateProfile[][]> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const sample = traces.slice(-PROFILED);
    const profiles = [];
    for (const { workflowId } of sample) profiles.push(await profileUpdates(client, workflowId));
    const labels = label === 'bare' ? COMMANDS.map((_, k) => `update ${k + 1}`) : COMMANDS;
    const lines = describeUpdateProfiles(
      profiles,
      labels,
      sample.map((t) => t.calls),
    );
    for (const line of lines) phase(NAME, `${label}:   ${line}`);
    return profiles;
  } finally {
    await connection.close();
  }
}

/**
 * The API's part of each command, by the idempotency row it writes first (created_at, before it
 * calls Temporal) and last (completed_at, after Temporal answered), on PostgreSQL's clock (same machine).
 */
async function profileApi(
  databaseUrl: string,
  temporalAddress: string,
  traces: readonly Trace[],
  profiles: UpdateProfile[][],
): Promise<void> {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    // A handover between two Veilig Thuis regions also opens the case's lead negotiation (a
    // workflow of its own), from the handover workflow after POST /handovers answered.
    const client = new Client({ connection });
    const leads: number[] = [];
    for (const t of traces) {
      const [open] = await profileUpdates(client, leadWorkflowId(t.caseId!, 'care')).catch(() => []);
      if (open) leads.push(open.span);
    }
    if (leads.length > 0)
      phase(
        NAME,
        `service:   request: ${leads.length}/${traces.length} also opened a lead negotiation workflow (after answering): ` +
          `its start + open update spans ${(leads.reduce((a, b) => a + b, 0) / leads.length).toFixed(0)} ms on the server (mean)`,
      );
    const { rows } = await pg.query<{ key: string; created_at: Date; completed_at: Date }>(
      'SELECT key, created_at, completed_at FROM idempotency_keys WHERE key = ANY($1)',
      [traces.flatMap((t) => t.keys ?? [])],
    );
    const byKey = new Map(rows.map((r) => [r.key, r]));
    COMMANDS.forEach((label, k) => {
      const parts = traces.flatMap((t, w) => {
        const row = byKey.get(t.keys?.[k] ?? '');
        const span = profiles[w]?.[k];
        const call = t.calls[k];
        if (!row || !span || !call) return [];
        return [
          [
            row.created_at.getTime() - call[0],
            span.from - row.created_at.getTime(),
            row.completed_at.getTime() - span.to,
            call[1] - row.completed_at.getTime(),
          ],
        ];
      });
      if (parts.length === 0) return;
      const mean = (i: number) => (parts.reduce((a, p) => a + p[i]!, 0) / parts.length).toFixed(0);
      phase(
        NAME,
        `service:   ${label}: caller → API's idempotency row ${mean(0)} ms → Temporal span ${mean(1)} ms; ` +
          `span end → row completed ${mean(2)} ms → caller ${mean(3)} ms (mean of ${parts.length})`,
      );
    });
  } finally {
    await pg.end();
    await connection.close();
  }
}
