import { randomUUID } from 'node:crypto';
import { readCapturedMail } from '@warm-handover/infra';

/**
 * The demo's second case, drawn from seed 003 (Heerlen: a family with chronic, multiple problems,
 * 1Gezin1Plan1Regisseur) and 002 §2.1–§2.4: the family moves and a new partner arrives, the
 * re-assessment is late and escalates, the family avoids care, and the overview shows everyone
 * involved. Narrated in Dutch, for the caseworker who reads it. Needs DEMO_MODE (the re-assessment
 * deadline is seconds here, working days in real life).
 */

const VT = 'vt-zuid-limburg';
const GEMEENTE = 'gemeente-heerlen';
const POLITIE = 'politie-limburg';
const GGZ = 'ggz-yulius';

interface FamilyOverview {
  children: { childId: string; responsible: string }[];
  organisations: {
    organisation: string;
    bases: string[];
    reasons?: string[];
    leads: string[];
    responsibleFor: string[];
    caseDirector: boolean;
  }[];
  caseDirector?: { organisation: string; professionalId: string; proposedBy: string; confirmedBy: string };
  changes: {
    code: string;
    occurredAt: string;
    recordedBy: string;
    reassessed: boolean;
    reassessments: { organisation: string; state: string; outcome?: string; escalationLevel: number }[];
  }[];
  signals: { count: number; inWindow: number; windowDays: number; list: { code: string; signalledBy: string }[] };
  goals: { code: string; targetDate: string; owner: string; state: string }[];
}

const WORDS: Record<string, string> = {
  moved: 'verhuisd',
  'new-partner': 'nieuwe partner',
  'no-show': 'niet verschenen',
  'refused-contact': 'contact geweigerd',
  withdrew: 'hulp gestopt',
  safe: 'veilig',
  'unsafe-conditions-needed': 'onveilig, voorwaarden nodig',
  'acutely-unsafe': 'acuut onveilig',
  reassessed: 'opnieuw ingeschat',
  due: 'nog binnen de termijn',
  overdue: 'te laat',
  open: 'loopt',
  'opened-the-case': 'opende de casus',
  'involved-by-a-party': 'betrokken door een partij',
  municipality: 'gemeente',
  police: 'politie',
  'mental-health-care': 'GGZ',
};
const ROLE: Record<number, string> = { 1: 'teamleider', 2: 'manager', 3: 'bestuurder' };
const w = (code: string) => WORDS[code] ?? code;

export interface FamilyDemoOptions {
  readonly baseUrl: string;
  readonly say: (line: string) => void;
  readonly token: (organisation: string) => Promise<string>;
  readonly name: (organisation: string) => string;
  readonly mailDir?: string;
}

