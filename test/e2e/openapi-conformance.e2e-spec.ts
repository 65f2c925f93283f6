import { ApiClient, type ApiRequest, newCaseId, newChildId, RECEIVER, SENDER } from '../support/api-client';
import { OpenApiConformance } from '../support/openapi-conformance';
import { type RunningService, startService } from '../support/service';

const INSPECTORATE = 'inspectie-gezondheidszorg-en-jeugd';

/**
 * The answers of a whole case, a handover, a lead negotiation, contact points, a safety
 * agreement, a report to Veilig Thuis and the management figures, and the
 * refusals a client meets on the way, each checked against the published OpenAPI document:
 * documented status, listed content type, body that matches its schema.
 */
describe('the API answers as its OpenAPI document says (e2e)', () => {
  let service: RunningService;
  let api: ApiClient;
  let conformance: OpenApiConformance;
  const found: string[] = [];

  beforeAll(async () => {
    service = await startService({ DEMO_MODE: 'true' });
    api = new ApiClient(service.baseUrl);
    conformance = await OpenApiConformance.of(service.baseUrl);
  });
  afterAll(() => service?.stop());

  /** Sends the request and records whatever in its answer the document does not allow. */
  async function call(request: ApiRequest & { as: string | null }) {
    const answer = await api.send(request);
    found.push(...conformance.problems(request.method ?? 'GET', request.path, answer));
    return answer;
  }
  const get = (as: string | null, path: string, role?: string) => call({ path, as, ...(role ? { role } : {}) });
  const post = (as: string | null, path: string, json: unknown, role?: string) =>
    call({ method: 'POST', path, as, json, ...(role ? { role } : {}) });

  it('given a case through its life, when every answer is checked against the document, then each conforms', async () => {
    await get(null, '/health/live');
    await get(null, '/health');
    await get(SENDER, '/auth/session');
    await get(SENDER, '/organisations');
    await get(SENDER, `/organisations/${SENDER}`);
    await get(SENDER, '/organisations/no-such-organisation');

    const opened = await post(SENDER, '/cases', { childIds: [newChildId(), newChildId()] });
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    await post(SENDER, `/cases/${caseId}/children`, { childIds: [newChildId()] });
    await post(SENDER, `/cases/${caseId}/involvements`, {
      organisation: 'gemeente-haarlemmermeer',
      reason: 'municipality',
    });

    const requested = await post(SENDER, '/handovers', {
      caseId,
      childIds: [opened.body.event.childIds[0]],
      toOrg: RECEIVER,
      reason: 'family-moved',
      riskAssessmentRef: 'risk-assessment-1',
      deadlines: { receipt: 1, start: 10 },
    });
    expect(requested.status).toBe(201);
    const handoverId = requested.body.handoverId as string;
    await post(RECEIVER, `/handovers/${handoverId}/receipt`, {});
    await post(RECEIVER, `/handovers/${handoverId}/acceptance`, { plannedStartDate: '2026-12-01' });
    await post(RECEIVER, `/handovers/${handoverId}/start-confirmation`, {});
    await post(RECEIVER, `/handovers/${handoverId}/rejection`, { reason: 'Too late: care started.' }); // 409
    await get(SENDER, `/handovers/${handoverId}`);
    await get(RECEIVER, '/handovers?limit=1');
    await get(SENDER, '/handovers?status=started&overdue=false');

    const second = await post(SENDER, '/handovers', {
      caseId,
      childIds: [opened.body.event.childIds[1]],
      toOrg: RECEIVER,
      reason: 'family-moved',
    });
    await post(RECEIVER, `/handovers/${second.body.handoverId}/rejection`, { reason: 'Not our region.' });
    await post(SENDER, `/cases/${caseId}/keep-decision`, { reason: 'Help continues here.' });

    // The handover between two Veilig Thuis regions opened the care chain's negotiation of this
    // case already (409 for a second); a case of its own opens one.
    await post(SENDER, `/cases/${caseId}/lead-negotiations`, { chain: 'care', parties: [SENDER, RECEIVER] });
    const negotiationCase = (await post(SENDER, '/cases', { childIds: [newChildId()] })).body.caseId as string;
    const negotiation = await post(SENDER, `/cases/${negotiationCase}/lead-negotiations`, {
      chain: 'care',
      parties: [SENDER, RECEIVER],
      municipality: 'gemeente-haarlemmermeer',
    });
    expect(negotiation.status).toBe(201);
    const negotiationId = negotiation.body.negotiationId as string;
    const proposed = await post(SENDER, `/lead-negotiations/${negotiationId}/proposals`, {
      lead: SENDER,
      rationale: 'The child lives here.',
    });
    await post(RECEIVER, `/lead-negotiations/${negotiationId}/acceptances`, {
      proposalId: proposed.body.currentProposal.proposalId,
    });
    await get(RECEIVER, `/lead-negotiations/${negotiationId}`);

    for (const read of ['', '/responsibility', '/state', '/leads', '/notices', '/timeline?limit=2', '/report']) {
      await get(SENDER, `/cases/${caseId}${read}`);
    }
    await get(INSPECTORATE, `/cases/${caseId}/state?at=2026-01-01T00:00:00Z`, 'inspector'); // 200, nothing in effect yet
    await get(SENDER, `/cases/${caseId}/report?format=csv`);
    await get(SENDER, `/audit/access-log?caseId=${caseId}&limit=5`);
    await get(INSPECTORATE, '/audit/head', 'inspector');

    const added = await post(
      SENDER,
      `/organisations/${SENDER}/contact-points`,
      { role: 'manager', email: 'teamleiding@vt-kennemerland.example', label: 'Teamleiding' },
      'manager',
    );
    expect(added.status).toBe(201);
    const contactPointId = added.body.contactPoint.contactPointId as string;
    await call({
      method: 'PUT',
      path: `/organisations/${SENDER}/contact-points/${contactPointId}`,
      as: SENDER,
      role: 'manager',
      json: { role: 'manager', email: 'managers@vt-kennemerland.example', label: 'Managers' },
    });
    await get(SENDER, `/organisations/${SENDER}/contact-points?limit=1`, 'manager');
    await call({
      method: 'DELETE',
      path: `/organisations/${SENDER}/contact-points/${contactPointId}`,
      as: SENDER,
      role: 'manager',
    });

    expect(found).toEqual([]);
  });

  it('given a safety agreement and a report to Veilig Thuis, when every answer is checked against the document, then each conforms', async () => {
    const childId = newChildId();
    const caseId = (await post(SENDER, '/cases', { childIds: [childId] })).body.caseId as string;
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

    const made = await post(SENDER, `/cases/${caseId}/safety-agreements`, {
      code: 'no-contact-with-suspect',
      memberIds: [childId],
      monitor: { organisation: SENDER, role: 'professional' },
      moments: [day(1), day(8)],
    });
    expect(made.status).toBe(201);
    const agreementId = made.body.agreementId as string;
    const result = await post(SENDER, `/safety-agreements/${agreementId}/results`, {
      moment: day(1),
      outcome: 'not-kept',
      effects: [{ memberId: childId, effect: 'unsafe' }],
    });
    expect(result.status).toBe(200);
    await get(SENDER, `/safety-agreements/${agreementId}`);
    await get(SENDER, `/cases/${caseId}/safety-agreements`);
    await get(RECEIVER, `/safety-agreements/${agreementId}`); // 404: not a party

    const received = await post(SENDER, `/cases/${caseId}/meldingen`, {
      reporterKind: 'professional',
      receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect(received.status).toBe(201);
    const meldingId = received.body.meldingId as string;
    const assessed = await post(SENDER, `/meldingen/${meldingId}/safety-assessment`, { outcome: 'investigation' });
    expect(assessed.status).toBe(200);
    await post(SENDER, `/meldingen/${meldingId}/investigation`, {});
    await get(SENDER, `/meldingen/${meldingId}`);
    await get(SENDER, `/cases/${caseId}/meldingen`);
    await post(SENDER, '/meldingen/not-a-uuid/safety-assessment', { outcome: 'investigation' }); // 400

    const figures = await get(SENDER, `/management-figures?region=${SENDER}&from=${day(-30)}&to=${day(30)}`, 'manager');
    expect(figures.status).toBe(200);
    await get(SENDER, `/management-figures?region=${SENDER}&from=${day(-30)}&to=${day(30)}&format=csv`, 'manager');
    await get(SENDER, `/management-figures?region=${SENDER}&from=${day(-30)}&to=${day(30)}`); // 403: a professional

    expect(found).toEqual([]);
  });

  it('given a family through changes, a re-assessment and a goal, when every answer is checked against the document, then each conforms', async () => {
    const caseId = (await post(SENDER, '/cases', { childIds: [newChildId()] })).body.caseId as string;
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const changed = await post(SENDER, `/cases/${caseId}/family/changes`, {
      code: 'moved',
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    expect(changed.status).toBe(201);
    await post(SENDER, `/cases/${caseId}/family/reassessments`, {
      outcome: 'unsafe-conditions-needed',
      documentRef: 'vtk:dossier:2026-0042',
    });
    const goal = await post(SENDER, `/cases/${caseId}/family/goals`, {
      code: 'school-attendance',
      targetDate: day(30),
      owner: SENDER,
    });
    expect(goal.status).toBe(201);
    await post(SENDER, `/cases/${caseId}/family/goals/${goal.body.events[0].data.goalId}/result`, {
      result: 'achieved',
    });
    await get(SENDER, `/cases/${caseId}/family`);
    await get(SENDER, `/cases/${caseId}/family?at=yesterday`); // 400
    await get(RECEIVER, `/cases/${caseId}/family`); // 404: not a party

    expect(found).toEqual([]);
  });

  it('given the refusals a client meets, when each is checked against the document, then each is documented problem details', async () => {
    const answers = [
      await get(null, '/cases'.concat('/', newCaseId())), // 401
      await get(SENDER, `/cases/${newCaseId()}`), // 404
      await get(SENDER, `/cases/${newCaseId()}/responsibility?at=yesterday`), // 400
      await get(SENDER, '/handovers?status=lost'), // 400
      await post(SENDER, '/cases', { childIds: [] }), // 400
      await post(SENDER, '/cases', { childIds: ['Jan Jansen'] }), // 400 or 422
      await post(SENDER, '/cases', { childIds: ['111222333'] }), // 422: a BSN
      await call({
        method: 'POST',
        path: '/cases',
        as: SENDER,
        json: { childIds: [newChildId()] },
        idempotencyKey: null,
      }), // 400
      await post(INSPECTORATE, '/cases', { childIds: [newChildId()] }, 'inspector'), // 403
      await post(SENDER, '/handovers', { childIds: [newChildId()], toOrg: 'nowhere', reason: 'family-moved' }), // 422
      await post(SENDER, '/handovers/not-a-uuid/receipt', {}), // 400
      await get(SENDER, '/audit/head'), // 403
      await get(SENDER, `/cases/${newCaseId()}/report`, undefined), // 404
    ];
    expect(answers.every((a) => a.status >= 400 && a.contentType.startsWith('application/problem+json'))).toBe(true);
    expect(found).toEqual([]);
  });
});
