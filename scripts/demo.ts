/**
 * The narrated demo of seed case 1 against a running service (with DEMO_MODE=true, so
 * deadlines are seconds): Veilig Thuis Kennemerland opens the family's case (two children; the
 * service issues the case id) and hands one child over to Veilig Thuis Amsterdam-Amstelland; an
 * organisation without a part in the case is told "not found"; receipt is late and escalates to
 * the team leads and then the managers of both; then receipt, acceptance and start follow, and
 * responsibility moves for that child only. The municipality is involved and can read the case.
 * The notices those escalations caused are printed as the team mailboxes received them (from the
 * local SMTP capture server's directory), and one is acknowledged through its link.
 *
 *   npm run demo            (against http://localhost:$PORT, default 3000)
 *
 * `npm start` runs it once the service is up.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type CapturedMail, clientCredentialsToken, devOidcIssuer, readCapturedMail, ROOT } from '@warm-handover/infra';
import { runFamilyDemo } from './demo-family';

const SENDER = 'vt-kennemerland';
const RECEIVER = 'vt-amsterdam-amstelland';
const POLICE_NH = 'politie-noord-holland';
const POLICE_AMS = 'politie-amsterdam';
/** Veilig Thuis of another region, with no part in the family's case. */
const OUTSIDER = 'vt-zuid-limburg';
const MUNICIPALITY = 'gemeente-haarlemmermeer';

interface Escalation {
  level: number;
  reason: string;
  dueAt?: string;
  repeat: number;
  recipients: { organisation: string; role: string; title: string }[];
  responsibleOrg: string;
}

interface HandoverDetails {
  handoverId: string;
  caseId: string;
  status: string;
  responsibleOrg: string;
  deadlines: { receiptDueAt: string; startDueAt: string };
  escalation: { level: number };
  history: {
    type: string;
    recordedAt: string;
    actor: { subject: string; organisation: string; role: string };
    data: Record<string, unknown>;
  }[];
}

export interface DemoOptions {
  readonly baseUrl: string;
  /** The development OpenID Provider the demo's organisations get their tokens from. */
  readonly issuer?: string;
  readonly say?: (line: string) => void;
  /** Stop watching escalations once this level is reached (2 = managers). */
  readonly untilLevel?: number;
  /** Where the local SMTP capture server writes the notices; without it the demo shows none. */
  readonly mailDir?: string;
}

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'Europe/Amsterdam' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ChildResponsibility {
  childId: string;
  responsible: { organisation: string; since: string };
  periods: { organisation: string; since: string; until?: string }[];
}

interface CaseOverview {
  parties: { organisation: string; bases: string[]; reasons?: string[] }[];
  children: ChildResponsibility[];
}

/** Why an organisation takes part in the case, in a caseworker's words. */
const BASIS: Record<string, string> = {
  'opened-the-case': 'opened the case',
  'sent-a-handover': 'handed a child over',
  'received-a-handover': 'received a handover',
  'named-in-a-lead-negotiation': 'named in a lead negotiation',
  'involved-by-a-party': 'involved by a party',
  'told-of-a-lead-mismatch': 'told of a lead mismatch',
};

