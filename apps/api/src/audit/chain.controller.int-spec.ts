import { DataSource } from 'typeorm';
import { EventStore } from '@warm-handover/persistence';
import { createTestDatabase, type TestDatabase, withClient } from '../../../../test/support/database';
import { type GuardedApi, startGuardedApi } from '../../../../test/support/guarded-api';
import { fillChainedStore } from '../../../../test/support/event-chain';
import { testEvent } from '../../../../test/support/events';
import { ChainController } from './chain.controller';

const INSPECTORATE = 'inspectie-gezondheidszorg-en-jeugd';

describe('GET /audit/head and /audit/verify on real PostgreSQL', () => {
  let db: TestDatabase;
  let api: GuardedApi;

  beforeAll(async () => {
    db = await createTestDatabase();
    // The audit endpoints as the API serves them: real guard, real problem details, real PostgreSQL.
    api = await startGuardedApi([ChainController], [{ provide: DataSource, useValue: db.dataSource }]);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.drop();
  });

  async function get(path: string, as?: { organisation: string; role: string }) {
    const token = as && (await api.token({ subject: `test:${as.role}`, ...as }));
    const res = await fetch(`${api.base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      headers: res.headers,
      text: await res.text(),
    };
  }
  const inspector = { organisation: INSPECTORATE, role: 'inspector' };
  const director = { organisation: 'vt-kennemerland', role: 'director' };
  const lines = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>);

  it('given an empty store, when an inspector asks for the head, then 404 says there is nothing to export yet', async () => {
    const answer = await get('/audit/head', inspector);

    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toMatchObject({ type: '/problems/empty-store', detail: /after the first event/ });
  });

  it('given no token, when either endpoint is called, then 401 problem details', async () => {
    for (const path of ['/audit/head', '/audit/verify']) {
      const answer = await get(path);
      expect(answer.status).toBe(401);
      expect(answer.type).toMatch(/^application\/problem\+json/);
    }
  });

  it('given a director, when the verification is asked, then 403: only the inspectorate walks the whole store', async () => {
    const answer = await get('/audit/verify', director);

    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text)).toMatchObject({ detail: /^Only an inspector may verify the hash chain/ });
  });

  it.each(['professional', 'team-lead', 'manager'])(
    'given a %s, when either endpoint is called, then 403 says only an inspector or a director may',
    async (role) => {
      for (const path of ['/audit/head', '/audit/verify']) {
        const answer = await get(path, { organisation: 'vt-kennemerland', role });
        expect(answer.status).toBe(403);
        expect(JSON.parse(answer.text)).toMatchObject({
          status: 403,
          detail: expect.stringMatching(/^Only an inspector (or a director )?may (read|verify) the hash chain/),
        });
      }
    },
  );

  it('given recorded events, when an inspector asks for the head, then it names the newest position, its hash and times', async () => {
    await fillChainedStore(db.dataSource, 3000);

    const answer = await get('/audit/head', inspector);

    expect(answer.status).toBe(200);
    const head = JSON.parse(answer.text);
    expect(head).toEqual({
      globalPosition: 3000,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      exportedAt: expect.any(String),
    });
    expect(Date.now() - Date.parse(head.exportedAt)).toBeLessThan(60_000);
  });

  it('given an intact store, when an inspector verifies it, then NDJSON ends with an intact verdict', async () => {
    const answer = await get('/audit/verify', inspector);

    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/x-ndjson/);
    const verdict = lines(answer.text).at(-1)!;
    expect(verdict).toMatchObject({
      type: 'verdict',
      intact: true,
      checked: 3000,
      head: { globalPosition: 3000 },
      durationMs: expect.any(Number),
    });
    expect(verdict.problem).toBeUndefined();
  });

  it('given a head exported earlier and later appends, when verified against it, then it is intact; a made-up hash is not', async () => {
    const head = JSON.parse((await get('/audit/head', inspector)).text);
    await new EventStore(db.dataSource).append('handover-later', [testEvent('Tick')]);

    const kept = await get(`/audit/verify?headPosition=${head.globalPosition}&headHash=${head.hash}`, inspector);
    expect(lines(kept.text).at(-1)).toMatchObject({ type: 'verdict', intact: true, checked: 3001 });

    const forged = await get(`/audit/verify?headPosition=${head.globalPosition}&headHash=${'e'.repeat(64)}`, inspector);
    expect(lines(forged.text).at(-1)).toMatchObject({
      intact: false,
      problem: { kind: 'changed', position: 3000, check: 'exported-head' },
    });
  });

  it.each([
    ['a position that is not a number', 'headPosition=abc&headHash=' + 'a'.repeat(64), ['headPosition']],
    ['a short hash', 'headPosition=3&headHash=abc', ['headHash']],
    ['a position without a hash', 'headPosition=3', ['headHash']],
  ])('given %s, when verify is asked, then 400 names the field', async (_name, query, fields) => {
    const answer = await get(`/audit/verify?${query}`, inspector);

    expect(answer.status).toBe(400);
    const problem = JSON.parse(answer.text);
    expect(problem).toMatchObject({ type: '/problems/invalid-query', detail: /Give both headPosition and headHash/ });
    expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(fields);
  });

  it('given two verifications asked at once, when they run, then one gives its verdict and the other gets 429 with Retry-After', async () => {
    await fillMore(db, 40_000); // enough that one verification takes far longer than the two requests apart

    const answers = await Promise.all([get('/audit/verify', inspector), get('/audit/verify', inspector)]);

    expect(answers.map((a) => a.status).sort()).toEqual([200, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(JSON.parse(refused.text)).toMatchObject({ type: '/problems/verification-running', detail: /wait until/ });
    const done = answers.find((a) => a.status === 200)!;
    expect(lines(done.text).at(-1)).toMatchObject({ type: 'verdict', intact: true, checked: 43_001 });
  });

  it('given a running verification, when its client goes away, then the walk stops and the next one is served at once', async () => {
    const token = await api.token({ subject: 'test:inspector', ...inspector });
    const gone = new AbortController();
    const first = await fetch(`${api.base}/audit/verify`, {
      headers: { authorization: `Bearer ${token}` },
      signal: gone.signal,
    });
    expect(first.status).toBe(200);
    gone.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Without the stop, the abandoned walk holds the one place for a whole verification's time.
    const next = await get('/audit/verify', inspector);
    expect(next.status).toBe(200);
  });

  it('given a tampered event, when an inspector verifies, then the verdict names the kind, position and what to do', async () => {
    await withClient(db.url, async (c) => {
      await c.query('BEGIN');
      await c.query('SET LOCAL session_replication_role = replica');
      await c.query(`UPDATE events SET data = jsonb_set(data, '{step}', '99') WHERE global_position = 1234`);
      await c.query('COMMIT');
    });

    const verdict = lines((await get('/audit/verify', inspector)).text).at(-1)!;

    expect(verdict).toMatchObject({
      type: 'verdict',
      intact: false,
      checked: 1233,
      problem: {
        kind: 'changed',
        position: 1234,
        check: 'chain',
        message: expect.stringContaining('position 1234'),
        whatToDo: expect.stringContaining('Restore the event from a backup'),
      },
    });
  });
});

/** Appends many chained events through the store, in batches, so a verification takes a while. */
async function fillMore(db: TestDatabase, count: number): Promise<void> {
  const store = new EventStore(db.dataSource);
  for (let i = 0; i < count; i += 1000) {
    await store.append(
      `handover-bulk-${i}`,
      Array.from({ length: 1000 }, () => testEvent('Tick', { i })),
    );
  }
}
