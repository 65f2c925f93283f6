import { ApiClient, newCaseId, newChildId } from '../support/api-client';
import { startService, type RunningService } from '../support/service';

const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';
/** Veilig Thuis Zuid-Limburg: no part in Kennemerland's case. */
const OUTSIDER = 'vt-zuid-limburg';
const MUNICIPALITY = 'gemeente-haarlemmermeer';
const INSPECTORATE = 'inspectie-gezondheidszorg-en-jeugd';

type Json = Record<string, any>;

/**
 * Issue 11 through the running apps: only parties act on or read a case, every child has exactly
 * one responsible organisation, only that organisation hands it over, one open handover per child,
 * and a rejection is followed by a decision or an escalation (DEMO_MODE: deadlines in seconds).
 */
describe('case integrity through the API (e2e)', () => {
  let service: RunningService;
  let api: ApiClient;

  beforeAll(async () => {
    service = await startService({ DEMO_MODE: 'true' });
    api = new ApiClient(service.baseUrl);
  });
  afterAll(() => service?.stop());

  const timelineOf = async (caseId: string) =>
    ((await api.get(KEN, `/cases/${caseId}/timeline`)).body.events as Json[]).map((e) => e.type as string);
  const handover = (as: string, json: Json) =>
    api.post(as, '/handovers', { toOrg: AMS, reason: 'family-moved', ...json });
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  it('given a case of Veilig Thuis Kennemerland, when Veilig Thuis Zuid-Limburg hands over a child of it, then 404 as for no case, nothing is recorded, the case stays unreadable to it, and each attempt is in the access log', async () => {
    const child = newChildId();
    const created = await handover(KEN, { childIds: [child, newChildId()] });
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;
    // Two Veilig Thuis regions: the workflow opens the care-chain negotiation right after answering.
    const before = await until('the care-chain negotiation', async () => {
      const types = await timelineOf(caseId);
      return types.includes('LeadNegotiationOpened') ? types : undefined;
    });

    const intrusion = await handover(OUTSIDER, { caseId, childIds: [child] });
    const missing = await handover(OUTSIDER, { caseId: newCaseId(), childIds: [child] });
    expect(intrusion.status).toBe(404);
    expect(missing.status).toBe(404);
    // The outsider cannot tell a case that exists from one that does not.
    expect(intrusion.body.title).toBe(missing.body.title);
    expect(intrusion.body.detail.replace(caseId, 'ID')).toBe(missing.body.detail.replace(/[0-9a-f-]{36}/, 'ID'));
    expect(await timelineOf(caseId)).toEqual(before);

    for (const path of ['', '/timeline', '/state', '/responsibility', '/leads', '/notices', '/report?format=json'])
      expect((await api.get(OUTSIDER, `/cases/${caseId}${path}`)).status).toBe(404);
    expect((await api.get(OUTSIDER, `/handovers/${created.body.handoverId}`)).status).toBe(404);
    expect(
      (await api.post(OUTSIDER, `/cases/${caseId}/lead-negotiations`, { chain: 'care', parties: [OUTSIDER, KEN] }))
        .status,
    ).toBe(404);
    expect(
      (await api.post(OUTSIDER, `/cases/${caseId}/involvements`, { organisation: OUTSIDER, reason: 'other' })).status,
    ).toBe(404);
    expect(await timelineOf(caseId)).toEqual(before);

    const log = await api.send({
      path: `/audit/access-log?caseId=${caseId}`,
      as: INSPECTORATE,
      role: 'inspector',
    });
    expect(log.status).toBe(200);
    const denied = (log.body.entries as Json[]).filter((e) => e.organisation === OUTSIDER);
    expect(denied.length).toBeGreaterThanOrEqual(9);
    expect(denied.every((e) => e.outcome === 'denied' && e.status === 404)).toBe(true);
    // The attempts to act are there too, not only the reads.
    expect(denied.map((e) => e.route)).toEqual(
      expect.arrayContaining(['/handovers', '/cases/:caseId/lead-negotiations', '/cases/:caseId/involvements']),
    );
  });

  it('given a family of two opened by Kennemerland, when one sibling is handed over and care starts, then only that child moves, and only the responsible organisation may hand each child over', async () => {
    const [older, younger] = [newChildId(), newChildId()];
    const caseId = await api.openCase(KEN, [older, younger]);
    const overview = (await api.get(KEN, `/cases/${caseId}`)).body;
    expect(overview.parties.map((p: Json) => p.organisation)).toEqual([KEN]);
    expect(overview.children.map((c: Json) => [c.childId, c.responsible.organisation])).toEqual([
      [older, KEN],
      [younger, KEN],
    ]);

    const sent = await handover(KEN, { caseId, childIds: [older] });
    expect(sent.status).toBe(201);
    const id = sent.body.handoverId as string;
    // One open handover per child: the same child again is refused, naming the open handover.
    const twice = await handover(KEN, { caseId, childIds: [older] });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ openHandoverId: id });
    expect(twice.body.detail).toMatch(new RegExp(`already in open handover ${id}`));

    const received = await api.post(AMS, `/handovers/${id}/receipt`, {});
    expect(received.status).toBe(200);
    await api.post(AMS, `/handovers/${id}/acceptance`, { plannedStartDate: new Date().toISOString().slice(0, 10) });
    // A start cannot be dated before the receipt, nor in the future.
    const beforeReceipt = new Date(Date.parse(received.body.receivedAt) - 60_000).toISOString();
    expect((await api.post(AMS, `/handovers/${id}/start-confirmation`, { startedAt: beforeReceipt })).status).toBe(400);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const refusedFuture = await api.post(AMS, `/handovers/${id}/start-confirmation`, { startedAt: future });
    expect(refusedFuture.status).toBe(400);
    expect(refusedFuture.body.detail).toMatch(/lies in the future/);
    await new Promise((r) => setTimeout(r, 300));
    const startedAt = new Date().toISOString();
    expect((await api.post(AMS, `/handovers/${id}/start-confirmation`, { startedAt })).status).toBe(200);

    const responsibility = (await api.get(KEN, `/cases/${caseId}/responsibility`)).body;
    expect(responsibility.responsible).toBeUndefined();
    expect(responsibility.children.map((c: Json) => [c.childId, c.responsible.organisation])).toEqual([
      [older, AMS],
      [younger, KEN],
    ]);
    const beforeStart = received.body.receivedAt as string;
    const earlier = (await api.get(AMS, `/cases/${caseId}/responsibility?at=${encodeURIComponent(beforeStart)}`)).body;
    expect(earlier).toMatchObject({ responsible: { organisation: KEN } });
    const state = (await api.get(AMS, `/cases/${caseId}/state`)).body;
    expect(state.children.map((c: Json) => c.responsible.organisation)).toEqual([AMS, KEN]);
    const report = (await api.get(AMS, `/cases/${caseId}/report?format=json`)).body;
    expect(report.lanes.map((l: Json) => l.key)).toEqual(
      expect.arrayContaining([`responsible:${older}`, `responsible:${younger}`]),
    );

    // Only the organisation responsible for a child hands it over.
    const notYours = await handover(AMS, { caseId, childIds: [younger], toOrg: KEN });
    expect(notYours.status).toBe(403);
    expect(notYours.body.detail).toMatch(new RegExp(`responsible for child ${younger}.*${KEN}`));
    const noLongerYours = await handover(KEN, { caseId, childIds: [older] });
    expect(noLongerYours.status).toBe(403);
    expect(noLongerYours.body.detail).toMatch(new RegExp(`${AMS}`));
    expect((await handover(KEN, { caseId, childIds: [younger] })).status).toBe(201);
  });

  it('given a rejected handover, when the sender records no decision within the follow-up deadline, then it escalates up the sender’s ladder alone, until the sender keeps the child', async () => {
    const created = await handover(KEN, {
      childIds: [newChildId()],
      deadlines: { receipt: 'PT1H', start: 'PT2H', escalationInterval: 'PT1H', followUp: 'PT3S' },
    });
    const { caseId, handoverId } = created.body as { caseId: string; handoverId: string };
    expect(
      (await api.post(AMS, `/handovers/${handoverId}/rejection`, { reason: 'No capacity this month.' })).status,
    ).toBe(200);
    const escalation = await until('the follow-up escalation', async () => {
      const events = (await api.get(KEN, `/cases/${caseId}/timeline`)).body.events as Json[];
      return events.find((e) => e.type === 'HandoverEscalated' && e.data.reason === 'follow-up-overdue');
    });
    expect(escalation.data).toMatchObject({
      level: 1,
      responsibleOrg: KEN,
      recipients: [expect.objectContaining({ organisation: KEN, role: 'team-lead' })],
    });
    const waiting = (await api.get(KEN, `/cases/${caseId}/responsibility`)).body;
    expect(waiting.unresolvedHandovers).toEqual([expect.objectContaining({ handoverId, status: 'rejected' })]);

    expect(
      (await api.post(KEN, `/cases/${caseId}/keep-decision`, { reason: 'We continue the help ourselves.', handoverId }))
        .status,
    ).toBe(200);
    expect((await api.get(KEN, `/cases/${caseId}/responsibility`)).body.unresolvedHandovers).toEqual([]);
  });

  it('given a case, when a party involves the municipality, then the municipality reads the case as a party with its reason, and an outsider still cannot', async () => {
    const caseId = await api.openCase(KEN);
    expect((await api.get(MUNICIPALITY, `/cases/${caseId}`)).status).toBe(404);
    const involved = await api.post(KEN, `/cases/${caseId}/involvements`, {
      organisation: MUNICIPALITY,
      reason: 'municipality',
    });
    expect(involved.status).toBe(201);
    const seen = await api.get(MUNICIPALITY, `/cases/${caseId}`);
    expect(seen.status).toBe(200);
    expect(seen.body.parties).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          organisation: MUNICIPALITY,
          bases: ['involved-by-a-party'],
          reasons: ['municipality'],
        }),
      ]),
    );
    expect((await api.get(OUTSIDER, `/cases/${caseId}`)).status).toBe(404);
  });

  it.each([
    ['a nine-digit number that passes the BSN eleven-test', '111222333'],
    ['a BSN inside an id', 'child-123456782'],
    ['an e-mail address', 'jan@example.nl'],
    ['a name with a space', 'Jan Jansen'],
  ])(
    'given %s as a child id, when a case is opened with it, then 422 says ids are pseudonymous and nothing is stored',
    async (_what, id) => {
      const before = ((await api.get(KEN, '/handovers')).body as Json[]).length;
      const refused = await api.post(KEN, '/cases', { childIds: [id] });
      expect(refused.status).toBe(422);
      expect(refused.body.type).toMatch(/personal-data$/);
      expect(refused.body.detail).toMatch(/pseudonymous/);
      expect((await handover(KEN, { childIds: [id] })).status).toBe(422);
      expect(((await api.get(KEN, '/handovers')).body as Json[]).length).toBe(before);
    },
  );

  it('given an open handover, when the sender reports that the family could not be reached, then it is recorded and escalates at once', async () => {
    const { handoverId, caseId } = (await handover(KEN, { childIds: [newChildId()] })).body as Json;
    const reported = await api.post(KEN, `/handovers/${handoverId}/contact-failure`, {
      reason: 'The family did not open the door twice.',
    });
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({ contactFailures: 1, escalation: { level: 1, lastReason: 'contact-failed' } });
    expect(await timelineOf(caseId as string)).toEqual(
      expect.arrayContaining(['HandoverContactFailed', 'HandoverEscalated']),
    );
  });
});