export async function runFamilyDemo(options: FamilyDemoOptions): Promise<{ caseId: string }> {
  const { say, name } = options;
  const tokens = new Map<string, string>();
  for (const org of [VT, GEMEENTE, POLITIE, GGZ]) tokens.set(org, await options.token(org));
  const call = async <T>(as: string, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${options.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens.get(as)!}`,
        ...(body !== undefined ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as T & { detail?: string };
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${json.detail ?? JSON.stringify(json)}`);
    return json;
  };
  const time = (iso: string) => new Date(iso).toLocaleTimeString('nl-NL', { timeZone: 'Europe/Amsterdam' });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  type Recorded = { events: { type: string; data: Record<string, unknown> }[] };

  const family = randomUUID().slice(0, 4);
  const children = [`kind-${family}-1`, `kind-${family}-2`];
  say('');
  say('━━ Demo 2: het gezin als casus — één gezin, één plan, één regisseur (seed 003, Heerlen) ━━');
  const { caseId } = await call<{ caseId: string }>(VT, 'POST', '/cases', { childIds: children });
  say(`${name(VT)} opent de casus ${caseId} van een gezin met twee kinderen (${children.join(' en ')}).`);
  for (const [org, reason] of [
    [GEMEENTE, 'municipality'],
    [POLITIE, 'police'],
    [GGZ, 'mental-health-care'],
  ] as const) {
    await call(VT, 'POST', `/cases/${caseId}/involvements`, { organisation: org, reason });
    say(`  ${name(VT)} betrekt ${name(org)} (${w(reason)}).`);
  }

  const proposal = await call<Recorded>(GEMEENTE, 'POST', `/cases/${caseId}/family/director-proposals`, {
    organisation: GEMEENTE,
    professionalId: `regisseur-${family}`,
  });
  const proposalId = proposal.events[0]!.data.proposalId as string;
  await call(VT, 'POST', `/cases/${caseId}/family/director-proposals/${proposalId}/confirmation`, {});
  say(
    `${name(GEMEENTE)} stelt een eigen medewerker voor als regisseur (regisseur-${family}); ${name(VT)} bevestigt. Eén regisseur voor het hele gezin.`,
  );
  const target = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  await call(GEMEENTE, 'POST', `/cases/${caseId}/family/goals`, {
    code: 'school-attendance',
    label: 'kinderen gaan dagelijks naar school',
    targetDate: target,
    owner: GEMEENTE,
  });
  say(`  In het gezinsplan: doel "school-attendance", eigenaar ${name(GEMEENTE)}, streefdatum ${target}.`);

  say('');
  const movedAt = new Date(Date.now() - 86_400_000).toISOString();
  const moved = await call<Recorded>(GEMEENTE, 'POST', `/cases/${caseId}/family/changes`, {
    code: 'moved',
    occurredAt: movedAt,
    // Demo: seconds instead of 5 working days.
    deadline: 'PT10S',
  });
  const due = moved.events[0]!.data.reassessments as { organisation: string; dueAt: string }[];
  say(`${name(GEMEENTE)} legt vast: het gezin is gisteren verhuisd.`);
  for (const d of due)
    say(
      `  ${name(d.organisation)} is verantwoordelijk voor de kinderen en moet de veiligheidsrisico's opnieuw inschatten vóór ${time(d.dueAt)} (in het echt: 5 werkdagen).`,
    );
  say(`Niemand bij ${name(VT)} legt een herbeoordeling vast. Het systeem wacht de termijn af…`);
  let overview: FamilyOverview | undefined;
  for (let i = 0; i < 60; i++) {
    overview = await call<FamilyOverview>(VT, 'GET', `/cases/${caseId}/family`);
    if ((overview.changes[0]?.reassessments[0]?.escalationLevel ?? 0) >= 1) break;
    await sleep(1000);
  }
  const late = overview?.changes[0]?.reassessments[0];
  if (late && late.escalationLevel >= 1)
    say(
      `  Te laat: de herbeoordeling escaleert naar de ${ROLE[late.escalationLevel]} van ${name(late.organisation)}; zonder herbeoordeling volgt de volgende werkdag de manager.`,
    );
  if (options.mailDir) {
    let mail: { readonly to: readonly string[]; readonly subject: string }[] = [];
    for (let i = 0; i < 30 && mail.length === 0; i++) {
      mail = readCapturedMail(options.mailDir).filter(
        (m) => m.subject.endsWith(`casus ${caseId}`) && m.subject.includes('herbeoordeling'),
      );
      if (mail.length === 0) await sleep(500);
    }
    for (const m of mail) say(`  Bericht aan ${m.to.join(', ')}: ${m.subject}`);
  }

  say('');
  await call(GEMEENTE, 'POST', `/cases/${caseId}/family/changes`, {
    code: 'new-partner',
    occurredAt: new Date().toISOString(),
  });
  say(`${name(GEMEENTE)} legt vast: er is een nieuwe partner in het gezin. Ook dat vraagt om een nieuwe inschatting.`);
  const reassessed = await call<Recorded>(VT, 'POST', `/cases/${caseId}/family/reassessments`, {
    outcome: 'unsafe-conditions-needed',
    documentRef: `vtzl:risicotaxatie:${family}`,
  });
  say(
    `${name(VT)} schat de risico's opnieuw in: ${w('unsafe-conditions-needed')}. Vastgelegd is alleen de uitkomst en de verwijzing naar het eigen dossier (${String(reassessed.events[0]!.data.documentRef)}), nooit de inhoud; het beantwoordt beide veranderingen.`,
  );

  say('');
  await call(GGZ, 'POST', `/cases/${caseId}/family/care-avoidance`, {
    code: 'no-show',
    occurredAt: new Date().toISOString(),
  });
  say(
    `${name(GGZ)} meldt: de ouder is niet verschenen. Zorgmijding is een risicosignaal voor het kind: ${name(VT)} hoort het meteen.`,
  );
  const second = await call<Recorded>(GGZ, 'POST', `/cases/${caseId}/family/care-avoidance`, {
    code: 'refused-contact',
    occurredAt: new Date().toISOString(),
  });
  const repeated = second.events.find((e) => e.data.reason === 'care-avoidance-repeated');
  say(
    `${name(GGZ)} meldt opnieuw: contact geweigerd.${repeated ? ` Het tweede signaal binnen 30 dagen gaat ook naar de teamleiders van ${(repeated.data.organisations as string[]).map(name).join(', ')}.` : ''}`,
  );

  overview = await call<FamilyOverview>(VT, 'GET', `/cases/${caseId}/family`);
  say('');
  say(`Het overzicht van het gezin (GET /cases/${caseId}/family; ook voor elk moment in het verleden, ?at=):`);
  for (const child of overview.children) say(`  ${child.childId}: verantwoordelijk is ${name(child.responsible)}`);
  say('  Betrokken organisaties:');
  for (const org of overview.organisations) {
    const roles = [
      ...org.bases.map(w),
      ...(org.reasons ?? []).map((r) => `reden: ${w(r)}`),
      ...org.leads.map((chain) => `regie ${chain === 'care' ? 'zorgketen' : 'veiligheidsketen'}`),
      ...(org.responsibleFor.length ? [`verantwoordelijk voor ${org.responsibleFor.join(', ')}`] : []),
      ...(org.caseDirector ? ['levert de regisseur'] : []),
    ];
    say(`    ${name(org.organisation)}: ${roles.join('; ')}`);
  }
  if (overview.caseDirector)
    say(
      `  Regisseur: ${overview.caseDirector.professionalId} van ${name(overview.caseDirector.organisation)} (voorgesteld door ${name(overview.caseDirector.proposedBy)}, bevestigd door ${name(overview.caseDirector.confirmedBy)})`,
    );
  say('  Veranderingen in het gezin:');
  for (const change of overview.changes)
    say(
      `    ${w(change.code)} (${time(change.occurredAt)}, vastgelegd door ${name(change.recordedBy)}): ${change.reassessments
        .map(
          (r) =>
            `${name(r.organisation)} ${w(r.state)}${r.outcome ? ` — ${w(r.outcome)}` : ''}${r.escalationLevel ? `, geëscaleerd tot ${ROLE[r.escalationLevel]}` : ''}`,
        )
        .join('; ')}`,
    );
  say(
    `  Signalen van zorgmijding: ${overview.signals.count} (${overview.signals.inWindow} in de laatste ${overview.signals.windowDays} dagen): ${overview.signals.list.map((s) => `${w(s.code)} door ${name(s.signalledBy)}`).join(', ')}`,
  );
  for (const goal of overview.goals)
    say(`  Doel ${goal.code}: eigenaar ${name(goal.owner)}, streefdatum ${goal.targetDate}, ${w(goal.state)}`);
  say('');
  return { caseId };
}
