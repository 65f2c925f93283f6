import { randomUUID } from 'node:crypto';
import { PNG } from 'pngjs';
import type { RecordedEvent } from '@warm-handover/contracts';
import { caseStateAt } from '@warm-handover/domain';
import { EventStore } from '@warm-handover/persistence';
import { ORGANISATION_COLOURS } from '../../apps/api/src/reports/case-report.html';
import { withChromium } from '../../apps/api/src/reports/chromium';
import { ApiClient, subjectOf } from '../support/api-client';
import { AMS, KEN, PNH, scriptedCase, summarise, TEN_MOMENTS } from '../support/scripted-case';
import { startService, type RunningService } from '../support/service';

const INSPECTOR = 'inspectie-gezondheidszorg-en-jeugd';
const OUTSIDER = 'vt-gooi-en-vechtstreek';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type Json = Record<string, any>;

/**
 * Reconstruction for the inspectorate through the running apps: the scripted case's events are
 * appended to the store as the workflows would, then read back through the API: its state at ten
 * moments, who may read it, and the read access log that records every read.
 */
describe('audit and reconstruction through the API (e2e)', () => {
  let service: RunningService;
  let api: ApiClient;
  const caseId = `case-audit-${randomUUID().slice(0, 8)}`;
  let recorded: RecordedEvent[];

  beforeAll(async () => {
    service = await startService({ DEMO_MODE: 'true' });
    api = new ApiClient(service.baseUrl);
    const store = new EventStore(service.db.dataSource);
    for (const event of scriptedCase(caseId)) {
      await store.append(event.streamId, [
        {
          eventId: randomUUID(),
          type: event.type,
          data: event.data,
          metadata: { actor: event.actor, correlationId: randomUUID(), caseId },
        },
      ]);
    }
    recorded = await store.readCase(caseId);
  });
  afterAll(() => service?.stop());

  const inspector = (path: string, method = 'GET', json?: unknown) =>
    api.send({ method, path, as: INSPECTOR, role: 'inspector', ...(json !== undefined ? { json } : {}) });
  const accessLog = async (query: string) => {
    const answer = await inspector(`/audit/access-log?${query}`);
    expect(answer.status).toBe(200);
    return answer.body.entries as Json[];
  };

  describe('the state of a case at a moment', () => {
    it.each(TEN_MOMENTS.map((m) => [m.at, m.knowledge, m] as const))(
      'given the scripted case in the store, when GET /cases/{id}/state?at=%s knowing %s, then the API answers the hand-written expectation and the projection of the stored events',
      async (at, knowledge, moment) => {
        // "Before the start confirmation": the moment the event before it was recorded.
        const started = recorded.findIndex((e) => e.type === 'HandoverStarted');
        const asRecordedAt = knowledge === 'everything' ? undefined : recorded[started - 1]!.recordedAt;
        const query = new URLSearchParams({ at, ...(asRecordedAt ? { asRecordedAt } : {}) });
        const answer = await api.get(KEN, `/cases/${caseId}/state?${query.toString()}`);
        expect(answer.status).toBe(200);
        expect(summarise(answer.body)).toEqual(moment.expected);
        expect(answer.body).toEqual(
          JSON.parse(
            JSON.stringify(
              caseStateAt(caseId, recorded, { at, asRecordedAt: asRecordedAt ?? answer.body.asRecordedAt }),
            ),
          ),
        );
        expect(answer.body.basis).toBe('effective-time');
      },
    );

    it.each([
      ['at', 'at=yesterday'],
      ['at', 'at=2025-02-30T10:00:00Z'],
      ['asRecordedAt', 'asRecordedAt=2025-13-01'],
    ])(
      'given a moment that is not one, when the state is asked with %s wrong, then 400 problem details name the field',
      async (field, query) => {
        const answer = await api.get(KEN, `/cases/${caseId}/state?${query.toString()}`);
        expect(answer.status).toBe(400);
        expect(answer.contentType).toMatch(/application\/problem\+json/);
        expect(answer.body.errors).toEqual([{ field, message: 'must be an ISO-8601 moment' }]);
        expect(answer.body.detail).toMatch(new RegExp(`^${field} must be an ISO-8601 moment such as`));
      },
    );
  });

  describe('who may read a case, and the read access log', () => {
    it('given an organisation that takes part in no handover or negotiation of the case, when it reads the case, then 404 (not 403) and the attempt is logged as denied', async () => {
      const answer = await api.get(OUTSIDER, `/cases/${caseId}/state`);
      expect(answer.status).toBe(404);
      expect(answer.body.detail).toMatch(/No case .* that your organisation takes part in/);
      const denied = (await accessLog(`caseId=${caseId}`)).filter((e) => e.organisation === OUTSIDER);
      expect(denied).toEqual([
        expect.objectContaining({
          subject: subjectOf(OUTSIDER),
          role: 'professional',
          route: '/cases/:caseId/state',
          path: `/cases/${caseId}/state`,
          caseId,
          status: 404,
          outcome: 'denied',
        }),
      ]);
      // Nor does the outsider learn anything from the case's access log.
      expect((await api.get(OUTSIDER, `/audit/access-log?caseId=${caseId}`)).status).toBe(404);
    });

    it('given a party, an inspector and an export, when each reads, then every read shows up in the access log with who, organisation, role, what, format and when', async () => {
      const since = new Date().toISOString();
      expect((await api.get(AMS, `/cases/${caseId}/timeline`)).status).toBe(200);
      expect((await inspector(`/cases/${caseId}/state?at=2025-11-06T12:00:00Z`)).status).toBe(200);
      expect((await inspector(`/cases/${caseId}/leads`)).status).toBe(200);
      const csv = await inspector(`/audit/access-log?caseId=${caseId}&format=csv`);
      expect(csv.status).toBe(200);
      const entries = await accessLog(`caseId=${caseId}&from=${encodeURIComponent(since)}`);
      expect(entries.map((e) => [e.organisation, e.role, e.route, e.format, e.outcome])).toEqual([
        [AMS, 'professional', '/cases/:caseId/timeline', 'json', 'allowed'],
        [INSPECTOR, 'inspector', '/cases/:caseId/state', 'json', 'allowed'],
        [INSPECTOR, 'inspector', '/cases/:caseId/leads', 'json', 'allowed'],
        [INSPECTOR, 'inspector', '/audit/access-log', 'csv', 'allowed'],
      ]);
      expect(entries[1]).toMatchObject({ path: `/cases/${caseId}/state?at=2025-11-06T12:00:00Z`, caseId });
      for (const entry of entries) expect(Date.parse(entry.readAt)).toBeGreaterThanOrEqual(Date.parse(since));
    });

    it('given reads of a case, when a party exports the access log as CSV, then it sees every read of its case, escaped, and without a case only its own reads', async () => {
      await api.get(KEN, `/cases/${caseId}/responsibility`);
      const csv = await api.send({
        path: `/audit/access-log?caseId=${caseId}`,
        as: KEN,
        headers: { accept: 'text/csv' },
      });
      expect(csv.status).toBe(200);
      expect(csv.contentType).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(/attachment; filename="access-log-case-audit-/);
      const [header, ...lines] = csv.text.trim().split('\r\n');
      expect(header).toBe('id,readAt,subject,organisation,role,caseId,route,path,format,status,outcome');
      expect(lines.some((l) => l.includes(`,${INSPECTOR},inspector,${caseId},/cases/:caseId/state,`))).toBe(true);
      expect(lines.some((l) => l.includes(`,${KEN},professional,${caseId},/cases/:caseId/responsibility,`))).toBe(true);
      const own = (await api.get(KEN, '/audit/access-log')).body.entries as Json[];
      expect(own.length).toBeGreaterThan(0);
      expect(new Set(own.map((e) => e.organisation))).toEqual(new Set([KEN]));
    });

    it('given an inspector, when it tries to change anything, then 403 problem details say inspectors only read and nothing changes', async () => {
      const before = (await inspector(`/cases/${caseId}/timeline`)).body.events.length;
      const attempts = [
        await inspector('/handovers', 'POST', { caseId, childIds: ['c'], toOrg: AMS, reason: 'family-moved' }),
        await inspector(`/cases/${caseId}/keep-decision`, 'POST', { reason: 'x' }),
        await inspector(`/lead-negotiations/${randomUUID()}/proposals`, 'POST', { lead: KEN, rationale: 'x' }),
      ];
      for (const attempt of attempts) {
        expect(attempt.status).toBe(403);
        expect(attempt.body).toMatchObject({ type: '/problems/inspector-read-only', title: 'Inspectors only read' });
      }
      expect((await inspector(`/cases/${caseId}/timeline`)).body.events.length).toBe(before);
    });

    it('given the access log table, when someone rewrites or deletes a read in PostgreSQL, then the database refuses', async () => {
      await expect(service.db.dataSource.query(`UPDATE read_access_log SET organisation = 'x'`)).rejects.toThrow(
        /append-only/,
      );
      await expect(service.db.dataSource.query('DELETE FROM read_access_log')).rejects.toThrow(/append-only/);
    });
  });

  describe('the timeline report', () => {
    const report = (format: string, as = KEN) =>
      api.send({
        path: `/cases/${caseId}/report?format=${format}`,
        as,
        role: as === INSPECTOR ? 'inspector' : 'professional',
      });

    it('given the case, when the report is asked as JSON, then its lanes, markers and rows tell who was responsible and who led, over time', async () => {
      const answer = await report('json');
      expect(answer.status).toBe(200);
      expect(answer.body.basis).toBe('effective-time');
      expect(answer.body.lanes.map((l: Json) => [l.key, l.bars.map((b: Json) => b.organisation)])).toEqual([
        ['responsible', [KEN, AMS]],
        ['lead-care', [AMS]],
        ['lead-safety', [PNH]],
      ]);
      expect(answer.body.markers.map((m: Json) => m.kind).sort()).toEqual(
        [
          ...['escalation', 'escalation', 'escalation'],
          ...['mismatch', 'mismatch'],
          ...['notice-acknowledged', 'notice-failed', 'notice-sent', 'notice-sent'],
        ].sort(),
      );
      expect(answer.body.rows.map((r: Json) => r.type)).toEqual(recorded.map((e) => e.type));
    });

    it('given the case, when the report is asked as CSV (by query or by Accept), then every event is one escaped row with both clocks', async () => {
      const byQuery = await report('csv');
      const byAccept = await api.send({ path: `/cases/${caseId}/report`, as: KEN, headers: { accept: 'text/csv' } });
      for (const answer of [byQuery, byAccept]) {
        expect(answer.status).toBe(200);
        expect(answer.contentType).toMatch(/^text\/csv/);
        expect(answer.headers['content-disposition']).toMatch(/^attachment; filename="tijdlijn-case-audit-/);
      }
      const lines = byQuery.text.trim().split('\r\n');
      expect(lines[0]).toBe('position,effectiveAt,recordedAt,type,organisation,role,subject,summary');
      expect(lines).toHaveLength(recorded.length + 1);
      // A summary with a comma is quoted, so the row keeps its eight columns.
      const opened = lines.find((l) => l.includes(',LeadNegotiationOpened,') && l.includes(KEN));
      expect(opened).toMatch(/,"Regie-overleg zorgketen geopend: vt-kennemerland, vt-amsterdam-amstelland"$/);
      const started = recorded.find((e) => e.type === 'HandoverStarted')!;
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^${started.globalPosition},2025-11-10T09:00:00.000Z,${started.recordedAt},HandoverStarted,`),
        ),
      );
    });

    it('given an unknown format or an Accept the report cannot meet, when asked, then 400 and 406 problem details list the formats', async () => {
      const unknown = await report('xlsx');
      expect(unknown.status).toBe(400);
      expect(unknown.body.detail).toMatch(/format must be one of json, csv, html, pdf/);
      const image = await api.send({ path: `/cases/${caseId}/report`, as: KEN, headers: { accept: 'image/png' } });
      expect(image.status).toBe(406);
      expect(image.body.detail).toMatch(/application\/pdf/);
    });

    it('given the HTML report, when headless Chromium renders it, then the chart has its three lanes with visible bars and the screenshot shows the lane colours', async () => {
      const html = await report('html', INSPECTOR);
      expect(html.status).toBe(200);
      expect(html.contentType).toMatch(/^text\/html/);
      expect(html.text).not.toMatch(/<script|<link|src="http|url\(/);
      await withChromium(CHROMIUM, async (context) => {
        const page = await context.newPage();
        await page.setViewportSize({ width: 1200, height: 900 });
        await page.setContent(html.text, { waitUntil: 'load' });
        const lanes = await page.$$eval('svg.chart g.lane', (gs) =>
          gs.map((g) => ({
            lane: g.getAttribute('data-lane'),
            bars: [...g.querySelectorAll('rect.bar')].map((r) => {
              const box = r.getBoundingClientRect();
              return { organisation: r.getAttribute('data-organisation'), width: box.width, height: box.height };
            }),
            markers: g.querySelectorAll('.marker').length,
          })),
        );
        expect(lanes.map((l) => [l.lane, l.bars.map((b) => b.organisation), l.markers])).toEqual([
          ['responsible', [KEN, AMS], 6],
          ['lead-care', [AMS], 2],
          ['lead-safety', [PNH], 1],
        ]);
        for (const bar of lanes.flatMap((l) => l.bars)) {
          expect(bar.width).toBeGreaterThan(5);
          expect(bar.height).toBeGreaterThan(10);
        }
        const chart = await page.$('svg.chart');
        const png = PNG.sync.read(await chart!.screenshot());
        // KEN, AMS and PNH get the first three colours, in order of appearance.
        const counts = ORGANISATION_COLOURS.slice(0, 3).map((colour) => pixelsOf(png, colour));
        for (const count of counts) expect(count).toBeGreaterThan(1000);
        // AMS is responsible for a short while and leads the care chain for longer: two bars of its colour.
        expect(counts[1]).toBeGreaterThan(counts[2]!);
      });
    });

    it('given the report as PDF, when downloaded, then it is a PDF with pages, and the access log shows each report read with its format', async () => {
      const since = new Date().toISOString();
      const res = await fetch(`${service.baseUrl}/cases/${caseId}/report?format=pdf`, {
        headers: { authorization: `Bearer ${await api.token(INSPECTOR, 'inspector')}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const pdf = Buffer.from(await res.arrayBuffer());
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pages = Number(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)/.exec(pdf.toString('latin1'))?.[1] ?? 0);
      expect(pages).toBeGreaterThanOrEqual(1);
      await report('html');
      const reads = (await accessLog(`caseId=${caseId}&from=${encodeURIComponent(since)}`)).filter(
        (e) => e.route === '/cases/:caseId/report',
      );
      expect(reads.map((e) => [e.organisation, e.format, e.outcome])).toEqual([
        [INSPECTOR, 'pdf', 'allowed'],
        [KEN, 'html', 'allowed'],
      ]);
    });
  });
});

/** How many pixels of a screenshot have (nearly) this colour. */
function pixelsOf(png: PNG, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let count = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (Math.abs(png.data[i]! - r) + Math.abs(png.data[i + 1]! - g) + Math.abs(png.data[i + 2]! - b) < 24) count++;
  }
  return count;
}