export async function runDemo(
  options: DemoOptions,
): Promise<{ handoverId: string; caseId: string; childIds: readonly string[] }> {
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const issuer = options.issuer ?? devOidcIssuer();
  // Integrating systems of each organisation, by the client-credentials grant.
  const token = (organisation: string): Promise<string> =>
    clientCredentialsToken(issuer, `professional@${organisation}`);
  const senderToken = await token(SENDER);
  const receiverToken = await token(RECEIVER);

  const call = async <T>(method: string, path: string, bearer: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${options.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body !== undefined ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as T & { detail?: string };
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${json.detail ?? JSON.stringify(json)}`);
    return json;
  };
  /** A request that may be refused: its status and the problem's title. */
  const attempt = async (method: string, path: string, bearer: string, body?: unknown) => {
    const res = await fetch(`${options.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body !== undefined ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as { title?: string };
    return { status: res.status, title: json.title ?? '' };
  };

  const { organisations } = await call<{ organisations: { id: string; name: string }[] }>(
    'GET',
    '/organisations',
    senderToken,
  );
  const name = (id: string) => organisations.find((o) => o.id === id)?.name ?? id;

  // The children by the pseudonymous ids of Kennemerland's own file: never names or BSNs.
  const family = randomUUID().slice(0, 4);
  const [childA, childB] = [`child-${family}-a`, `child-${family}-b`];
  // What a caseworker and a team lead see in the web app at this step, in the language of its users.
  const screen = (text: string) => say(`  ▸ In de webapp: ${text}`);
  say('');
  say('━━ Demo: a warm handover between two Veilig Thuis regions (seed case 1) ━━');
  say(`${name(SENDER)} opens the case of a family with two children (${childA} and ${childB}, pseudonymous ids).`);
  const opened = await call<{ caseId: string }>('POST', '/cases', senderToken, { childIds: [childA, childB] });
  const caseId = opened.caseId;
  say(
    `  The service gives the case its id, ${caseId}: nobody can pick another organisation's case id by chance. ` +
      `${name(SENDER)} is the first party of the case and responsible for both children.`,
  );
  say('');
  say(`The family moved; ${childA} will get help from ${name(RECEIVER)}, ${childB} stays with ${name(SENDER)}.`);
  say(
    `${name(SENDER)} hands over ${childA} only. Demo deadlines: receipt within 15 seconds, escalation every 10 seconds.`,
  );
  const requested = await call<HandoverDetails>('POST', '/handovers', senderToken, {
    caseId,
    childIds: [childA],
    toOrg: RECEIVER,
    reason: 'family-moved',
    riskAssessmentRef: `risk-assessment-${family}`,
    safetyAgreementRefs: [`safety-agreement-${family}-1`],
    deadlines: { receipt: 'PT15S', start: 'PT5M', escalationInterval: 'PT10S' },
  });
  const id = requested.handoverId;
  say(
    `  ${time(requested.history?.[0]?.recordedAt ?? new Date().toISOString())}  Handover requested. Receipt is due at ${time(requested.deadlines.receiptDueAt)}.`,
  );
  say(`  Responsible now: ${name(requested.responsibleOrg)} — the sender stays responsible until care has started.`);
  screen(
    `de medewerker van ${name(SENDER)} komt op de casuspagina met "De overdracht is aangevraagd"; bij ${name(RECEIVER)} verschijnt de overdracht in "Mijn werk" zonder te herladen, met de termijn voor ontvangst.`,
  );
  say('');
  say(`${name(OUTSIDER)} has no part in this case. It tries to read it and to hand ${childB} over:`);
  const outsiderToken = await token(OUTSIDER);
  const outsiderRead = await attempt('GET', `/cases/${caseId}`, outsiderToken);
  const outsiderHandover = await attempt('POST', '/handovers', outsiderToken, {
    caseId,
    childIds: [childB],
    toOrg: RECEIVER,
    reason: 'family-moved',
  });
  say(
    `  Reading the case: ${outsiderRead.status} ${outsiderRead.title}. Handing ${childB} over: ${outsiderHandover.status} ${outsiderHandover.title}.`,
  );
  say(
    '  The same answer as for a case that does not exist: an organisation outside the case does not even learn that it exists. Its attempt to read is in the access log.',
  );
  say('');
  say(`Nobody at ${name(RECEIVER)} acknowledges receipt. Watching the escalation…`);

  const untilLevel = options.untilLevel ?? 2;
  let shown = 0;
  for (;;) {
    const details = await call<HandoverDetails>('GET', `/handovers/${id}`, senderToken);
    const escalations = details.history.filter((e) => e.type === 'HandoverEscalated');
    for (const event of escalations.slice(shown)) {
      const e = event.data as unknown as Escalation;
      const who = e.recipients.map((r) => `the ${r.title} of ${name(r.organisation)}`).join(' and ');
      say(
        `  ${time(event.recordedAt)}  Receipt is overdue (was due ${time(e.dueAt ?? details.deadlines.receiptDueAt)}). ` +
          `Escalated to level ${e.level}: ${who} are notified. Still responsible: ${name(e.responsibleOrg)}.`,
      );
    }
    if (escalations.length > shown) {
      const level = (escalations.at(-1)!.data as unknown as Escalation).level;
      screen(
        level === 1
          ? `bij de medewerker staat de overdracht bovenaan "Mijn werk", rood en "te laat"; de teamleiders van beide regio's zien een open escalatie met een knop "Bevestig: gezien".`
          : `de managers van beide regio's zien de escalatie op niveau ${level} in hun "Mijn werk"; de teamleider ziet de eerdere escalatie nog, open of bevestigd.`,
      );
    }
    shown = escalations.length;
    if (details.escalation.level >= untilLevel) break;
    await sleep(1000);
  }

  say('');
  say(`The manager at ${name(RECEIVER)} makes sure the handover is picked up.`);
  const received = await call<HandoverDetails>('POST', `/handovers/${id}/receipt`, receiverToken, {});
  say(
    `  ${time(new Date().toISOString())}  ${name(RECEIVER)} acknowledges receipt. Escalation stops; care must start by ${time(received.deadlines.startDueAt)}.`,
  );
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Amsterdam' });
  await call<HandoverDetails>('POST', `/handovers/${id}/acceptance`, receiverToken, { plannedStartDate: today });
  say(
    `  ${time(new Date().toISOString())}  ${name(RECEIVER)} accepts, planning to start today (${today}). Responsible is still ${name(SENDER)}: acceptance is not a start.`,
  );
  const started = await call<HandoverDetails>('POST', `/handovers/${id}/start-confirmation`, receiverToken, {});
  say(
    `  ${time(new Date().toISOString())}  ${name(RECEIVER)} confirms that care has started. Responsibility moves to ${name(started.responsibleOrg)}.`,
  );
  screen(
    `de medewerker van ${name(RECEIVER)} deed ontvangst, acceptatie en start met de knoppen op de casuspagina; daar staat nu ${name(RECEIVER)} als verantwoordelijke voor ${childA}, en de overdracht is uit ieders "Mijn werk" verdwenen.`,
  );

  const mailbox = options.mailDir ? new Mailbox(options.mailDir, caseId) : undefined;
  if (mailbox) await showHandoverNotices({ call, say, caseId, token: senderToken, mailbox, expected: 4 });

  const responsibility = await call<{ children: ChildResponsibility[]; responsible?: unknown }>(
    'GET',
    `/cases/${caseId}/responsibility`,
    senderToken,
  );
  say('');
  say(`Who is responsible for each child of case ${caseId} (responsibility is per child):`);
  for (const child of responsibility.children) {
    const moved = child.periods.length > 1;
    say(
      `  ${child.childId}: ${name(child.responsible.organisation)} now — ${moved ? 'moved with the handover' : 'stayed, this child was not handed over'}.`,
    );
    for (const p of child.periods)
      say(`      from ${time(p.since)}${p.until ? ` until ${time(p.until)}` : ' until now'}: ${name(p.organisation)}`);
  }
  if (!responsibility.responsible)
    say('  The children are with two organisations now, so the case names no single responsible organisation.');

  say('');
  say(`${name(SENDER)} involves ${name(MUNICIPALITY)} in the case, with the reason "municipality".`);
  await call('POST', `/cases/${caseId}/involvements`, senderToken, {
    organisation: MUNICIPALITY,
    reason: 'municipality',
  });
  const overview = await call<CaseOverview>('GET', `/cases/${caseId}`, await token(MUNICIPALITY));
  say(`  ${name(MUNICIPALITY)} can now read the case. Who takes part in it, and why:`);
  for (const party of overview.parties) {
    const why = party.bases.map((b) => BASIS[b] ?? b).join(', ');
    say(`    ${name(party.organisation)}: ${why}${party.reasons?.length ? ` (${party.reasons.join(', ')})` : ''}`);
  }
  const timeline = await call<{ events: HandoverDetails['history'] }>('GET', `/cases/${caseId}/timeline`, senderToken);
  say('');
  say('The recorded timeline of the case (every step is an event in the append-only store):');
  for (const e of timeline.events) {
    const by =
      e.actor.organisation !== 'warm-handover'
        ? `${e.actor.role} at ${name(e.actor.organisation)}`
        : e.actor.subject === 'system:notifier'
          ? 'the notifier'
          : e.actor.subject === 'system:region-crossing'
            ? 'the service (the handover crosses regions)'
            : 'the deadline timer';
    say(`  ${time(e.recordedAt)}  ${e.type.replace(/^Handover/, '').padEnd(22)}  by ${by}`);
  }
  await runLeadDemo({ call, token, name, say, caseId, untilLevel });
  const leadNotices = (await mailbox?.waitForNew(4)) ?? [];
  if (leadNotices.length > 0) {
    say('The notices the police units’ escalation caused, as their mailboxes received them:');
    for (const mail of leadNotices) say(`  ${time(mail.receivedAt)}  to ${mail.to.join(', ')}: ${mail.subject}`);
    say('');
  }
  const news = mailbox?.news() ?? [];
  if (news.length > 0) {
    say('Nothing goes silent: what each party was told as it happened (one message each, no daily repeat):');
    for (const mail of news) say(`  ${time(mail.receivedAt)}  to ${mail.to.join(', ')}: ${mail.subject}`);
    say('');
  }
  say(
    `The case page for anyone who signs in (the inspectorate too: search, the case at any moment, the report): ${options.baseUrl}/app/casussen/${caseId}`,
  );
  // The second case: the family as the case (issue 14, seeds 002 and 003), narrated in Dutch.
  await runFamilyDemo({
    baseUrl: options.baseUrl,
    say,
    token,
    name,
    ...(options.mailDir ? { mailDir: options.mailDir } : {}),
  });
  say(
    '━━ End of demo. The service keeps running; try it at /docs with a token from `npm run token -- vt-kennemerland`. ━━',
  );
  return { handoverId: id, caseId, childIds: [childA, childB] };
}

/** The captured notices about one case, read from the capture server's directory. */
const isNews = (m: CapturedMail) => /^(Herinnering \d+: )?\[Bericht/.test(m.subject);

class Mailbox {
  private shown = 0;

  constructor(
    private readonly dir: string,
    private readonly caseId: string,
  ) {}

  /** The escalation notices; the informational ones (`[Bericht]`) are shown apart, by `news()`. */
  all(): CapturedMail[] {
    return this.ofCase().filter((m) => !isNews(m));
  }

  /** What the parties were told as it happened: arrival, receipt, acceptance, start, a lead-area mismatch. */
  news(): CapturedMail[] {
    return this.ofCase().filter(isNews);
  }

  private ofCase(): CapturedMail[] {
    return readCapturedMail(this.dir).filter((m) => m.subject.endsWith(`casus ${this.caseId}`));
  }

  /** Waits (up to 30 s) for `count` notices not shown before, and marks them shown. */
  async waitForNew(count: number): Promise<CapturedMail[]> {
    for (let i = 0; i < 60 && this.all().length < this.shown + count; i++) await sleep(500);
    const fresh = this.all().slice(this.shown);
    this.shown += fresh.length;
    return fresh;
  }
}

interface NoticeSummary {
  noticeId: string;
  level: number;
  status: string;
  /** The address only for the reader's own organisation's notices. */
  recipient: { organisation: string; role: string; channel: string; address?: string };
  firstSentAt?: string;
  acknowledged?: { by: { subject: string }; at: string };
}

/**
 * R3 and R10: the escalations reached real mailboxes, and the case records who was told what,
 * when, over which channel, and who acknowledged it.
 */
async function showHandoverNotices(ctx: {
  call: <T>(method: string, path: string, bearer: string, body?: unknown) => Promise<T>;
  say: (line: string) => void;
  caseId: string;
  token: string;
  mailbox: Mailbox;
  expected: number;
}): Promise<void> {
  const { say, mailbox } = ctx;
  const mails = await mailbox.waitForNew(ctx.expected);
  say('');
  if (mails.length === 0) {
    say(
      'No notices arrived in the local mailbox (is the notifier running?). GET /cases/{id}/notices shows what was recorded.',
    );
    return;
  }
  say('The notices these escalations caused, as the team mailboxes received them (local SMTP capture, .data/mail):');
  for (const mail of mails) say(`  ${time(mail.receivedAt)}  to ${mail.to.join(', ')}: ${mail.subject}`);
  const first = mails[0]!;
  say('');
  say(`What the ${first.to.join(', ')} mailbox read (no personal data: the case by its pseudonym):`);
  for (const line of first.text.trim().split('\n')) say(`  │ ${line}`);

  const link = /https?:\/\/\S+\/acknowledgement\?token=\S+/.exec(first.text)?.[0];
  if (link) {
    // A mail scanner that opens the link only sees a page; the button's POST records it.
    const page = await fetch(link);
    const acknowledged = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ token: new URL(link).searchParams.get('token') ?? '' }).toString(),
    });
    say('');
    say(
      `Someone at that mailbox opens the acknowledgement link (a page with a button, ${page.status}) and presses the button (${acknowledged.status}).`,
    );
    say(
      `  ▸ In de webapp: de teamleider ziet die escalatie in "Mijn werk" nu als bevestigd; "Bekijk de casus" in de e-mail opent na inloggen de casuspagina met wie wat te horen kreeg.`,
    );
  }
  const { notices } = await ctx.call<{ notices: NoticeSummary[] }>('GET', `/cases/${ctx.caseId}/notices`, ctx.token);
  say(
    `GET /cases/${ctx.caseId}/notices — who was told what, when, how, and who acknowledged (another organisation's mailboxes show as organisation and role only):`,
  );
  for (const n of notices) {
    const ack = n.acknowledged
      ? `acknowledged ${time(n.acknowledged.at)} by ${n.acknowledged.by.subject}`
      : 'not acknowledged';
    say(
      `  level ${n.level}  ${n.recipient.channel} to ${n.recipient.address ?? `${n.recipient.organisation} (${n.recipient.role})`}  ${n.status}${n.firstSentAt ? ` ${time(n.firstSentAt)}` : ''}, ${ack}`,
    );
  }
}

