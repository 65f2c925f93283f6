import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import {
  clientCredentialsToken,
  devIssuerEntry,
  freePort,
  type OidcProvider,
  type SmtpCapture,
  startOidcProvider,
  startSmtpCapture,
} from '@warm-handover/infra';
import { RECEIVER, SENDER } from '../support/api-client';
import { startService, type RunningService } from '../support/service';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Screenshots of every page, kept for people to look at (gitignored). */
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'web');
const INSPECTORATE = 'inspectie-gezondheidszorg-en-jeugd';

/**
 * The web app in Debian's Chromium against the running apps (api, worker, notifier), signing in
 * through the development OpenID Provider as a person would. DEMO_MODE: a receipt deadline of a
 * few seconds escalates to the team leads before the receiver answers. Every page is checked with
 * axe-core (no serious or critical violations) and must load without a CSP violation; the main
 * flow is done with the keyboard only.
 */
describe('web app (e2e, Chromium)', () => {
  let dir: string;
  let smtp: SmtpCapture;
  let provider: OidcProvider;
  let service: RunningService;
  let browser: Browser;
  let base: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(process.env.WARM_HANDOVER_TEST_TMP ?? tmpdir(), 'web-e2e-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // A provider of its own: its sign-in client may send browsers back to this API's callback.
    [smtp, provider] = await Promise.all([
      startSmtpCapture(join(dir, 'mail')),
      freePort().then((p) => startOidcProvider({ port: p, redirectUris: [`${base}/auth/callback`] })),
    ]);
    service = await startService(
      {
        PORT: String(port),
        PUBLIC_BASE_URL: base,
        OIDC_ISSUERS: JSON.stringify([devIssuerEntry(provider.issuer)]),
        DEMO_MODE: 'true',
        SMTP_URL: smtp.url,
        NOTICE_RETRY_INITIAL_SECONDS: '1',
        NOTICE_RETRY_MAX_SECONDS: '2',
      },
      { notifier: true },
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await Promise.all([smtp?.stop(), provider?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** A browser of its own per person (its own cookies), signed in with the keyboard only. */
  async function signIn(user: string, path = '/app'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${user}: ${message.text()}`);
    });
    await page.goto(`${base}${path}`);
    // The provider's login page: the user field has focus.
    await page.waitForSelector('#username');
    await page.keyboard.type(user);
    await page.keyboard.press('Tab');
    await page.keyboard.type('demo');
    await Promise.all([page.waitForURL(`${base}${path}`), page.keyboard.press('Enter')]);
    return { context, page };
  }

  /** Tab until `selector` has focus (as a keyboard user moves through the page). */
  async function tabTo(page: Page, selector: string, max = 120): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      // A string expression: this file is compiled without the DOM's types.
      if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
    }
    throw new Error(`${selector} not reached with Tab in ${max} steps on ${page.url()}`);
  }

  async function check(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    // Injected through the DevTools protocol: the page's CSP (no inline scripts) stays as it is.
    await page.evaluate(axe.source);
    const result = await page.evaluate<axe.AxeResults>(
      `axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] })`,
    );
    const severe = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
    expect({ page: name, severe }).toEqual({ page: name, severe: [] });
  }

  const mainText = (page: Page) => page.locator('main').innerText();

  it('given two Veilig Thuis regions, their team lead and an inspector, when a handover is requested, arrives live, is received, accepted and started in the browser, then the escalation before it is acknowledged and the inspector reads the case as it was before the start', async () => {
    // Kennemerland's caseworker signs in and lands on "Mijn werk".
    const ken = await signIn(`professional@${SENDER}`);
    expect(await ken.page.locator('h1').innerText()).toBe('Mijn werk');
    await check(ken.page, '01-kennemerland-mijn-werk');

    // Amsterdam-Amstelland's caseworker has the list open: nothing yet.
    const ams = await signIn(`professional@${RECEIVER}`);
    expect(await ams.page.locator('#werklijst').innerText()).toContain('Er wacht nu niets op u');
    await ams.page.evaluate('window.notReloaded = true');

    // Kennemerland requests the handover, keyboard only; receipt is due in 3 seconds.
    const child = `kind-web-${Date.now().toString(36)}`;
    await tabTo(ken.page, '#nieuw-kinderen');
    await ken.page.keyboard.type(child);
    await tabTo(ken.page, '#nieuw-ontvangst');
    await ken.page.keyboard.press('Control+A');
    await ken.page.keyboard.type('PT3S');
    await tabTo(ken.page, '#nieuw-start');
    await ken.page.keyboard.press('Control+A');
    await ken.page.keyboard.type('PT10M');
    await tabTo(ken.page, '#nieuw-interval');
    await ken.page.keyboard.press('Control+A');
    await ken.page.keyboard.type('PT10M');
    await tabTo(ken.page, 'form[action="/app/overdrachten"] button[type=submit]');
    await Promise.all([
      ken.page.waitForURL(/\/app\/casussen\/[^/?]+\?gedaan=aangevraagd$/),
      ken.page.keyboard.press('Enter'),
    ]);
    const caseId = decodeURIComponent(new URL(ken.page.url()).pathname.split('/').pop()!);
    expect(await mainText(ken.page)).toContain('De overdracht is aangevraagd');
    await check(ken.page, '02-kennemerland-casus-aangevraagd');

    // It arrives on Amsterdam's open list without a reload (server-sent events).
    await ams.page.locator('#werklijst', { hasText: child }).waitFor({ timeout: 20_000 });
    expect(await ams.page.evaluate('window.notReloaded')).toBe(true);
    expect(await ams.page.locator('#werklijst tbody tr').first().innerText()).toContain('Binnenkomende overdracht');

    // Receipt is late: the escalation reaches the team leads; Amsterdam's list shows how late.
    await ams.page.locator('#werklijst', { hasText: 'te laat' }).waitFor({ timeout: 30_000 });
    await ams.page.locator('#werklijst', { hasText: 'teamleider' }).waitFor({ timeout: 30_000 });
    await check(ams.page, '03-amsterdam-mijn-werk-binnengekomen');

    // Amsterdam acknowledges receipt from the list, then accepts and confirms the start on the case page.
    await tabTo(ams.page, '#werklijst form[action$="/ontvangst"] button');
    await Promise.all([ams.page.waitForURL(/gedaan=ontvangst/), ams.page.keyboard.press('Enter')]);
    expect(await mainText(ams.page)).toContain('De ontvangst is bevestigd');
    await tabTo(ams.page, `#werklijst a[href="/app/casussen/${caseId}"]`);
    await Promise.all([ams.page.waitForURL(`${base}/app/casussen/${caseId}`), ams.page.keyboard.press('Enter')]);
    await check(ams.page, '04-amsterdam-casus-ontvangen');
    await tabTo(ams.page, 'form[action$="/acceptatie"] button');
    await Promise.all([ams.page.waitForURL(/gedaan=acceptatie/), ams.page.keyboard.press('Enter')]);
    expect(await mainText(ams.page)).toContain('De overdracht is geaccepteerd');
    // The page takes moments to the second: let the acceptance's second pass, take the moment, and
    // let that second pass too before the start, so the moment lies strictly between the two.
    await new Promise((r) => setTimeout(r, 1100));
    const beforeStart = new Date();
    await new Promise((r) => setTimeout(r, 1100));
    await tabTo(ams.page, 'form[action$="/start"] button');
    await Promise.all([ams.page.waitForURL(/gedaan=start/), ams.page.keyboard.press('Enter')]);
    expect(await mainText(ams.page)).toContain('De start van de zorg is bevestigd');
    const children = await ams.page.locator('section[aria-labelledby="kinderen-kop"] tbody').innerText();
    expect(children).toContain(child);
    expect(children).toContain('Amsterdam-Amstelland');
    // Started: no more actions on it.
    expect(await ams.page.locator('form[action$="/start"]').count()).toBe(0);
    await check(ams.page, '05-amsterdam-casus-gestart');

    // The two regions agree on the lead (R4): Amsterdam proposes itself, Kennemerland accepts on its case page.
    await tabTo(ams.page, 'form[action$="/voorstel"] input[name=rationale]');
    await ams.page.keyboard.type('Het gezin woont nu in onze regio.');
    await tabTo(ams.page, 'form[action$="/voorstel"] button');
    await Promise.all([ams.page.waitForURL(/gedaan=voorstel/), ams.page.keyboard.press('Enter')]);
    await ken.page.goto(`${base}/app`);
    expect(await ken.page.locator('#werklijst').innerText()).toContain('Regie-overleg wacht op uw antwoord');
    await ken.page.goto(`${base}/app/casussen/${caseId}`);
    await tabTo(ken.page, 'form[action$="/aanvaarding"] button');
    await Promise.all([ken.page.waitForURL(/gedaan=aanvaard/), ken.page.keyboard.press('Enter')]);
    expect(await ken.page.locator('section[aria-labelledby="regie-kop"]').innerText()).toContain(
      'Veilig Thuis Amsterdam-Amstelland (overeengekomen',
    );

    // Amsterdam's team lead follows "Bekijk de casus" in the escalation mail: after signing in, the case page.
    const mail = smtp
      .messages()
      .find((m) => m.to.includes(`teamleiding@${RECEIVER}.example`) && m.subject.endsWith(`casus ${caseId}`));
    const caseLink = /Bekijk de casus: (\S+)/.exec(mail?.text ?? '')?.[1];
    expect(caseLink).toBe(`${base}/app/casussen/${caseId}`);
    const lead = await signIn(`team-lead@${RECEIVER}`, new URL(caseLink!).pathname);
    expect(await lead.page.locator('h1').innerText()).toBe(`Casus ${caseId}`);
    await check(lead.page, '06-teamleider-casus-via-melding');
    // Then "Mijn werk": the escalation that came before, which the team lead acknowledges.
    await lead.page.goto(`${base}/app`);
    const row = lead.page.locator('#werklijst tbody tr', { hasText: 'Escalatie' }).first();
    await row.waitFor({ timeout: 30_000 });
    expect(await row.innerText()).toContain('open');
    await check(lead.page, '07-teamleider-mijn-werk');
    await tabTo(lead.page, '#werklijst form[action$="/bevestiging"] button');
    await Promise.all([lead.page.waitForURL(/gedaan=bevestigd/), lead.page.keyboard.press('Enter')]);
    expect(await mainText(lead.page)).toContain('De melding is bevestigd');
    expect(await lead.page.locator('#werklijst tbody tr', { hasText: 'Escalatie' }).last().innerText()).toContain(
      'bevestigd',
    );
    await check(lead.page, '08-teamleider-bevestigd');

    // The inspector finds the case, reads it as it was before the start, downloads the report and checks the chain.
    const inspector = await signIn(`inspector@${INSPECTORATE}`, '/app/zoeken');
    await tabTo(inspector.page, '#zoek-casus');
    await inspector.page.keyboard.type(caseId);
    await Promise.all([inspector.page.waitForURL(/\/app\/zoeken\?/), inspector.page.keyboard.press('Enter')]);
    expect(await mainText(inspector.page)).toContain('1 casus gevonden');
    await check(inspector.page, '09-inspectie-zoeken');
    await tabTo(inspector.page, `main a[href="/app/casussen/${caseId}"]`);
    await Promise.all([
      inspector.page.waitForURL(`${base}/app/casussen/${caseId}`),
      inspector.page.keyboard.press('Enter'),
    ]);
    expect(await inspector.page.locator('form[method=post][action^="/app/overdrachten"]').count()).toBe(0);
    const local = amsterdamLocal(beforeStart);
    await inspector.page.goto(`${base}/app/casussen/${caseId}?op=${local}&bekend=${local}`);
    const past = await mainText(inspector.page);
    expect(past).toContain('zoals die was op');
    const pastChildren = await inspector.page.locator('section[aria-labelledby="kinderen-kop"] tbody').innerText();
    expect(pastChildren).toContain('Kennemerland');
    expect(pastChildren).not.toContain('Amsterdam-Amstelland');
    expect(await inspector.page.locator('section[aria-labelledby="overdrachten-kop"]').innerText()).toContain(
      'geaccepteerd',
    );
    await check(inspector.page, '10-inspectie-casus-voor-de-start');
    await inspector.page.goto(`${base}/app/casussen/${caseId}?keten=controleer`);
    expect(await inspector.page.locator('#keten-uitslag').innerText()).toContain('De hashketen klopt');
    const pdf = await inspector.page.request.get(`${base}/cases/${caseId}/report?format=pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');

    // The accessibility statement, and no page broke the CSP.
    await inspector.page.goto(`${base}/app/toegankelijkheid`);
    await check(inspector.page, '11-toegankelijkheidsverklaring');
    expect(cspViolations).toEqual([]);

    for (const person of [ken, ams, lead, inspector]) await person.context.close();
    // Four browsers, a worker, a notifier and an api on a shared 2-core machine: minutes, not seconds.
  }, 600_000);

  /** A JSON API call as an integrating system of `organisation` would make it, with a token of the test's provider. */
  async function api(method: string, path: string, client: string, body?: unknown): Promise<Record<string, any>> {
    const token = await clientCredentialsToken(provider.issuer, client);
    const answer = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await answer.json()) as Record<string, any>;
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(json)}`);
    return json;
  }

  it('given a care-chain negotiation escalated to the directors, when Kennemerland’s director takes the decision on the case page and Amsterdam’s director confirms it there, then the case page shows the decided lead; deciding the same lead again is refused in Dutch', async () => {
    const child = `kind-regie-${Date.now().toString(36)}`;
    const { caseId } = await api('POST', '/cases', `professional@${SENDER}`, { childIds: [child] });
    // Due after 3 s, then every 2 s: the directors are reached after about 7 s.
    const { negotiationId } = await api('POST', `/cases/${caseId}/lead-negotiations`, `professional@${SENDER}`, {
      chain: 'care',
      parties: [SENDER, RECEIVER],
      deadlines: { agreement: 'PT3S', escalationInterval: 'PT2S' },
    });
    const casePath = `/app/casussen/${caseId}`;
    const regie = (page: Page) => page.locator('section[aria-labelledby="regie-kop"]');

    // A caseworker is never offered a decision at the top.
    const ken = await signIn(`professional@${SENDER}`, casePath);
    const deadline = Date.now() + 60_000;
    while ((await api('GET', `/lead-negotiations/${negotiationId}`, `professional@${SENDER}`)).escalation.level < 3) {
      if (Date.now() > deadline) throw new Error('the negotiation did not reach the directors in 60 s');
      await new Promise((r) => setTimeout(r, 500));
    }
    await ken.page.reload();
    expect(await regie(ken.page).innerText()).toContain('escalatieniveau bestuurder');
    expect(
      await ken.page
        .locator(
          `form[action="/app/regie/${negotiationId}/besluit"], form[action="/app/regie/${negotiationId}/bevestiging"]`,
        )
        .count(),
    ).toBe(0);

    // Amsterdam's director has the case open before Kennemerland's director decides: only "decide" is offered.
    const amsDirector = await signIn(`director@${RECEIVER}`, casePath);
    expect(await amsDirector.page.locator(`form[action="/app/regie/${negotiationId}/besluit"]`).count()).toBe(1);
    expect(await amsDirector.page.locator(`form[action="/app/regie/${negotiationId}/bevestiging"]`).count()).toBe(0);

    // Kennemerland's director takes the decision, keyboard only: the lead with Kennemerland.
    const kenDirector = await signIn(`director@${SENDER}`, casePath);
    await check(kenDirector.page, '12-bestuurder-kennemerland-casus-besluit');
    await tabTo(kenDirector.page, `#regie-${negotiationId}-besluit-reden`);
    await kenDirector.page.keyboard.type('Het kind woont in onze regio; de zorg loopt hier.');
    await tabTo(kenDirector.page, `form[action="/app/regie/${negotiationId}/besluit"] button`);
    await Promise.all([kenDirector.page.waitForURL(/gedaan=regiebesluit$/), kenDirector.page.keyboard.press('Enter')]);
    expect(await mainText(kenDirector.page)).toContain('Uw besluit over de regie is vastgelegd');
    const pending = await regie(kenDirector.page).innerText();
    expect(pending).toContain('Besluit van de bestuurder van Veilig Thuis Kennemerland');
    expect(pending).toContain('wacht op bevestiging door de bestuurder van Veilig Thuis Amsterdam-Amstelland');
    expect(pending).toContain('nog geen regie vastgelegd');
    // Its own decision waits: Kennemerland's director is offered neither another decision nor a confirmation.
    expect(await kenDirector.page.locator(`form[action^="/app/regie/${negotiationId}/"]`).count()).toBe(1);
    expect(await kenDirector.page.locator(`form[action="/app/regie/${negotiationId}/voorstel"]`).count()).toBe(1);

    // Amsterdam's director, on the page loaded before, decides the same lead: refused in Dutch, nothing recorded.
    await amsDirector.page.selectOption(`#regie-${negotiationId}-besluit-lead`, SENDER);
    await amsDirector.page.fill(`#regie-${negotiationId}-besluit-reden`, 'Kennemerland houdt de regie.');
    await Promise.all([
      amsDirector.page.waitForURL(/fout=wrong-state/),
      amsDirector.page.click(`form[action="/app/regie/${negotiationId}/besluit"] button`),
    ]);
    expect(await mainText(amsDirector.page)).toContain('Dat kan nu niet in het regie-overleg');
    // Now the page offers the confirmation of Kennemerland's decision, and a counter-decision for Amsterdam only.
    expect(await amsDirector.page.locator(`#regie-${negotiationId}-besluit-lead option`).count()).toBe(1);
    expect(await amsDirector.page.locator(`#regie-${negotiationId}-besluit-lead`).inputValue()).toBe(RECEIVER);
    await check(amsDirector.page, '13-bestuurder-amsterdam-casus-bevestigen');
    await tabTo(amsDirector.page, `form[action="/app/regie/${negotiationId}/bevestiging"] button`);
    await Promise.all([
      amsDirector.page.waitForURL(/gedaan=regiebesluit-bevestigd$/),
      amsDirector.page.keyboard.press('Enter'),
    ]);
    expect(await mainText(amsDirector.page)).toContain('U heeft het besluit bevestigd');
    const decided = await regie(amsDirector.page).innerText();
    expect(decided).toContain('Veilig Thuis Kennemerland (besloten op');
    expect(decided).toContain('besluit van de bestuurder van Veilig Thuis Kennemerland');
    expect(decided).toContain('bevestigd door Veilig Thuis Amsterdam-Amstelland');
    expect(await amsDirector.page.locator(`form[action^="/app/regie/${negotiationId}/"]`).count()).toBe(0);
    await check(amsDirector.page, '14-bestuurder-amsterdam-casus-besloten');
    // The API agrees: the lead is in force, decided by one director and confirmed by the other.
    expect(await api('GET', `/lead-negotiations/${negotiationId}`, `professional@${RECEIVER}`)).toMatchObject({
      status: 'decided',
      lead: { organisation: SENDER, decidedBy: { organisation: SENDER }, confirmations: [{ organisation: RECEIVER }] },
    });
    expect(cspViolations).toEqual([]);
    for (const person of [ken, amsDirector, kenDirector]) await person.context.close();
  }, 300_000);

  it('given a handover Amsterdam rejected, when Kennemerland has not decided within the follow-up deadline, then its "Mijn werk" shows the decision with its deadline, how late and the escalation level, most urgent first, and its case page the same', async () => {
    const child = `kind-vervolg-${Date.now().toString(36)}`;
    // The sender must decide within 2 seconds of the rejection; the next rung follows 10 minutes later.
    const { handoverId, caseId } = await api('POST', '/handovers', `professional@${SENDER}`, {
      childIds: [child],
      toOrg: RECEIVER,
      reason: 'family-moved',
      deadlines: { receipt: 'PT10M', start: 'PT10M', escalationInterval: 'PT10M', followUp: 'PT2S' },
    });
    await api('POST', `/handovers/${handoverId}/rejection`, `professional@${RECEIVER}`, {
      reason: 'Geen plek in het team.',
    });
    const ken = await signIn(`professional@${SENDER}`);
    const row = ken.page.locator('#werklijst tbody tr', { hasText: 'besluit nodig' });
    await row.waitFor({ timeout: 20_000 });
    // The follow-up escalation reaches the team lead within seconds; the list updates itself.
    await row.filter({ hasText: 'teamleider' }).waitFor({ timeout: 30_000 });
    const text = await row.innerText();
    expect(text).toContain(`Casus ${caseId.slice(0, 8)}`);
    expect(text).toContain('afgewezen');
    expect(text).toMatch(/te laat/);
    expect(text).toContain('teamleider');
    // Late and escalated: the most urgent item on the list.
    expect(await ken.page.locator('#werklijst tbody tr').first().innerText()).toContain('besluit nodig');
    await check(ken.page, '15-kennemerland-mijn-werk-besluit-nodig');
    await ken.page.goto(`${base}/app/casussen/${caseId}`);
    const decision = await ken.page.locator(`article[aria-labelledby="besluit-${handoverId}"]`).innerText();
    expect(decision).toContain('Besluit uiterlijk');
    expect(decision).toContain('te laat');
    expect(decision).toMatch(/Escalatieniveau\s+teamleider/);
    await ken.context.close();
  }, 180_000);

  it('given a signed-in caseworker, when a form is posted without the session’s CSRF token or with another session’s, then it is refused in Dutch and nothing is recorded', async () => {
    const ken = await signIn(`professional@${SENDER}`);
    const ams = await signIn(`professional@${RECEIVER}`);
    const othersToken = await ams.page.locator('input[name=csrf]').first().inputValue();
    const child = `kind-csrf-${Date.now().toString(36)}`;
    const form = { childIds: child, toOrg: RECEIVER, reason: 'family-moved', receipt: '1', start: '10' };
    for (const csrf of [undefined, othersToken]) {
      const answer = await ken.page.request.post(`${base}/app/overdrachten`, {
        form: { ...form, ...(csrf ? { csrf } : {}) },
        maxRedirects: 0,
      });
      expect(answer.status()).toBe(303);
      expect(answer.headers().location).toBe('/app?fout=csrf');
    }
    await ken.page.goto(`${base}/app?fout=csrf`);
    expect(await mainText(ken.page)).toContain('Dit formulier hoort niet bij uw sessie');
    await ken.page.goto(`${base}/app`);
    expect(await ken.page.locator('#werklijst').innerText()).not.toContain(child);
    // With its own token the same form is accepted: the refusal was the token, not the form.
    const own = await ken.page.locator('input[name=csrf]').first().inputValue();
    const accepted = await ken.page.request.post(`${base}/app/overdrachten`, {
      form: { ...form, csrf: own },
      maxRedirects: 0,
    });
    expect(accepted.headers().location).toMatch(/^\/app\/casussen\/[^?]+\?gedaan=aangevraagd$/);
    for (const person of [ken, ams]) await person.context.close();
  });
});

/** The wall-clock time in the Netherlands, as a datetime-local field holds it. */
function amsterdamLocal(at: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}
