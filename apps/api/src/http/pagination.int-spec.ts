import { EventStore, ReadAccessLog } from '@warm-handover/persistence';
import { createTestDatabase, type TestDatabase, withClient } from '../../../../test/support/database';
import { type GuardedApi, startGuardedApi } from '../../../../test/support/guarded-api';
import { testEvent } from '../../../../test/support/events';
import { AuditController } from '../audit/audit.controller';
import { CaseAccess } from '../cases/case-access.service';

describe('cursor pages on real PostgreSQL', () => {
  let db: TestDatabase;
  let api: GuardedApi;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startGuardedApi(
      [AuditController],
      [
        { provide: ReadAccessLog, useValue: new ReadAccessLog(db.dataSource) },
        { provide: CaseAccess, useValue: {} },
      ],
    );
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.drop();
  });

  it('given 5 reads logged, when an inspector pages the access log 2 at a time, then each read comes once, in order, by `next` and by the Link header', async () => {
    const log = new ReadAccessLog(db.dataSource);
    for (let i = 0; i < 5; i++) {
      await log.record({
        subject: `ps-${i}`,
        organisation: 'vt-kennemerland',
        role: 'professional',
        route: '/cases/:caseId',
        path: `/cases/case-${i}`,
        caseId: `case-${i}`,
        status: 200,
        outcome: 'allowed',
      });
    }
    const token = await api.token({
      subject: 'test:inspector',
      organisation: 'inspectie-gezondheidszorg-en-jeugd',
      role: 'inspector',
    });
    const get = (path: string) => fetch(`${api.base}${path}`, { headers: { authorization: `Bearer ${token}` } });

    const seen: string[] = [];
    let path: string | undefined = '/audit/access-log?limit=2';
    const links: (string | null)[] = [];
    while (path) {
      const res = await get(path);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { entries: { subject: string }[]; next: string | null };
      seen.push(...body.entries.map((e) => e.subject));
      const link = res.headers.get('link');
      links.push(link);
      if (body.next) expect(link).toBe(`</audit/access-log?limit=2&cursor=${body.next}>; rel="next"`);
      path = link?.match(/^<([^>]+)>; rel="next"$/)?.[1];
    }

    expect(seen).toEqual(['ps-0', 'ps-1', 'ps-2', 'ps-3', 'ps-4']);
    expect(links).toHaveLength(3);
    expect(links.at(-1)).toBeNull();
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=10001', 'limit'],
    ['cursor=garbage!', 'cursor'],
    [`cursor=${Buffer.from('{"a":"x"}').toString('base64url')}`, 'cursor'],
  ])('given %s, when the access log is asked, then 400 names the field', async (query, field) => {
    const token = await api.token({
      subject: 'test:inspector',
      organisation: 'inspectie-gezondheidszorg-en-jeugd',
      role: 'inspector',
    });
    const res = await fetch(`${api.base}/audit/access-log?${query}`, { headers: { authorization: `Bearer ${token}` } });

    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([field]);
  });

  it('given 5 handovers of an organisation among others, when paged newest first before a position, then each comes once, and the index serves the page', async () => {
    const store = new EventStore(db.dataSource);
    for (let i = 0; i < 5; i++) {
      await store.append(`handover-h${i}`, [
        testEvent('HandoverRequested', {
          handoverId: `h${i}`,
          fromOrg: i % 2 === 0 ? 'vt-kennemerland' : 'vt-utrecht',
          toOrg: i % 2 === 0 ? 'vt-utrecht' : 'vt-kennemerland',
        }),
      ]);
      await store.append(`handover-x${i}`, [
        testEvent('HandoverRequested', { handoverId: `x${i}`, fromOrg: 'vt-drenthe', toOrg: 'vt-utrecht' }),
      ]);
    }

    const first = await store.handoversInvolving('vt-kennemerland', { limit: 2 });
    const second = await store.handoversInvolving('vt-kennemerland', { beforePosition: first[1]!.position, limit: 2 });
    const third = await store.handoversInvolving('vt-kennemerland', { beforePosition: second[1]!.position, limit: 2 });

    expect([...first, ...second, ...third].map((h) => h.handoverId)).toEqual(['h4', 'h3', 'h2', 'h1', 'h0']);

    const plan = await withClient(db.url, async (c) => {
      await c.query('SET enable_seqscan = off');
      const rows = await c.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT global_position FROM events
          WHERE event_type = 'HandoverRequested' AND data->>'toOrg' = 'vt-kennemerland' AND global_position < 100
          ORDER BY global_position DESC LIMIT 2`,
      );
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('events_handover_to_org_position');
    expect(plan).not.toMatch(/\bSort\b/);
  });
});