interface LeadView {
  negotiationId: string;
  status: string;
  suggestedLead?: { organisation: string; basis: string };
  currentProposal?: { proposalId: string; lead: string; waitingFor: string[] };
  escalation: { level: number };
  lead?: { organisation: string; how: string };
  history: { type: string; recordedAt: string; data: Record<string, unknown> }[];
}

interface CaseLeads {
  care?: { organisation: string; how: string };
  safety?: { organisation: string; how: string };
  mismatch?: { careLeadPoliceUnit: string; recipients: { organisation: string }[] };
}

/**
 * Seed case 1, continued (the addendum letter of seed 000): the two Veilig Thuis regions agree
 * on a lead after one counter-proposal; the two police units stay silent until escalation
 * reaches their managers, then agree; the two leads lie in different areas and that is flagged.
 */
async function runLeadDemo(ctx: {
  call: <T>(method: string, path: string, bearer: string, body?: unknown) => Promise<T>;
  token: (organisation: string) => Promise<string>;
  name: (id: string) => string;
  say: (line: string) => void;
  caseId: string;
  untilLevel: number;
}): Promise<void> {
  const { call, name, say, caseId } = ctx;
  const [ken, ams, polNh, polAms] = await Promise.all(
    [SENDER, RECEIVER, POLICE_NH, POLICE_AMS].map((org) => ctx.token(org)),
  );
  const now = () => time(new Date().toISOString());
  say('');
  say('━━ Who leads this region-crossing case? One recorded lead per chain (R4) ━━');
  // The handover between two Veilig Thuis regions made the case region-crossing in the care chain:
  // the service opened that chain's lead negotiation by itself.
  const opened = await call<{ negotiations: { care?: string } }>('GET', `/cases/${caseId}/leads`, ken!);
  const care = await call<LeadView>('GET', `/lead-negotiations/${opened.negotiations.care}`, ken!);
  // Only a party opens a negotiation in the case: Kennemerland involves the police of its area first.
  await call('POST', `/cases/${caseId}/involvements`, ken!, { organisation: POLICE_NH, reason: 'police' });
  const safety = await call<LeadView>('POST', `/cases/${caseId}/lead-negotiations`, polNh!, {
    chain: 'safety',
    parties: [POLICE_NH, POLICE_AMS],
    municipality: 'gemeente-haarlemmermeer',
    deadlines: { agreement: 'PT15S', escalationInterval: 'PT8S' },
  });
  const suggested = care.suggestedLead;
  say(
    `  Care chain: the handover made the case region-crossing, so a negotiation between ${name(SENDER)} and ${name(RECEIVER)} was opened automatically. ` +
      (suggested
        ? `Suggested lead: ${name(suggested.organisation)}, because ${suggested.basis} (a suggestion, not a decision).`
        : 'No lead is suggested: the service was not told where the child lives.'),
  );
  say(
    `  Safety chain: ${name(SENDER)} involves ${name(POLICE_NH)} (reason "police"), which opens a negotiation with ${name(POLICE_AMS)}; agreement is due within 15 seconds.`,
  );

  await call<LeadView>('POST', `/lead-negotiations/${care.negotiationId}/proposals`, ken!, {
    lead: SENDER,
    rationale: 'The child lives in Haarlemmermeer, in our region.',
  });
  say(`  ${now()}  ${name(SENDER)} proposes itself as lead.`);
  const counter = await call<LeadView>('POST', `/lead-negotiations/${care.negotiationId}/proposals`, ams!, {
    lead: RECEIVER,
    rationale: 'The family now lives in Amsterdam and the follow-up care is ours.',
  });
  say(`  ${now()}  ${name(RECEIVER)} counter-proposes itself: the family has moved. The parties disagree.`);
  const agreed = await call<LeadView>('POST', `/lead-negotiations/${care.negotiationId}/acceptances`, ken!, {
    proposalId: counter.currentProposal!.proposalId,
  });
  say(`  ${now()}  ${name(SENDER)} accepts. Care-chain lead agreed: ${name(agreed.lead!.organisation)}.`);

  say('  The police units stay silent…');
  let shown = 0;
  for (;;) {
    const view = await call<LeadView>('GET', `/lead-negotiations/${safety.negotiationId}`, polNh!);
    const escalations = view.history.filter((e) => e.type === 'LeadNegotiationEscalated');
    for (const e of escalations.slice(shown)) {
      const d = e.data as { level: number; reason: string; recipients: { organisation: string; title: string }[] };
      const who = d.recipients.map((r) => `the ${r.title} of ${name(r.organisation)}`).join(' and ');
      say(`  ${time(e.recordedAt)}  No agreement in time (${d.reason}). Escalated to level ${d.level}: ${who}.`);
    }
    shown = escalations.length;
    if (view.escalation.level >= ctx.untilLevel) break;
    await sleep(1000);
  }
  const proposal = await call<LeadView>('POST', `/lead-negotiations/${safety.negotiationId}/proposals`, polNh!, {
    lead: POLICE_NH,
    rationale: 'The district officer of Haarlemmermeer knows the family.',
  });
  say(`  ${now()}  With their managers involved, ${name(POLICE_NH)} proposes itself…`);
  const policeAgreed = await call<LeadView>('POST', `/lead-negotiations/${safety.negotiationId}/acceptances`, polAms!, {
    proposalId: proposal.currentProposal!.proposalId,
  });
  say(
    `  ${now()}  …and ${name(POLICE_AMS)} accepts. Safety-chain lead agreed: ${name(policeAgreed.lead!.organisation)}.`,
  );

  // The alignment check runs in the worker right after the agreement; give it a moment.
  let leads: CaseLeads = {};
  for (let i = 0; i < 20 && !leads.mismatch; i++) {
    leads = await call<CaseLeads>('GET', `/cases/${caseId}/leads`, ken!);
    if (!leads.mismatch) await sleep(500);
  }
  say('');
  say(
    `Leads of case ${caseId}: care chain ${name(leads.care!.organisation)} (${leads.care!.how}), safety chain ${name(leads.safety!.organisation)} (${leads.safety!.how}).`,
  );
  if (leads.mismatch) {
    say(
      `  Flagged: the Veilig Thuis lead works in the area of ${name(leads.mismatch.careLeadPoliceUnit)}, but the police lead is ${name(leads.safety!.organisation)}.`,
    );
    say(
      `  Told: ${leads.mismatch.recipients.map((r) => name(r.organisation)).join(', ')}. A re-negotiation is offered (POST /lead-negotiations/{id}/renegotiations).`,
    );
  }
  say('');
}

if (require.main === module) {
  runDemo({
    baseUrl: process.env.DEMO_BASE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`,
    // Where `npm start`'s capture server keeps the mail.
    mailDir: join(ROOT, '.data', 'mail'),
  }).catch((error: unknown) => {
    process.stderr.write(`The demo stopped: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
