import { randomUUID } from 'node:crypto';
import { providerToken } from '../support/api-client';
import { startService, type RunningService } from '../support/service';

const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';
const UTRECHT = 'vt-utrecht';
const POL_NH = 'politie-noord-holland';
const INSPECTOR = 'inspectie-gezondheidszorg-en-jeugd';

type Json = Record<string, any>;

/** Lead negotiation through the HTTP API of the running apps, on real Temporal, PostgreSQL and Kafka. */
describe('lead negotiation through the API (e2e)', () => {
  let service: RunningService;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    service = await startService({ DEMO_MODE: 'true' });
    for (const [org, role] of [
      [KEN, 'professional'],
      [AMS, 'professional'],
      [UTRECHT, 'professional'],
      [POL_NH, 'professional'],
      [INSPECTOR, 'inspector'],
    ] as const) {
      tokens.set(org, await providerToken(org, role));
    }
    for (const org of [AMS, KEN]) tokens.set(`${org}:director`, await providerToken(org, 'director'));
  });
  afterAll(() => service?.stop());

  async function call(method: string, path: string, who: string, body?: unknown) {
    const res = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens.get(who)}`,
        ...(body !== undefined ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }
  /** A new case of Kennemerland's (the service issues case ids): Kennemerland is its first party. */
  const newCase = async () =>
    (await call('POST', '/cases', KEN, { childIds: [`child-${randomUUID().slice(0, 8)}`] })).body.caseId as string;
  const openCare = (caseId: string, extra: Json = {}) =>
    call('POST', `/cases/${caseId}/lead-negotiations`, KEN, {
      chain: 'care',
      parties: [KEN, AMS],
      municipality: 'gemeente-haarlemmermeer',
      deadlines: { agreement: 'PT5S', escalationInterval: 'PT2S' },
      ...extra,
    });

  it('given a care-chain negotiation, when a lead is proposed and accepted, then it is agreed, shown per chain and not before its time', async () => {
    const caseId = await newCase();
    const opened = await openCare(caseId);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      status: 'open',
      suggestedLead: { organisation: KEN, rule: 'region-where-child-lives' },
    });
    const id = opened.body.negotiationId as string;
    const before = new Date().toISOString();
    const proposed = await call('POST', `/lead-negotiations/${id}/proposals`, KEN, {
      lead: KEN,
      rationale: 'The child lives here.',
    });
    expect(proposed.body.currentProposal.waitingFor).toEqual([AMS]);
    const agreed = await call('POST', `/lead-negotiations/${id}/acceptances`, AMS, {
      proposalId: proposed.body.currentProposal.proposalId,
    });
    expect(agreed.body).toMatchObject({ status: 'agreed', lead: { organisation: KEN, how: 'agreed' } });
    expect(agreed.body.lead.acceptances.map((a: Json) => a.organisation)).toEqual([KEN, AMS]);

    expect((await call('GET', `/cases/${caseId}/leads`, AMS)).body).toMatchObject({
      care: { organisation: KEN, how: 'agreed' },
    });
    expect(
      (await call('GET', `/cases/${caseId}/leads?at=${encodeURIComponent(before)}`, AMS)).body.care,
    ).toBeUndefined();
  });

  it('given a negotiation, when a non-party, the wrong chain, an unknown organisation or a second negotiation comes in, then 403, 400, 422 and 409', async () => {
    const caseId = await newCase();
    const id = (await openCare(caseId)).body.negotiationId as string;
    // A non-party does not even learn that the negotiation exists (404); an inspector sees it but may not take part (403).
    expect(
      (await call('POST', `/lead-negotiations/${id}/proposals`, UTRECHT, { lead: UTRECHT, rationale: 'x' })).status,
    ).toBe(404);
    expect((await call('GET', `/lead-negotiations/${id}`, UTRECHT)).status).toBe(404);
    expect((await call('GET', `/lead-negotiations/${id}`, INSPECTOR)).status).toBe(200);
    const inspectorProposes = await call('POST', `/lead-negotiations/${id}/proposals`, INSPECTOR, {
      lead: KEN,
      rationale: 'x',
    });
    expect(inspectorProposes.status).toBe(403);
    expect(inspectorProposes.body.detail).toMatch(/inspector role reads any case but changes nothing/);
    const wrongChain = await call('POST', `/cases/${await newCase()}/lead-negotiations`, KEN, {
      chain: 'care',
      parties: [KEN, POL_NH],
    });
    expect(wrongChain.status).toBe(400);
    expect(wrongChain.body.errors[0].field).toBe('parties');
    expect(
      (
        await call('POST', `/cases/${await newCase()}/lead-negotiations`, KEN, {
          chain: 'care',
          parties: [KEN, 'vt-atlantis'],
        })
      ).status,
    ).toBe(422);
    const again = await openCare(caseId);
    expect(again.status).toBe(409);
    expect(again.body.negotiationId).toBe(id);
  });

  it('given silence, when escalation has not reached the directors, then a director’s decision is refused; once it has, one director’s decision waits for the other director’s confirmation and then the lead is in force with who decided and who confirmed', async () => {
    const caseId = await newCase();
    const id = (await openCare(caseId)).body.negotiationId as string;
    const early = await call('POST', `/lead-negotiations/${id}/decisions`, `${AMS}:director`, {
      lead: AMS,
      rationale: 'now',
    });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/a director may decide only once it has reached the directors/);
    // Due after 5 s, then every 2 s: the directors are reached after about 9 s.
    for (let i = 0; i < 40; i++) {
      const view = await call('GET', `/lead-negotiations/${id}`, KEN);
      if (view.body.escalation.level >= 3) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const byManager = await call('POST', `/lead-negotiations/${id}/decisions`, AMS, {
      lead: AMS,
      rationale: 'not a director',
    });
    expect(byManager.status).toBe(403);
    const taken = await call('POST', `/lead-negotiations/${id}/decisions`, `${AMS}:director`, {
      lead: AMS,
      rationale: 'Amsterdam holds the picture.',
    });
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({
      status: 'open',
      disagreement: true,
      pendingDecision: { lead: AMS, decidedBy: { organisation: AMS, role: 'director' }, waitingFor: [KEN] },
    });
    expect(taken.body.lead).toBeUndefined();
    expect((await call('GET', `/cases/${caseId}/leads`, KEN)).body.care).toBeUndefined();
    const decisionId = taken.body.pendingDecision.decisionId as string;

    expect(
      (await call('POST', `/lead-negotiations/${id}/decision-confirmations`, `${KEN}:director`, { decisionId: 'x' }))
        .status,
    ).toBe(400);
    expect((await call('POST', `/lead-negotiations/${id}/decision-confirmations`, KEN, { decisionId })).status).toBe(
      403,
    );
    expect(
      (await call('POST', `/lead-negotiations/${id}/decision-confirmations`, INSPECTOR, { decisionId })).status,
    ).toBe(403);
    expect(
      (await call('POST', `/lead-negotiations/${id}/decision-confirmations`, UTRECHT, { decisionId })).status,
    ).toBe(404);
    const own = await call('POST', `/lead-negotiations/${id}/decision-confirmations`, `${AMS}:director`, {
      decisionId,
    });
    expect(own.status).toBe(409);

    const confirmed = await call('POST', `/lead-negotiations/${id}/decision-confirmations`, `${KEN}:director`, {
      decisionId,
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      status: 'decided',
      lead: {
        organisation: AMS,
        how: 'decided',
        decidedBy: { organisation: AMS, role: 'director' },
        confirmations: [{ organisation: KEN, role: 'director' }],
      },
    });
    expect((await call('GET', `/lead-negotiations/${id}`, AMS)).body.lead).toMatchObject({
      decidedBy: { organisation: AMS },
      confirmations: [{ organisation: KEN }],
    });
    expect((await call('GET', `/cases/${caseId}/leads`, KEN)).body.care).toMatchObject({
      organisation: AMS,
      how: 'decided',
      decidedBy: { organisation: AMS, role: 'director' },
      confirmations: [{ organisation: KEN, role: 'director' }],
    });
    const state = await call('GET', `/cases/${caseId}/state`, KEN);
    expect(state.body.chains.care.lead).toMatchObject({
      organisation: AMS,
      decidedBy: { organisation: AMS },
      confirmations: [{ organisation: KEN }],
    });
    const report = await call('GET', `/cases/${caseId}/report?format=json`, KEN);
    expect(report.body.rows.map((r: Json) => r.summary)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Besluit van de bestuurder van vt-amsterdam-amstelland: .*wacht op bevestiging door vt-kennemerland/,
        ),
        expect.stringMatching(/^Besluit bevestigd door vt-kennemerland \(director\)/),
        expect.stringMatching(
          /^Regie besloten door vt-amsterdam-amstelland \(director\), bevestigd door vt-kennemerland/,
        ),
      ]),
    );
  });
});
