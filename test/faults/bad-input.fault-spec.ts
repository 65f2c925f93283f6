import { ApiClient, RECEIVER, SENDER, newCaseId, newChildId, type ApiRequest } from '../support/api-client';
import { withClient } from '../support/database';
import { startService, type RunningService } from '../support/service';

/** Strings a hostile or broken client puts where ids and values go. */
const HOSTILE = {
  sql: "' OR 1=1 --",
  sqlDrop: "x'; DROP TABLE events; --",
  nosql: '{"$gt": ""}',
  traversal: '../../etc/passwd',
  long: 'x'.repeat(10_000),
  control: 'a\u0000b\u0007c\u001b[31m\u202ed\u0085',
  loneSurrogate: '\ud800',
} as const;
const HOSTILE_STRINGS: readonly string[] = Object.values(HOSTILE);
/** The same in JSON's own shapes: an operator object where a string belongs, and the like. */
const HOSTILE_VALUES: readonly unknown[] = [{ $gt: '' }, { $ne: null }, ['x'], 42, true, null];
/**
 * Ids that are personal data typed where a pseudonymous id belongs: a name (a space), an e-mail
 * address, a BSN (111222333 passes the eleven-test), and a BSN inside an otherwise good id.
 */
const PERSONAL_IDS: readonly string[] = ['Jan de Vries', 'jan.devries@example.nl', '111222333', 'child-111222333'];
/** An organisation that takes no part in the drill's cases. */
const OUTSIDER = 'vt-zuid-limburg';

/** The outcome per request: the name says what was sent. */
type Case = readonly [name: string, request: ApiRequest];

/**
 * Fault drill: every endpoint fed malformed JSON, wrong types, an oversized body, unknown
 * fields, invalid dates, and injection strings in ids and fields. Every answer must be a 4xx
 * problem (never a 5xx, never a hang), and the event store must not change. It kills nothing,
 * so it runs on the shared infrastructure of `npm test`.
 */
