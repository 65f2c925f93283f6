/**
 * Web pages: a store with BENCH_HANDOVERS open handovers (default 10,000; each its own case,
 * one in ten to Veilig Thuis Amsterdam-Amstelland, the rest between other regions), and p50/p95
 * of serving, over HTTP with a browser session, Amsterdam's "Mijn werk" (its list of incoming
 * handovers, folded from their cases) and one case page. Baselines: a bare SELECT of the same
 * rows (every event of the cases on that list; every event of that one case).
 */
import { Client } from 'pg';
import { createDataSource, EventStore, migrate, SessionStore } from '@warm-handover/persistence';
import { SESSION_LIMITS } from '../apps/api/src/auth/browser-sessions';
import { startApps } from './support/apps';
import { newEvent, newPlan } from './support/handover-events';
import { withInfra } from './support/infra';
import { type BenchResult, phase, resultsAgainst } from './support/report';
import { intEnv, percentile, scaled, summarize, summaryLine, timed } from './support/stats';

const NAME = 'web-pages';
const RECEIVER = 'vt-amsterdam-amstelland';
/** Handovers appended in one transaction while seeding. */
const SEED_BATCH = 500;
const OTHERS = ['vt-kennemerland', 'vt-utrecht', 'vt-haaglanden', 'vt-twente', 'vt-groningen', 'vt-zeeland'];

export async function run(): Promise<BenchResult[]> {
  const handovers = intEnv('BENCH_HANDOVERS', scaled(10_000, 100));
  const samples = intEnv('BENCH_SAMPLES', 50);
  phase(NAME, `${handovers} open handovers; ${samples} samples of each page`);
  return withInfra(NAME, { apps: true }, async (infra) => {
    const url = infra.postgres.url;
    const dataSource = createDataSource({ url, poolSize: 10, applicationName: 'bench-web-pages' });
    const bare = new Client({ connectionString: url, application_name: 'bench-bare' });
    try {
      await dataSource.initialize();
      await migrate(dataSource);
      await bare.connect();
      const store = new EventStore(dataSource);
      phase(NAME, `appending ${handovers} handover requests, ${SEED_BATCH} to a transaction`);
      const start = Date.now() - 3600_000;
      const seedStart = performance.now();
      let target = '';
      // The store's own append (hash chain, positions, free texts), many streams to one
      // transaction through its `manager` option: one commit per batch instead of one per
      // handover, which is what made seeding 10,000 take minutes.
      for (let from = 0; from < handovers; from += SEED_BATCH) {
        await dataSource.transaction(async (manager) => {
          for (let i = from; i < Math.min(from + SEED_BATCH, handovers); i++) {
            const toOrg = i % 10 === 0 ? RECEIVER : OTHERS[i % OTHERS.length]!;
            const fromOrg = OTHERS[(i + 1) % OTHERS.length]!;
            const plan = newPlan(`case-web-${i}`, fromOrg === toOrg ? 'vt-utrecht' : fromOrg, toOrg);
            if (i === 0) target = plan.caseId;
            const event = newEvent(plan, { kind: 'requested' }, start + i);
            await store.append(`handover-${plan.handoverId}`, [event], { manager });
          }
        });
      }
      phase(NAME, `seeded ${handovers} handovers in ${Math.round((performance.now() - seedStart) / 1000)} s`);
      const sessions = new SessionStore(dataSource);
      const sessionId = await sessions.create(
        { subject: 'ps-bench', organisation: RECEIVER, role: 'professional' },
        'bench',
        SESSION_LIMITS,
      );

      const apps = await startApps(NAME, { databaseUrl: url, apps: ['api'], logDir: infra.dir });
      try {
        const get = async (path: string): Promise<string> => {
          const res = await fetch(`${apps.baseUrl}${path}`, { headers: { cookie: `wh_session=${sessionId}` } });
          const text = await res.text();
          if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
          return text;
        };
        const first = await get('/app');
        const rows = (first.match(/<tr class="utrecht-table__row/g) ?? []).length - 1;
        phase(NAME, `"Mijn werk" lists ${rows} handovers`);

        const listCases = `SELECT metadata->>'caseId' FROM events
          WHERE event_type = 'HandoverRequested' AND (data->>'fromOrg' = $1 OR data->>'toOrg' = $1)`;
        const worklist: number[] = [];
        const worklistBare: number[] = [];
        const casePage: number[] = [];
        const caseBare: number[] = [];
        for (let i = 0; i < samples; i++) {
          await timed(worklist, () => get('/app'));
          await timed(worklistBare, () =>
            bare.query(`SELECT * FROM events WHERE metadata->>'caseId' IN (${listCases}) ORDER BY global_position`, [
              RECEIVER,
            ]),
          );
          await timed(casePage, () => get(`/app/casussen/${target}`));
          await timed(caseBare, () =>
            bare.query(`SELECT * FROM events WHERE metadata->>'caseId' = $1 ORDER BY global_position`, [target]),
          );
        }
        const w = summarize(worklist);
        const wb = summarize(worklistBare);
        const c = summarize(casePage);
        const cb = summarize(caseBare);
        phase(NAME, `Mijn werk   ${summaryLine(w)}; bare ${summaryLine(wb)}`);
        phase(NAME, `case page   ${summaryLine(c)}; bare ${summaryLine(cb)}`);
        const worklistRow = resultsAgainst(NAME, 'a bare SELECT of every event of the cases on that list');
        const caseRow = resultsAgainst(NAME, 'a bare SELECT of every event of that case');
        return [
          worklistRow(`Mijn werk (${rows} of ${handovers} open handovers) p50`, 'ms', w.p50, wb.p50),
          worklistRow(
            `Mijn werk (${rows} of ${handovers} open handovers) p95`,
            'ms',
            percentile(worklist, 95),
            percentile(worklistBare, 95),
          ),
          caseRow('case page p50', 'ms', c.p50, cb.p50),
          caseRow('case page p95', 'ms', percentile(casePage, 95), percentile(caseBare, 95)),
        ];
      } finally {
        await apps.stop();
      }
    } finally {
      await bare.end().catch(() => undefined);
      await dataSource.destroy().catch(() => undefined);
    }
  });
}
