import { DataSource } from 'typeorm';
import { ReadAccessLog } from '@warm-handover/persistence';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { type GuardedApi, startGuardedApi } from '../../../../test/support/guarded-api';
import { AuditController } from '../audit/audit.controller';
import { CaseAccess } from '../cases/case-access.service';
import { ManagementFiguresController } from '../management/management-figures.controller';

/**
 * Periods in a query reach PostgreSQL, which reads less than ISO-8601 allows: no offset beyond
 * ±15:59, no year 0. The fuzz tier found the access log answering 500 to `from=…-23:53`.
 */
describe('periods asked in a query, on real PostgreSQL', () => {
  let db: TestDatabase;
  let api: GuardedApi;
  let get: (path: string) => Promise<Response>;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startGuardedApi(
      [AuditController, ManagementFiguresController],
      [
        { provide: ReadAccessLog, useValue: new ReadAccessLog(db.dataSource) },
        { provide: DataSource, useValue: db.dataSource },
        { provide: CaseAccess, useValue: {} },
      ],
    );
    const token = await api.token({
      subject: 'test:inspector',
      organisation: 'inspectie-gezondheidszorg-en-jeugd',
      role: 'inspector',
    });
    get = (path) => fetch(`${api.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await new ReadAccessLog(db.dataSource).record({
      subject: 'ps-1',
      organisation: 'vt-kennemerland',
      role: 'professional',
      route: '/cases/:caseId',
      path: '/cases/case-1',
      caseId: 'case-1',
      status: 200,
      outcome: 'allowed',
    });
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.drop();
  });

  it.each([
    ['from=2020-01-01T00:00:00-23:53', 1],
    ['from=0437-07-05T11:09:53-23:53', 1],
    ['from=0000-01-01T00:00:00Z', 1],
    ['from=2020-01-01T00:00:00%2B16:32&to=9999-12-31T23:59:59-23:59', 1],
    ['to=2020-01-01T00:00:00%2B16:32', 0],
    ['to=0001-01-01T00:00:00%2B01:00', 0],
  ])(
    'given a read logged now, when an inspector asks the access log %s, then the reads of that period',
    async (query, count) => {
      const res = await get(`/audit/access-log?${query}`);

      expect(res.status).toBe(200);
      expect(((await res.json()) as { entries: unknown[] }).entries).toHaveLength(count);
    },
  );

  it.each([
    ['from=0000-01-01&to=2027-01-01', '0001-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['from=0001-01-01T00:00:00%2B01:00&to=0001-01-02', '0001-01-01T00:00:00.000Z', '0001-01-02T00:00:00.000Z'],
    [
      'from=2026-01-01T00:00:00%2B16:32&to=2026-02-01T00:00:00-23:59',
      '2025-12-31T07:28:00.000Z',
      '2026-02-01T23:59:00.000Z',
    ],
  ])(
    'given a period PostgreSQL cannot read as written (%s), when an inspector asks the management figures, then the figures of that period, its bounds in UTC',
    async (query, from, to) => {
      const res = await get(`/management-figures?region=vt-kennemerland&${query}`);

      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ from, to });
    },
  );

  it('given a period wholly before the year 1, when the management figures are asked, then its figures (none) and not a refusal for to not after from', async () => {
    const res = await get('/management-figures?region=vt-kennemerland&from=0000-01-01&to=0000-06-01');

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ from: '0001-01-01T00:00:00.000Z', to: '0001-01-01T00:00:00.000Z' });
  });
});