describe('fault drill: bad input on every endpoint', () => {
  let service: RunningService;
  let api: ApiClient;
  let requested: { handoverId: string; caseId: string };
  let received: { handoverId: string; caseId: string };
  let accepted: { handoverId: string; caseId: string };

  beforeAll(async () => {
    service = await startService();
    api = new ApiClient(service.baseUrl);
    // The deliberately valid setup: a handover in each state the commands below need.
    const create = async () => {
      const res = await api.requestHandover({ receipt: 1, start: 10 });
      expect(res.status).toBe(201);
      return res.body as { handoverId: string; caseId: string };
    };
    [requested, received, accepted] = [await create(), await create(), await create()];
    for (const { handoverId } of [received, accepted])
      expect((await api.post(RECEIVER, `/handovers/${handoverId}/receipt`, {})).status).toBe(200);
    const plannedStartDate = new Date().toISOString().slice(0, 10);
    expect(
      (await api.post(RECEIVER, `/handovers/${accepted.handoverId}/acceptance`, { plannedStartDate })).status,
    ).toBe(200);
  });
  afterAll(() => service?.stop());

  const eventCount = () =>
    withClient(service.db.url, async (c) => Number((await c.query('SELECT count(*) AS n FROM events')).rows[0].n));

  function cases(): Case[] {
    // Valid but for the field each case spoils: it would register a new case (no caseId: the
    // service issues one), so a refusal is the spoiled field's and never the case's.
    const valid = { childIds: [newChildId()], toOrg: RECEIVER, reason: 'family-moved' };
    const post = (path: string, json: unknown, as = SENDER): ApiRequest => ({ method: 'POST', path, as, json });
    const raw = (method: string, path: string, body: string, as = SENDER): ApiRequest => ({
      method,
      path,
      as,
      raw: body,
    });
    const huge = JSON.stringify({ ...valid, padding: 'x'.repeat(300_000) });
    const enc = encodeURIComponent;
    const acc = `/handovers/${accepted.handoverId}`;
    const rec = `/handovers/${received.handoverId}`;
    const req = `/handovers/${requested.handoverId}`;
    const list: Case[] = [];

    // Ids in paths: every endpoint that takes one.
    const steps: [string, unknown, string][] = [
      ['receipt', {}, RECEIVER],
      ['acceptance', { plannedStartDate: '2026-12-01' }, RECEIVER],
      ['start-confirmation', {}, RECEIVER],
      ['rejection', { reason: 'No capacity.' }, RECEIVER],
      ['contact-failure', { reason: 'No answer.' }, RECEIVER],
      ['withdrawal', { reason: 'Stays here.' }, SENDER],
    ];
    const ids = [
      ...HOSTILE_STRINGS.filter((v) => v !== HOSTILE.loneSurrogate).map(enc),
      // A lone surrogate cannot be percent-encoded as UTF-8; these are its bytes, and a broken escape.
      '%ED%A0%80',
      '%E0%A4%A',
      '00000000-0000-0000-0000-000000000000',
      '..%2F..%2Fetc',
    ];
    for (const id of ids) {
      const shown = id.length > 40 ? `${id.slice(0, 20)}…(${id.length})` : id;
      list.push([`GET /handovers/${shown}`, { path: `/handovers/${id}`, as: SENDER }]);
      for (const [step, body, as] of steps)
        list.push([`POST /handovers/${shown}/${step}`, post(`/handovers/${id}/${step}`, body, as)]);
      list.push([`GET /cases/${shown}/responsibility`, { path: `/cases/${id}/responsibility`, as: SENDER }]);
      list.push([`GET /cases/${shown}/timeline`, { path: `/cases/${id}/timeline`, as: SENDER }]);
      list.push([`POST /cases/${shown}/keep-decision`, post(`/cases/${id}/keep-decision`, { reason: 'Keep it.' })]);
      list.push([`GET /cases/${shown}`, { path: `/cases/${id}`, as: SENDER }]);
      list.push([`POST /cases/${shown}/children`, post(`/cases/${id}/children`, { childIds: [newChildId()] })]);
      list.push([
        `POST /cases/${shown}/involvements`,
        post(`/cases/${id}/involvements`, { organisation: 'gemeente-haarlemmermeer', reason: 'municipality' }),
      ]);
      list.push([`GET /organisations/${shown}`, { path: `/organisations/${id}`, as: SENDER }]);
    }
    list.push(['GET raw traversal', { path: '/handovers/../../etc/passwd', as: SENDER }]);
    list.push(['GET /handovers/{id} of a case id', { path: `/handovers/${requested.caseId}`, as: SENDER }]);

    // Cases: a body that must be refused, an id nobody registered, a case of someone else's.
    for (const body of ['{"childIds": ', '[]', 'null', '"text"'])
      list.push([`POST /cases malformed ${body}`, raw('POST', '/cases', body)]);
    // (A list of one valid id, as HOSTILE_VALUES has, is a valid childIds.)
    for (const childIds of [
      undefined,
      [],
      'child-1',
      [42],
      Array.from({ length: 21 }, newChildId),
      ...HOSTILE_VALUES.filter((v) => !Array.isArray(v)),
    ])
      list.push([`POST /cases childIds ${JSON.stringify(childIds)?.slice(0, 30)}`, post('/cases', { childIds })]);
    list.push(['POST /cases unknown field', post('/cases', { childIds: [newChildId()], caseId: 'mine' })]);
    const missing = newCaseId();
    list.push(['POST /handovers into a case nobody registered', post('/handovers', { ...valid, caseId: missing })]);
    list.push(['GET /cases/{id} nobody registered', { path: `/cases/${missing}`, as: SENDER }]);
    list.push([
      'POST lead negotiation in a case nobody registered',
      post(`/cases/${missing}/lead-negotiations`, { chain: 'care', parties: [SENDER, RECEIVER] }),
    ]);
    const inv = `/cases/${requested.caseId}/involvements`;
    for (const body of [
      {},
      { organisation: 'gemeente-haarlemmermeer' },
      { organisation: 'gemeente-haarlemmermeer', reason: 'curious' },
      { organisation: 'gemeente-nergens', reason: 'municipality' },
      { organisation: 'gemeente-haarlemmermeer', reason: 'municipality', surprise: true },
      ...HOSTILE_STRINGS.map((organisation) => ({ organisation, reason: 'municipality' })),
      ...HOSTILE_VALUES.map((reason) => ({ organisation: 'gemeente-haarlemmermeer', reason })),
    ])
      list.push([`POST involvement ${JSON.stringify(body).slice(0, 50)}`, post(inv, body)]);
    // An organisation without a part in the case learns nothing of it and changes nothing.
    for (const [name, request] of [
      ['GET the case', { path: `/cases/${requested.caseId}` }],
      ['GET its timeline', { path: `/cases/${requested.caseId}/timeline` }],
      ['GET its responsibility', { path: `/cases/${requested.caseId}/responsibility` }],
      ['GET a handover of it', { path: `/handovers/${requested.handoverId}` }],
      ['POST a handover of its child', post('/handovers', { ...valid, caseId: requested.caseId })],
      ['POST children to it', post(`/cases/${requested.caseId}/children`, { childIds: [newChildId()] })],
      ['POST an involvement in it', post(inv, { organisation: 'gemeente-heerlen', reason: 'municipality' })],
      ['POST a receipt of its handover', post(`${req}/receipt`, {})],
      [
        'POST a lead negotiation in it',
        post(`/cases/${requested.caseId}/lead-negotiations`, { chain: 'care', parties: [OUTSIDER, SENDER] }),
      ],
    ] as const)
      list.push([`as an outsider: ${name}`, { ...request, as: OUTSIDER }]);

    // Query parameters.
    for (const [name, query] of [
      ['status sql', `status=${enc(HOSTILE.sql)}`],
      ['status twice', 'status=requested&status=received'],
      ['status long', `status=${HOSTILE.long}`],
      ['status control', `status=requested${enc('\u0000')}`],
      ['overdue nosql', `overdue=${enc(HOSTILE.nosql)}`],
      ['overdue yes', 'overdue=yes'],
      ['org sql', `org=${enc(HOSTILE.sql)}`],
      ['org traversal', `org=${enc(HOSTILE.traversal)}`],
    ])
      list.push([`GET /handovers?${name}`, { path: `/handovers?${query}`, as: SENDER }]);
    // An inspector may list any organisation's handovers; the name still reaches the database.
    list.push([
      'GET /handovers?org=control as inspector',
      { path: `/handovers?org=${enc(HOSTILE.control)}`, as: 'inspectie-gezondheidszorg-en-jeugd', role: 'inspector' },
    ]);
    const responsibility = `/cases/${requested.caseId}/responsibility`;
    for (const at of [
      'yesterday',
      '2026-02-30T00:00:00Z',
      '2999-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T25:00:00Z',
      '2026-01-01garbage',
      '+275760-09-13T00:00:00.001Z',
      '',
      HOSTILE.sql,
      HOSTILE.nosql,
      HOSTILE.long,
      `2026-01-01${HOSTILE.control}`,
    ])
      list.push([`GET responsibility?at=${at.slice(0, 30)}`, { path: `${responsibility}?at=${enc(at)}`, as: SENDER }]);
    list.push(['GET responsibility?at twice', { path: `${responsibility}?at=2026-01-01&at=2026-01-02`, as: SENDER }]);

    // The audit endpoints: a professional may not, and an exported head must be a position and a hash.
    list.push(['GET /audit/verify as a professional', { path: '/audit/verify', as: SENDER }]);
    list.push(['GET /audit/head as a professional', { path: '/audit/head', as: SENDER }]);
    const hash = 'a'.repeat(64);
    // A lone surrogate cannot be percent-encoded into a URL at all.
    const inQuery = HOSTILE_STRINGS.filter((v) => v !== HOSTILE.loneSurrogate);
    for (const [name, query] of [
      ...inQuery.map((v) => [`headPosition=${v.slice(0, 20)}`, `headPosition=${enc(v)}&headHash=${hash}`]),
      ...inQuery.map((v) => [`headHash=${v.slice(0, 20)}`, `headPosition=1&headHash=${enc(v)}`]),
      ['headPosition twice', `headPosition=1&headPosition=2&headHash=${hash}`],
      ['headPosition too large', `headPosition=99999999999999999999&headHash=${hash}`],
      ['headPosition alone', 'headPosition=1'],
    ])
      list.push([
        `GET /audit/verify?${name}`,
        { path: `/audit/verify?${query}`, as: 'inspectie-gezondheidszorg-en-jeugd', role: 'inspector' },
      ]);

    // POST /handovers: malformed JSON, wrong types, unknown fields, hostile values.
    for (const body of ['{"caseId": ', '{', "{'caseId': 'x'}", '{"a":1}}', 'null', '[]', '"text"', '123', '\u0000'])
      list.push([`POST /handovers malformed ${JSON.stringify(body)}`, raw('POST', '/handovers', body)]);
    list.push([
      'POST /handovers with a 1e400 deadline',
      raw('POST', '/handovers', JSON.stringify(valid).replace(/}$/, ',"deadlines":{"receipt":1e400}}')),
    ]);

    list.push([
      'POST /handovers nested 100 000 deep',
      raw('POST', '/handovers', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    ]);
    list.push([
      'POST /handovers with a field nested 50 000 deep',
      raw(
        'POST',
        '/handovers',
        JSON.stringify(valid).replace(/}$/, `,"deadlines":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`),
      ),
    ]);
    const wrong: Record<string, unknown>[] = [
      { caseId: 42 },
      { caseId: '' },
      { caseId: 'Jan de Vries' },
      { childIds: 'child-1' },
      { childIds: [] },
      { childIds: [1] },
      { childIds: Array.from({ length: 21 }, (_, i) => `child-${i}`) },
      { toOrg: 42 },
      { toOrg: 'x'.repeat(101) },
      { reason: 'unknown' },
      { deadlines: 'soon' },
      { deadlines: [] },
      { deadlines: { receipt: 'abc' } },
      { deadlines: { receipt: -1 } },
      { deadlines: { receipt: 0 } },
      { deadlines: { receipt: 2.5 } },
      { deadlines: { receipt: 'PT5S' } },
      { deadlines: { receipt: true } },
      { deadlines: { receipt: 1, later: 3 } },
      { deadlines: { receipt: 5, start: 1 } },
      { safetyAgreementRefs: 'x' },
      { riskAssessmentRef: {} },
      { fromOrg: 42 },
      { surprise: true },
      { $where: 'sleep(1000)' },
      // Not here: "__proto__" and "constructor" keys, which class-transformer drops before
      // validation, so they are ignored rather than refused (and pollute nothing).
    ];
    for (const field of ['caseId', 'childIds', 'toOrg', 'fromOrg', 'reason', 'riskAssessmentRef'])
      for (const value of [...HOSTILE_STRINGS, ...HOSTILE_VALUES]) {
        // null stands for "not given" in optional fields; a list of one valid id is a valid childIds.
        if (value === null && (field === 'fromOrg' || field === 'riskAssessmentRef')) continue;
        if (field === 'childIds' && Array.isArray(value)) continue;
        wrong.push({ [field]: field === 'childIds' && typeof value === 'string' ? [value] : value });
      }
    for (const fields of wrong) {
      const shown = JSON.stringify(fields).slice(0, 60);
      list.push([`POST /handovers ${shown}`, post('/handovers', { ...valid, ...fields })]);
    }
    list.push(['POST /handovers huge body', raw('POST', '/handovers', huge)]);
    list.push([
      'POST /handovers as text/plain',
      { ...raw('POST', '/handovers', JSON.stringify(valid)), headers: { 'content-type': 'text/plain' } },
    ]);
    list.push([
      'POST /handovers as a form',
      {
        ...raw('POST', '/handovers', 'caseId=case-1&toOrg=x'),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    ]);
    list.push([
      'POST /handovers in UTF-16',
      {
        ...raw('POST', '/handovers', JSON.stringify(valid)),
        headers: { 'content-type': 'application/json; charset=utf-16' },
      },
    ]);
    list.push([
      'POST /handovers gzip that is not',
      { ...raw('POST', '/handovers', JSON.stringify(valid)), headers: { 'content-encoding': 'gzip' } },
    ]);
    list.push(['POST /handovers without Idempotency-Key', { ...post('/handovers', valid), idempotencyKey: null }]);
    list.push([
      'POST /handovers with a 201-character key',
      { ...post('/handovers', valid), idempotencyKey: 'k'.repeat(201) },
    ]);
    list.push(['POST /handovers with a key with a space', { ...post('/handovers', valid), idempotencyKey: 'a b' }]);
    list.push([
      'POST /handovers with an e-mail address as its key',
      { ...post('/handovers', valid), idempotencyKey: 'jan.jansen@example.nl' },
    ]);
    list.push(['POST /handovers without a token', { ...post('/handovers', valid), as: null }]);
    for (const token of [HOSTILE.sql, HOSTILE.long, 'e30.e30.'])
      list.push([
        `POST /handovers with token ${token.slice(0, 20)}`,
        { ...post('/handovers', valid), as: null, headers: { authorization: `Bearer ${token}` } },
      ]);

    // Commands: bodies that must be refused before anything changes.
    for (const [step, path, as] of [
      ['receipt', `${req}/receipt`, RECEIVER],
      ['acceptance', `${rec}/acceptance`, RECEIVER],
      ['start-confirmation', `${acc}/start-confirmation`, RECEIVER],
      ['rejection', `${acc}/rejection`, RECEIVER],
      ['contact-failure', `${acc}/contact-failure`, RECEIVER],
      ['withdrawal', `${acc}/withdrawal`, SENDER],
    ] as const) {
      for (const body of ['{"reason": ', '[]', 'null', '"text"'])
        list.push([`POST ${step} malformed ${body}`, raw('POST', path, body, as)]);
      list.push([`POST ${step} huge`, raw('POST', path, huge, as)]);
      list.push([
        `POST ${step} unknown field`,
        post(path, { surprise: true, reason: 'ok', plannedStartDate: '2026-12-01' }, as),
      ]);
    }
    for (const plannedStartDate of [
      '2026-02-30',
      '2026-13-01',
      '0000-00-00',
      '1999-01-01',
      '2026-12-01T00:00:00Z',
      ...HOSTILE_STRINGS,
      ...HOSTILE_VALUES,
    ])
      list.push([
        `POST acceptance plannedStartDate ${JSON.stringify(plannedStartDate)?.slice(0, 30)}`,
        post(`${rec}/acceptance`, { plannedStartDate }, RECEIVER),
      ]);
    list.push(['POST acceptance without a date', post(`${rec}/acceptance`, {}, RECEIVER)]);
    for (const startedAt of [
      '2026-02-30T10:00:00Z',
      'yesterday',
      '2999-01-01T00:00:00Z',
      '1999-01-01T00:00:00Z',
      '',
      ...HOSTILE_STRINGS,
      ...HOSTILE_VALUES.filter((v) => v !== null),
    ])
      list.push([
        `POST start-confirmation startedAt ${JSON.stringify(startedAt).slice(0, 30)}`,
        post(`${acc}/start-confirmation`, { startedAt }, RECEIVER),
      ]);
    for (const startedBy of [...HOSTILE_STRINGS, ...HOSTILE_VALUES.filter((v) => v !== null)])
      list.push([
        `POST start-confirmation startedBy ${JSON.stringify(startedBy).slice(0, 30)}`,
        post(`${acc}/start-confirmation`, { startedBy }, RECEIVER),
      ]);
    for (const [step, as] of [
      ['rejection', RECEIVER],
      ['contact-failure', RECEIVER],
      ['withdrawal', SENDER],
    ] as const)
      // A NUL character cannot be stored: the event could never be recorded.
      for (const reason of [undefined, '', '   ', 'x'.repeat(2001), 'a\u0000b', HOSTILE.control, ...HOSTILE_VALUES])
        list.push([
          `POST ${step} reason ${JSON.stringify(reason)?.slice(0, 30)}`,
          post(`${acc}/${step}`, { reason }, as),
        ]);
    // Free text may hold any characters; with an open handover the decision is still refused.
    for (const reason of [HOSTILE.sql, HOSTILE.nosql, HOSTILE.control, ...HOSTILE_VALUES])
      list.push([
        `POST keep-decision reason ${JSON.stringify(reason).slice(0, 30)}`,
        post(`/cases/${accepted.caseId}/keep-decision`, { reason }),
      ]);

    // Endpoints without a body, sent one anyway; and the directory.
    for (const path of [
      '/organisations',
      '/handovers',
      `/handovers/${accepted.handoverId}`,
      `/cases/${accepted.caseId}/timeline`,
    ]) {
      list.push([`GET ${path} with a malformed body`, raw('GET', path, '{"a": ')]);
      list.push([`GET ${path} with a huge body`, raw('GET', path, huge)]);
      list.push([`GET ${path} without a token`, { path, as: null }]);
    }
    list.push([
      'GET /organisations with a forged token',
      { path: '/organisations', as: null, headers: { authorization: 'Bearer e30.e30.' } },
    ]);
    // The contact-point directory, as its director would send it but broken, or as others would.
    const cp = `/organisations/${SENDER}/contact-points`;
    const asDirector = (request: ApiRequest): ApiRequest => ({ ...request, role: 'director' });
    const email = 'teamleiding@vt-kennemerland.example';
    for (const body of [
      {},
      { role: 'manager' },
      { role: 'boss', email },
      { role: 'manager', email: HOSTILE.sql },
      { role: 'manager', email: HOSTILE.long },
      { role: 'manager', webhookUrl: 'javascript:alert(1)' },
      { role: 'manager', webhookUrl: 'http://hooks.example/not-https' },
      { role: 'manager', webhookUrl: 'https://user:password@hooks.example/x' },
      { role: 'manager', email, label: HOSTILE.long },
      { role: 'manager', email, extra: true },
      ...HOSTILE_VALUES.map((role) => ({ role, email })),
      ...HOSTILE_VALUES.map((value) => ({ role: 'manager', email: value })),
    ])
      list.push([`POST contact point ${JSON.stringify(body).slice(0, 50)}`, asDirector(post(cp, body))]);
    list.push(['POST contact point as a professional', post(cp, { role: 'manager', email })]);
    list.push(['POST contact point as an inspector', { ...post(cp, { role: 'manager', email }), role: 'inspector' }]);
    list.push([
      'POST contact point of another organisation',
      asDirector(post(`/organisations/${RECEIVER}/contact-points`, { role: 'manager', email })),
    ]);
    list.push(['POST contact point malformed', asDirector(raw('POST', cp, '{"role": '))]);
    for (const id of [HOSTILE.sql, HOSTILE.traversal, '00000000-0000-4000-8000-000000000000']) {
      const path = `${cp}/${encodeURIComponent(id)}`;
      list.push([`PUT contact point ${id}`, asDirector({ ...post(path, { role: 'manager', email }), method: 'PUT' })]);
      list.push([`DELETE contact point ${id}`, asDirector({ method: 'DELETE', path, as: SENDER })]);
    }
    for (const at of ['2026-02-30', HOSTILE.sql, 'yesterday'])
      list.push([`GET contact points at ${at}`, { path: `${cp}?at=${encodeURIComponent(at)}`, as: SENDER }]);
    list.push([
      'GET contact points of another organisation',
      { path: `/organisations/${RECEIVER}/contact-points`, as: SENDER },
    ]);
    list.push([
      'GET notices of an unknown case',
      { path: `/cases/${encodeURIComponent(HOSTILE.sql)}/notices`, as: SENDER },
    ]);
    list.push(['GET notices without a token', { path: `/cases/${accepted.caseId}/notices`, as: null }]);
    // The acknowledgement link, forged or broken: public routes, so no token is needed to be refused.
    for (const id of [HOSTILE.sql, HOSTILE.traversal, '00000000-0000-4000-8000-000000000000']) {
      const path = `/notices/${encodeURIComponent(id)}/acknowledgement`;
      list.push([`GET acknowledgement of ${id}`, { path: `${path}?token=forged`, as: null }]);
      list.push([
        `POST acknowledgement form of ${id}`,
        {
          method: 'POST',
          path,
          as: null,
          idempotencyKey: null,
          raw: `token=${encodeURIComponent(HOSTILE.control)}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      ]);
      for (const token of [HOSTILE.long, ...HOSTILE_VALUES])
        list.push([
          `POST acknowledgement of ${id} with token ${JSON.stringify(token).slice(0, 20)}`,
          { method: 'POST', path, as: null, idempotencyKey: null, json: { token } },
        ]);
    }
    list.push(['PUT /handovers', { ...post('/handovers', valid), method: 'PUT' }]);
    list.push(['DELETE /handovers/{id}', { method: 'DELETE', path: acc, as: SENDER }]);
    return list;
  }

  it('given hostile and broken requests to every endpoint, when sent, then each is answered 4xx problem details and nothing is recorded', async () => {
    const before = await eventCount();
    const all = cases();
    const wrongAnswers: string[] = [];
    for (const [name, request] of all) {
      const res = await api.send({ timeoutMs: 30_000, ...request });
      const problem = /^application\/problem\+json/.test(res.contentType) && res.body?.status === res.status;
      if (res.status < 400 || res.status >= 500 || !problem)
        wrongAnswers.push(`${name}: ${res.status} ${res.contentType} ${res.text.slice(0, 200)}`);
    }
    expect(wrongAnswers).toEqual([]);
    expect(all.length).toBeGreaterThan(300);
    expect(await eventCount()).toBe(before);
    // The handovers the barrage aimed at are as they were.
    for (const [{ handoverId }, status] of [
      [requested, 'requested'],
      [received, 'received'],
      [accepted, 'accepted'],
    ] as const)
      expect((await api.get(SENDER, `/handovers/${handoverId}`)).body).toMatchObject({
        status,
        version: expect.any(Number),
      });
  });
  it('given ids that are personal data (a name, an e-mail address, a BSN, a BSN inside an id), when sent as a case or child id, then each is answered 422 personal-data and nothing is recorded', async () => {
    const before = await eventCount();
    const caseBefore = (await api.get(SENDER, `/cases/${requested.caseId}`)).body as unknown;
    const valid = { childIds: [newChildId()], toOrg: RECEIVER, reason: 'family-moved' };
    const wrongAnswers: string[] = [];
    for (const id of PERSONAL_IDS) {
      for (const [name, path, json] of [
        ['POST /handovers caseId', '/handovers', { ...valid, caseId: id }],
        ['POST /handovers childIds', '/handovers', { ...valid, childIds: [id] }],
        ['POST /handovers childIds after a good one', '/handovers', { ...valid, childIds: [newChildId(), id] }],
        [
          'POST /handovers of the case with childIds',
          '/handovers',
          { ...valid, caseId: requested.caseId, childIds: [id] },
        ],
        ['POST /cases childIds', '/cases', { childIds: [id] }],
        ['POST /cases/{id}/children', `/cases/${requested.caseId}/children`, { childIds: [newChildId(), id] }],
      ] as const) {
        const res = await api.post(SENDER, path, json);
        if (res.status !== 422 || !String(res.body?.type).endsWith('/problems/personal-data'))
          wrongAnswers.push(`${name} ${JSON.stringify(id)}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    expect(wrongAnswers).toEqual([]);
    expect(await eventCount()).toBe(before);
    expect((await api.get(SENDER, `/cases/${requested.caseId}`)).body).toEqual(caseBefore);
  });
});
