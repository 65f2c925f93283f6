import type { Actor } from '@warm-handover/contracts';
import {
  ALLOWED_COMMANDS,
  type CaseReport,
  type CaseState,
  type ChainState,
  type EscalationLevel,
  findOrganisation,
  HANDOVER_REASONS,
  type HandoverView,
  INVOLVEMENT_REASONS,
  type NoticeSummary,
  ORGANISATIONS,
  topDecisionsOpenTo,
  type UnresolvedFollowUp,
} from '@warm-handover/domain';
import { escapeHtml as esc } from '@warm-handover/platform';
import { chart, colourPerOrganisation } from '../reports/case-report.html';
import type { WorkItem, WorkItemKind } from './worklist';

/** Everything a page needs from the request: who reads it, the form token, a message after a redirect. */
export interface PageContext {
  readonly actor: Actor;
  readonly csrf: string;
  readonly flash?: Flash;
  /** DEMO_MODE: deadlines may be ISO-8601 durations, so a demo escalates within seconds. */
  readonly demoMode: boolean;
}

export interface Flash {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

const TIME_ZONE = 'Europe/Amsterdam';
const dateTime = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE });
const dateTimeSeconds = new Intl.DateTimeFormat('nl-NL', {
  dateStyle: 'medium',
  timeStyle: 'medium',
  timeZone: TIME_ZONE,
});

export const STATUS_NL: Readonly<Record<string, string>> = {
  requested: 'aangevraagd',
  received: 'ontvangen',
  accepted: 'geaccepteerd',
  started: 'gestart',
  rejected: 'afgewezen',
  withdrawn: 'ingetrokken',
  open: 'open',
  proposed: 'voorstel ligt er',
  agreed: 'overeengekomen',
  decided: 'besloten',
  HandoverEscalated: 'escalatie',
  HandoverContactFailed: 'geen contact met het gezin',
  LeadNegotiationEscalated: 'regie-overleg geëscaleerd',
  NoticeFailed: 'melding niet bezorgd',
};

export const ROLE_NL: Readonly<Record<string, string>> = {
  professional: 'medewerker',
  'team-lead': 'teamleider',
  manager: 'manager',
  director: 'bestuurder',
  inspector: 'inspecteur',
};

const LEVEL_NL: Readonly<Record<EscalationLevel, string>> = {
  0: 'geen (medewerker)',
  1: 'teamleider',
  2: 'manager',
  3: 'bestuurder',
};

const KIND_NL: Readonly<Record<WorkItemKind, string>> = {
  incoming: 'Binnenkomende overdracht',
  sent: 'Verzonden, wacht op de ontvanger',
  decision: 'Afgewezen of ingetrokken: besluit nodig',
  lead: 'Regie-overleg wacht op uw antwoord',
  escalation: 'Escalatie',
};

const REASON_NL: Readonly<Record<string, string>> = {
  'family-moved': 'gezin verhuisd',
  'care-indicated-after-investigation': 'zorg geïndiceerd na onderzoek',
  'end-of-intensive-care': 'einde intensieve zorg',
  other: 'anders',
};

const CHAIN_NL: Readonly<Record<string, string>> = {
  care: 'zorgketen (Veilig Thuis)',
  safety: 'veiligheidsketen (politie)',
};

export function orgName(id: string): string {
  // The service itself acts for deadlines and notices.
  if (id === 'warm-handover') return 'Warme overdracht (termijnbewaking)';
  return findOrganisation(id)?.name ?? id;
}

export function when(iso: string | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** With seconds: the timeline and the moments of an inspection, where minutes are too coarse. */
export function whenExactly(iso: string | undefined): string {
  return iso ? dateTimeSeconds.format(new Date(iso)) : '—';
}

/** "2 dagen 3 uur te laat", "45 min te laat", or "op tijd". */
export function lateness(ms: number): string {
  if (ms <= 0) return 'op tijd';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [
    days > 0 ? `${days} ${days === 1 ? 'dag' : 'dagen'}` : '',
    hours > 0 ? `${hours} uur` : '',
    days === 0 && mins > 0 ? `${mins} min` : '',
  ].filter(Boolean);
  return `${parts.length > 0 ? parts.join(' ') : 'minder dan een minuut'} te laat`;
}

/** The frame of every page: skip link, header with navigation, main landmark, footer. */
export function layout(
  title: string,
  ctx: PageContext | undefined,
  main: string,
  options: { live?: boolean } = {},
): string {
  const actor = ctx?.actor;
  const nav = actor
    ? [
        link('/app', 'Mijn werk'),
        actor.role === 'inspector' ? link('/app/zoeken', 'Casussen zoeken') : '',
        actor.role === 'manager' || actor.role === 'director' ? link('/app/contactpunten', 'Contactpunten') : '',
      ]
        .filter(Boolean)
        .map((a) => `<li>${a}</li>`)
        .join('')
    : '';
  const who = actor
    ? `<p class="utrecht-paragraph wh-who">Ingelogd als ${esc(ROLE_NL[actor.role] ?? actor.role)} van ${esc(orgName(actor.organisation))}</p>
<form method="post" action="/app/uitloggen" class="wh-inline">${csrfField(ctx)}<button type="submit" class="utrecht-button utrecht-button--secondary-action">Uitloggen</button></form>`
    : '';
  return `<!doctype html>
<html lang="nl" class="utrecht-theme">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – Warme overdracht</title>
<link rel="stylesheet" href="/app/assets/tokens.css">
<link rel="stylesheet" href="/app/assets/components.css">
<link rel="stylesheet" href="/app/assets/app.css">
${options.live ? '<script src="/app/assets/app.js" defer></script>' : ''}
</head>
<body class="utrecht-document utrecht-theme">
<a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">Naar de inhoud</a>
<header class="utrecht-page-header wh-header">
<p class="utrecht-paragraph wh-brand">Warme overdracht</p>
${actor ? `<nav aria-label="Hoofdmenu"><ul class="wh-nav">${nav}</ul></nav>` : ''}
${who}
</header>
<main id="inhoud" class="utrecht-page-content wh-main" tabindex="-1">
${ctx?.flash ? flash(ctx.flash) : ''}
${main}
</main>
<footer class="utrecht-page-footer wh-footer">
<p class="utrecht-paragraph">${link('/app/toegankelijkheid', 'Toegankelijkheidsverklaring')}</p>
</footer>
</body>
</html>
`;
}

function flash(f: Flash): string {
  return `<div class="utrecht-alert utrecht-alert--${f.kind === 'ok' ? 'ok' : 'error'}" role="${f.kind === 'ok' ? 'status' : 'alert'}"><p class="utrecht-paragraph">${esc(f.text)}</p></div>`;
}

function link(href: string, text: string): string {
  return `<a class="utrecht-link" href="${esc(href)}">${esc(text)}</a>`;
}

function csrfField(ctx: PageContext | undefined): string {
  return ctx ? `<input type="hidden" name="csrf" value="${esc(ctx.csrf)}">` : '';
}

/** A fresh key per rendered form: a double submit (or a retry after a network error) runs the command once. */
function keyField(): string {
  return `<input type="hidden" name="idempotencyKey" value="${crypto.randomUUID()}">`;
}

function button(text: string, primary = false): string {
  return `<button type="submit" class="utrecht-button utrecht-button--${primary ? 'primary' : 'secondary'}-action">${esc(text)}</button>`;
}

function field(id: string, label: string, input: string, description?: string): string {
  return `<div class="utrecht-form-field">
<div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${id}">${esc(label)}</label></div>
${description ? `<div class="utrecht-form-field-description" id="${id}-uitleg">${esc(description)}</div>` : ''}
<div class="utrecht-form-field__input">${input}</div>
</div>`;
}

function textbox(
  id: string,
  name: string,
  options: { value?: string; required?: boolean; type?: string; describedBy?: boolean } = {},
): string {
  return `<input class="utrecht-textbox" id="${id}" name="${name}" type="${options.type ?? 'text'}"${options.value !== undefined ? ` value="${esc(options.value)}"` : ''}${options.required ? ' required' : ''}${options.describedBy ? ` aria-describedby="${id}-uitleg"` : ''}>`;
}

function select(
  id: string,
  name: string,
  choices: readonly (readonly [string, string])[],
  selected?: string,
  describedBy = false,
): string {
  return `<select class="utrecht-select" id="${id}" name="${name}"${describedBy ? ` aria-describedby="${id}-uitleg"` : ''}>${choices
    .map(([v, t]) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(t)}</option>`)
    .join('')}</select>`;
}

// ---------------------------------------------------------------- Mijn werk

/** `since`: the event store's position read before the items, where the live updates continue from. */
export function worklistPage(ctx: PageContext, items: readonly WorkItem[], now: string, since: number): string {
  const { actor } = ctx;
  const intro =
    actor.role === 'professional'
      ? 'Overdrachten die op u wachten, overdrachten die u verstuurde, afgewezen of ingetrokken overdrachten die een besluit vragen en regie-overleg dat op uw antwoord wacht. Het meest dringende staat bovenaan.'
      : actor.role === 'inspector'
        ? 'Als inspecteur leest u casussen; zoek ze op via Casussen zoeken.'
        : `Escalaties aan de ${ROLE_NL[actor.role] ?? actor.role} van ${orgName(actor.organisation)}, open en bevestigd. Het meest dringende staat bovenaan.`;
  return layout(
    'Mijn werk',
    ctx,
    `<h1 class="utrecht-heading-1">Mijn werk</h1>
<p class="utrecht-paragraph">${esc(intro)}</p>
${
  actor.role === 'inspector'
    ? `<p class="utrecht-paragraph">${link('/app/zoeken', 'Casussen zoeken')}</p>`
    : `<p class="utrecht-paragraph wh-live" id="live-status" role="status">De lijst werkt zichzelf bij zodra er iets gebeurt.</p>
<div id="werklijst" data-bron="/app/werk/lijst" data-sinds="${since}">${worklistFragment(ctx, items, now)}</div>`
}
${actor.role === 'professional' ? requestHandoverForm(ctx) : ''}`,
    { live: actor.role !== 'inspector' },
  );
}

/** The list alone: the page embeds it, and the live update fetches it again. */
export function worklistFragment(ctx: PageContext, items: readonly WorkItem[], now: string): string {
  if (items.length === 0) {
    return '<p class="utrecht-paragraph">Er wacht nu niets op u.</p>';
  }
  const rows = items.map((item, i) => {
    const late = item.lateMs > 0;
    return `<tr class="utrecht-table__row${late ? ' wh-late' : ''}">
<td class="utrecht-table__cell">${i + 1}</td>
<td class="utrecht-table__cell">${esc(KIND_NL[item.kind])}</td>
<td class="utrecht-table__cell">${link(`/app/casussen/${encodeURIComponent(item.caseId)}`, `Casus ${item.caseId.slice(0, 8)}`)}</td>
<td class="utrecht-table__cell">${esc(item.childIds.join(', ') || '—')}</td>
<td class="utrecht-table__cell">${esc(item.counterpart ? (CHAIN_NL[item.counterpart] ?? orgName(item.counterpart)) : '—')}</td>
<td class="utrecht-table__cell">${esc(STATUS_NL[item.status] ?? item.status)}${item.acknowledged === undefined ? '' : item.acknowledged ? ' · bevestigd' : ' · open'}</td>
<td class="utrecht-table__cell">${esc(when(item.dueAt))}</td>
<td class="utrecht-table__cell">${late ? `<strong>${esc(lateness(item.lateMs))}</strong>` : esc(item.dueAt ? 'op tijd' : '—')}</td>
<td class="utrecht-table__cell">${esc(LEVEL_NL[item.level])}</td>
<td class="utrecht-table__cell">${quickAction(ctx, item)}</td>
</tr>`;
  });
  return `<table class="utrecht-table wh-worklist">
<caption class="utrecht-table__caption">Wat op u wacht, het meest dringende eerst (bijgewerkt ${esc(when(now))})</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row">
<th class="utrecht-table__header-cell" scope="col">#</th>
<th class="utrecht-table__header-cell" scope="col">Soort</th>
<th class="utrecht-table__header-cell" scope="col">Casus</th>
<th class="utrecht-table__header-cell" scope="col">Kinderen</th>
<th class="utrecht-table__header-cell" scope="col">Andere partij</th>
<th class="utrecht-table__header-cell" scope="col">Stand</th>
<th class="utrecht-table__header-cell" scope="col">Termijn</th>
<th class="utrecht-table__header-cell" scope="col">Te laat</th>
<th class="utrecht-table__header-cell" scope="col">Escalatieniveau</th>
<th class="utrecht-table__header-cell" scope="col">Actie</th>
</tr></thead>
<tbody class="utrecht-table__body">${rows.join('')}</tbody>
</table>`;
}

/** The next step of an item, as one button; everything else is on the case page. */
function quickAction(ctx: PageContext, item: WorkItem): string {
  const back = '<input type="hidden" name="terug" value="/app">';
  if (item.kind === 'escalation' && !item.acknowledged && item.noticeId) {
    return `<form method="post" action="/app/meldingen/${esc(item.noticeId)}/bevestiging">${csrfField(ctx)}${back}${button('Bevestig: gezien', true)}</form>`;
  }
  if (item.kind === 'incoming' && item.status === 'requested' && item.handoverId) {
    return `<form method="post" action="/app/overdrachten/${esc(item.handoverId)}/ontvangst">${csrfField(ctx)}${keyField()}${back}${button('Bevestig ontvangst', true)}</form>`;
  }
  return link(`/app/casussen/${encodeURIComponent(item.caseId)}`, 'Naar de casus');
}

function deadlineHelp(ctx: PageContext, days: string): string {
  return ctx.demoMode ? `${days}; in de demo ook een duur zoals PT20S` : days;
}

function requestHandoverForm(ctx: PageContext, caseId?: string, children?: readonly string[]): string {
  const orgs = ORGANISATIONS.filter((o) => o.id !== ctx.actor.organisation).map((o) => [o.id, o.name] as const);
  const reasons = HANDOVER_REASONS.map((r) => [r, REASON_NL[r] ?? r] as const);
  const prefix = caseId ? 'casus-' : 'nieuw-';
  const childrenInput =
    children && children.length > 0
      ? `<fieldset class="utrecht-form-fieldset"><legend class="utrecht-form-fieldset__legend">Kinderen die u overdraagt</legend>${children
          .map(
            (c, i) =>
              `<div class="utrecht-form-field utrecht-form-field--checkbox"><input type="checkbox" class="utrecht-checkbox" id="${prefix}kind-${i}" name="childIds" value="${esc(c)}"><label class="utrecht-form-label utrecht-form-label--checkbox" for="${prefix}kind-${i}">${esc(c)}</label></div>`,
          )
          .join('')}</fieldset>`
      : field(
          `${prefix}kinderen`,
          'Kinderen (pseudoniemen)',
          textbox(`${prefix}kinderen`, 'childIds', { required: true, describedBy: true }),
          'De pseudonieme kind-id’s, gescheiden door komma’s, zoals kind-7f3c, kind-91ab. Nooit een naam of BSN.',
        );
  return `<section aria-labelledby="${prefix}overdracht-kop">
<h2 class="utrecht-heading-2" id="${prefix}overdracht-kop">${caseId ? 'Overdracht aanvragen in deze casus' : 'Nieuwe overdracht aanvragen'}</h2>
<form method="post" action="/app/overdrachten" class="wh-form">${csrfField(ctx)}${keyField()}
${caseId ? `<input type="hidden" name="caseId" value="${esc(caseId)}">` : ''}
${childrenInput}
${field(`${prefix}ontvanger`, 'Ontvangende organisatie', select(`${prefix}ontvanger`, 'toOrg', orgs, 'vt-amsterdam-amstelland'))}
${field(`${prefix}reden`, 'Reden', select(`${prefix}reden`, 'reason', reasons))}
${field(`${prefix}ontvangst`, 'Termijn voor ontvangst', textbox(`${prefix}ontvangst`, 'receipt', { value: '1', describedBy: true }), deadlineHelp(ctx, 'Werkdagen, 1 tot 5'))}
${field(`${prefix}start`, 'Termijn voor de start van de zorg', textbox(`${prefix}start`, 'start', { value: '10', describedBy: true }), deadlineHelp(ctx, 'Werkdagen, 1 tot 40'))}
${field(`${prefix}interval`, 'Escalatie-interval', textbox(`${prefix}interval`, 'escalationInterval', { value: '1', describedBy: true }), deadlineHelp(ctx, 'Werkdagen tussen twee escalatiestappen, 1 tot 5'))}
${button('Overdracht aanvragen', true)}
</form>
</section>`;
}

// ---------------------------------------------------------------- De casus

export interface CasePageData {
  readonly caseId: string;
  readonly state: CaseState;
  readonly parties: readonly { readonly organisation: string; readonly how: readonly string[] }[];
  readonly unresolved: readonly UnresolvedFollowUp[];
  readonly report: CaseReport;
  readonly timeline: readonly {
    readonly at: string;
    readonly type: string;
    readonly organisation: string;
    readonly role: string;
  }[];
  /** Whether the reader's organisation takes part (and so may act, when looking at now). */
  readonly party: boolean;
  /** Looking at a past moment: read only. */
  readonly past: boolean;
  readonly chain?: { readonly verified: boolean; readonly detail: string };
  readonly moment: { readonly at: string; readonly asRecordedAt: string };
}

const EVENT_NL: Readonly<Record<string, string>> = {
  CaseOpened: 'Casus geopend',
  ChildrenAdded: 'Kinderen toegevoegd',
  PartyInvolved: 'Organisatie betrokken',
  CaseKeptBySender: 'Besluit: de verzender houdt de kinderen',
  HandoverRequested: 'Overdracht aangevraagd',
  HandoverReceived: 'Ontvangst bevestigd',
  HandoverAccepted: 'Overdracht geaccepteerd',
  HandoverStarted: 'Start van de zorg bevestigd',
  HandoverRejected: 'Overdracht afgewezen',
  HandoverWithdrawn: 'Overdracht ingetrokken',
  HandoverEscalated: 'Geëscaleerd',
  HandoverContactFailed: 'Geen contact met het gezin',
  LeadNegotiationOpened: 'Regie-overleg geopend',
  LeadProposed: 'Regie voorgesteld',
  LeadProposalAccepted: 'Voorstel aanvaard',
  LeadAgreed: 'Regie overeengekomen',
  LeadDecided: 'Regie besloten',
  LeadDecisionTaken: 'Besluit over de regie genomen (bestuurder)',
  LeadDecisionConfirmed: 'Besluit over de regie bevestigd (bestuurder)',
  LeadRenegotiationOpened: 'Regie opnieuw besproken',
  LeadNegotiationEscalated: 'Regie-overleg geëscaleerd',
  LeadRegionMismatch: 'Regie in verschillende werkgebieden',
  NoticeSent: 'Melding verstuurd',
  NoticeAttemptFailed: 'Bezorgpoging mislukt',
  NoticeFailed: 'Melding niet bezorgd',
  NoticeAcknowledged: 'Melding bevestigd',
};

const HOW_NL: Readonly<Record<string, string>> = {
  'opened-the-case': 'opende de casus',
  'sent-a-handover': 'verzond een overdracht',
  'received-a-handover': 'ontving een overdracht',
  'named-in-a-lead-negotiation': 'neemt deel aan regie-overleg',
  'involved-by-a-party': 'betrokken door een partij',
  'told-of-a-lead-mismatch': 'geïnformeerd over regie in verschillende werkgebieden',
  municipality: 'gemeente',
  'local-team': 'lokaal team',
  gp: 'huisarts',
  school: 'school',
  'mental-health-care': 'ggz',
  'youth-health-care': 'jeugdgezondheidszorg',
  police: 'politie',
  'child-protection-board': 'Raad voor de Kinderbescherming',
  'youth-care-provider': 'jeugdhulpaanbieder',
  'womens-shelter': 'vrouwenopvang',
  other: 'anders',
};

export function casePage(ctx: PageContext, data: CasePageData): string {
  const { state } = data;
  const mayAct = data.party && !data.past && ctx.actor.role !== 'inspector';
  const children = state.children.map(
    (c) =>
      `<tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="row">${esc(c.childId)}</th><td class="utrecht-table__cell">${esc(orgName(c.responsible.organisation))}</td><td class="utrecht-table__cell">${esc(when(c.responsible.since))}</td></tr>`,
  );
  const chains = (['care', 'safety'] as const).flatMap((chain) => {
    const c = state.chains[chain];
    if (!c) return [];
    const n = c.negotiation;
    const lead = c.lead
      ? `${orgName(c.lead.organisation)} (${c.lead.how === 'agreed' ? 'overeengekomen' : 'besloten'} op ${when(c.lead.since)}${c.lead.decidedBy ? `, besluit van de bestuurder van ${orgName(c.lead.decidedBy.organisation)}${c.lead.confirmations && c.lead.confirmations.length > 0 ? `, bevestigd door ${c.lead.confirmations.map((x) => orgName(x.organisation)).join(', ')}` : ''}` : ''})`
      : 'nog geen regie vastgelegd';
    const open =
      n.status === 'open'
        ? ` Overleg open: ${n.currentProposal ? `voorstel ${orgName(n.currentProposal.lead)}, wacht op ${n.currentProposal.waitingFor.map(orgName).join(', ') || 'niemand'}` : 'nog geen voorstel'}; termijn ${when(n.deadlineAt)}; escalatieniveau ${LEVEL_NL[n.escalation.level]}.${
            n.pendingDecision
              ? ` Besluit van de bestuurder van ${orgName(n.pendingDecision.decidedBy.organisation)} op ${when(n.pendingDecision.decidedAt)}: regie bij ${orgName(n.pendingDecision.lead)} (${n.pendingDecision.rationale}); wacht op bevestiging door de bestuurder van ${n.pendingDecision.waitingFor.map(orgName).join(', ')}.`
              : ''
          }`
        : '';
    return [
      `<li>${esc(CHAIN_NL[chain] ?? chain)}: ${esc(lead)}.${esc(open)}${mayAct ? leadForms(ctx, data.caseId, n) : ''}</li>`,
    ];
  });
  const openHandovers = state.openHandovers.map((h) => handoverBlock(ctx, h, mayAct));
  const notices = state.notices.map(
    (n) =>
      `<tr class="utrecht-table__row"><td class="utrecht-table__cell">${esc(orgName(n.recipient.organisation))}</td><td class="utrecht-table__cell">${esc(ROLE_NL[n.recipient.role] ?? n.recipient.role)}</td><td class="utrecht-table__cell">${esc(STATUS_NL[n.causeType] ?? EVENT_NL[n.causeType] ?? n.causeType)}</td><td class="utrecht-table__cell">${esc(LEVEL_NL[n.level])}</td><td class="utrecht-table__cell">${esc(noticeStatus(n))}</td><td class="utrecht-table__cell">${noticeAction(ctx, data, n, mayAct)}</td></tr>`,
  );
  const colours = colourPerOrganisation(data.report);
  const legend = [...colours]
    .map(
      ([id, colour]) =>
        `<li><svg width="22" height="12" aria-hidden="true" focusable="false"><rect width="22" height="12" fill="${colour}"/></svg> ${esc(orgName(id))}</li>`,
    )
    .join('');
  const timeline = data.timeline.map(
    (e) =>
      `<tr class="utrecht-table__row"><td class="utrecht-table__cell">${esc(whenExactly(e.at))}</td><td class="utrecht-table__cell">${esc(EVENT_NL[e.type] ?? e.type)}</td><td class="utrecht-table__cell">${esc(orgName(e.organisation))}${ROLE_NL[e.role] ? ` (${esc(ROLE_NL[e.role]!)})` : ''}</td></tr>`,
  );
  const unresolved = data.unresolved.filter((u) => u.sender === ctx.actor.organisation);
  // Only the organisation responsible for a child hands it over, and a child is in one open handover at most.
  const handable = state.children
    .filter(
      (c) =>
        c.responsible.organisation === ctx.actor.organisation &&
        !state.openHandovers.some((h) => h.childIds.includes(c.childId)),
    )
    .map((c) => c.childId);
  const path = `/app/casussen/${encodeURIComponent(data.caseId)}`;
  return layout(
    `Casus ${data.caseId}`,
    ctx,
    `<h1 class="utrecht-heading-1">Casus ${esc(data.caseId)}</h1>
${data.past ? `<div class="utrecht-alert utrecht-alert--info" role="status"><p class="utrecht-paragraph">U ziet de casus zoals die was op ${esc(whenExactly(data.moment.at))}, zoals bekend op ${esc(whenExactly(data.moment.asRecordedAt))}. Alleen lezen. ${link(path, 'Naar nu')}</p></div>` : ''}
${momentForm(data, path)}
<section aria-labelledby="kinderen-kop">
<h2 class="utrecht-heading-2" id="kinderen-kop">Kinderen en wie ${data.past ? 'toen' : 'nu'} verantwoordelijk ${data.past ? 'was' : 'is'}</h2>
${children.length > 0 ? `<table class="utrecht-table"><thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Kind (pseudoniem)</th><th class="utrecht-table__header-cell" scope="col">Verantwoordelijk</th><th class="utrecht-table__header-cell" scope="col">Sinds</th></tr></thead><tbody class="utrecht-table__body">${children.join('')}</tbody></table>` : '<p class="utrecht-paragraph">Op dit moment waren nog geen kinderen bekend.</p>'}
</section>
<section aria-labelledby="regie-kop">
<h2 class="utrecht-heading-2" id="regie-kop">Regie per keten</h2>
${chains.length > 0 ? `<ul class="utrecht-unordered-list">${chains.join('')}</ul>` : '<p class="utrecht-paragraph">Er is geen regie-overleg in deze casus.</p>'}
${state.mismatch ? '<p class="utrecht-paragraph"><strong>Let op:</strong> de regie van zorgketen en veiligheidsketen ligt in verschillende werkgebieden.</p>' : ''}
</section>
<section aria-labelledby="partijen-kop">
<h2 class="utrecht-heading-2" id="partijen-kop">Betrokken organisaties en waarom</h2>
<ul class="utrecht-unordered-list">${data.parties.map((p) => `<li>${esc(orgName(p.organisation))}: ${esc(p.how.map((h) => HOW_NL[h] ?? h).join(', '))}</li>`).join('')}</ul>
</section>
<section aria-labelledby="overdrachten-kop">
<h2 class="utrecht-heading-2" id="overdrachten-kop">Open overdrachten</h2>
${openHandovers.length > 0 ? openHandovers.join('') : '<p class="utrecht-paragraph">Geen open overdrachten.</p>'}
${unresolved.map((u) => decisionBlock(ctx, data.caseId, u, mayAct)).join('')}
</section>
<section aria-labelledby="meldingen-kop">
<h2 class="utrecht-heading-2" id="meldingen-kop">Meldingen: wie kreeg wat te horen</h2>
${notices.length > 0 ? `<table class="utrecht-table"><thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Organisatie</th><th class="utrecht-table__header-cell" scope="col">Aan</th><th class="utrecht-table__header-cell" scope="col">Over</th><th class="utrecht-table__header-cell" scope="col">Niveau</th><th class="utrecht-table__header-cell" scope="col">Stand</th><th class="utrecht-table__header-cell" scope="col">Actie</th></tr></thead><tbody class="utrecht-table__body">${notices.join('')}</tbody></table>` : '<p class="utrecht-paragraph">Nog geen meldingen.</p>'}
</section>
<section aria-labelledby="grafiek-kop">
<h2 class="utrecht-heading-2" id="grafiek-kop">Verantwoordelijkheid en regie in de tijd</h2>
<div class="wh-chart">${chart(data.report, colours)}</div>
<ul class="wh-legend">${legend}</ul>
<p class="utrecht-paragraph">${link(`/cases/${encodeURIComponent(data.caseId)}/report?format=html`, 'Rapport (HTML)')} · ${link(`/cases/${encodeURIComponent(data.caseId)}/report?format=pdf`, 'Rapport downloaden (PDF)')}</p>
</section>
${data.chain ? `<section aria-labelledby="keten-kop"><h2 class="utrecht-heading-2" id="keten-kop">Hashketen</h2><p class="utrecht-paragraph" id="keten-uitslag">${data.chain.verified ? 'De hashketen klopt: ' : '<strong>De hashketen klopt niet:</strong> '}${esc(data.chain.detail)}</p></section>` : ''}
${mayAct && handable.length > 0 ? requestHandoverForm(ctx, data.caseId, handable) : ''}
${mayAct ? involveForm(ctx, data.caseId) : ''}
<section aria-labelledby="tijdlijn-kop">
<h2 class="utrecht-heading-2" id="tijdlijn-kop">Tijdlijn</h2>
<table class="utrecht-table"><thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Wanneer</th><th class="utrecht-table__header-cell" scope="col">Wat</th><th class="utrecht-table__header-cell" scope="col">Door</th></tr></thead><tbody class="utrecht-table__body">${timeline.join('')}</tbody></table>
</section>`,
  );
}

/** A party's answers in an open lead negotiation (R4): accept the proposal that waits on it, or propose. */
function leadForms(ctx: PageContext, caseId: string, n: ChainState['negotiation']): string {
  const org = ctx.actor.organisation;
  if (n.status !== 'open' || !n.parties.includes(org)) return '';
  const back = `<input type="hidden" name="terug" value="/app/casussen/${esc(encodeURIComponent(caseId))}">`;
  const forms: string[] = [];
  const top = topDecisionsOpenTo(ctx.actor, n);
  const id = `regie-${n.negotiationId}`;
  if (top.confirm) {
    forms.push(
      `<form method="post" action="/app/regie/${esc(n.negotiationId)}/bevestiging" class="wh-action">${csrfField(ctx)}${keyField()}${back}<input type="hidden" name="decisionId" value="${esc(top.confirm.decisionId)}">${button(`Bevestig het besluit: regie bij ${orgName(top.confirm.lead)}`, true)}</form>`,
    );
  }
  if (top.decide.length > 0) {
    forms.push(
      `<form method="post" action="/app/regie/${esc(n.negotiationId)}/besluit" class="wh-action">${csrfField(ctx)}${keyField()}${back}
${field(
  `${id}-besluit-lead`,
  top.confirm ? 'Of besluit anders, als bestuurder: regie bij' : 'Besluit als bestuurder: regie bij',
  select(
    `${id}-besluit-lead`,
    'lead',
    top.decide.map((p) => [p, orgName(p)] as const),
    undefined,
    true,
  ),
  'Het besluit van uw organisatie; het geldt zodra de bestuurders van de andere partijen het bevestigen.',
)}
${field(`${id}-besluit-reden`, 'Onderbouwing van het besluit (zonder persoonsgegevens)', textbox(`${id}-besluit-reden`, 'rationale', { required: true }))}
${button('Neem het besluit')}</form>`,
    );
  }
  if (n.currentProposal?.waitingFor.includes(org)) {
    forms.push(
      `<form method="post" action="/app/regie/${esc(n.negotiationId)}/aanvaarding" class="wh-action">${csrfField(ctx)}${keyField()}${back}<input type="hidden" name="proposalId" value="${esc(n.currentProposal.proposalId)}">${button(`Aanvaard: regie bij ${orgName(n.currentProposal.lead)}`, true)}</form>`,
    );
  }
  forms.push(
    `<form method="post" action="/app/regie/${esc(n.negotiationId)}/voorstel" class="wh-action">${csrfField(ctx)}${keyField()}${back}
${field(
  `${id}-lead`,
  n.currentProposal ? 'Tegenvoorstel: regie bij' : 'Stel voor: regie bij',
  select(
    `${id}-lead`,
    'lead',
    n.parties.map((p) => [p, orgName(p)] as const),
    org,
  ),
)}
${field(`${id}-reden`, 'Onderbouwing (zonder persoonsgegevens)', textbox(`${id}-reden`, 'rationale', { required: true }))}
${button('Voorstel doen')}</form>`,
  );
  return `<div class="wh-actions">${forms.join('')}</div>`;
}

function noticeStatus(n: NoticeSummary): string {
  switch (n.status) {
    case 'acknowledged':
      return `bevestigd op ${when(n.acknowledgedAt)}`;
    case 'sent':
      return `verstuurd op ${when(n.sentAt)}, nog niet bevestigd`;
    case 'failed':
      return `niet bezorgd (${when(n.failedAt)})`;
    case 'retrying':
      return 'wordt opnieuw geprobeerd';
  }
}

function noticeAction(ctx: PageContext, data: CasePageData, n: NoticeSummary, mayAct: boolean): string {
  if (!mayAct || n.status === 'acknowledged' || n.recipient.organisation !== ctx.actor.organisation) return '—';
  return `<form method="post" action="/app/meldingen/${esc(n.noticeId)}/bevestiging">${csrfField(ctx)}<input type="hidden" name="terug" value="/app/casussen/${esc(encodeURIComponent(data.caseId))}">${button('Bevestig: gezien')}</form>`;
}

const localParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** An instant as a `datetime-local` value in the Netherlands' time. */
export function amsterdamLocal(iso: string): string {
  const p = Object.fromEntries(localParts.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

function momentForm(data: CasePageData, path: string): string {
  return `<details class="wh-moment"${data.past ? ' open' : ''}><summary>De casus op een eerder moment bekijken</summary>
<form method="get" action="${esc(path)}" class="wh-form">
${field('moment-op', 'Zoals het was op (tijd in Nederland)', `<input class="utrecht-textbox" type="datetime-local" step="1" id="moment-op" name="op" value="${data.past ? esc(amsterdamLocal(data.moment.at)) : ''}" aria-describedby="moment-op-uitleg">`, 'Welke feiten toen golden, naar hun werkelijke tijd.')}
${field('moment-bekend', 'Zoals het bekend was op (tijd in Nederland)', `<input class="utrecht-textbox" type="datetime-local" step="1" id="moment-bekend" name="bekend" value="${data.past ? esc(amsterdamLocal(data.moment.asRecordedAt)) : ''}" aria-describedby="moment-bekend-uitleg">`, 'Alleen wat toen was vastgelegd. Leeg: alles wat nu bekend is.')}
${button('Bekijken')}
</form></details>`;
}

/** The actions the rules allow now on this handover, for the reader's side of it, each a form. */
function handoverBlock(ctx: PageContext, h: HandoverView, mayAct: boolean): string {
  const org = ctx.actor.organisation;
  const allowed = new Set(ALLOWED_COMMANDS[h.status]);
  const side = h.toOrg === org ? 'receiver' : h.fromOrg === org ? 'sender' : 'other';
  const forms: string[] = [];
  const action = (path: string, label: string, inner = '', primary = false) =>
    `<form method="post" action="/app/overdrachten/${esc(h.handoverId)}/${path}" class="wh-action">${csrfField(ctx)}${keyField()}<input type="hidden" name="terug" value="/app/casussen/${esc(encodeURIComponent(h.caseId))}">${inner}${button(label, primary)}</form>`;
  const reason = (id: string) =>
    field(
      `${id}-${h.handoverId}`,
      'Reden (zonder namen of andere persoonsgegevens)',
      textbox(`${id}-${h.handoverId}`, 'reason', { required: true }),
    );
  if (mayAct && side === 'receiver') {
    if (allowed.has('AcknowledgeReceipt')) forms.push(action('ontvangst', 'Bevestig ontvangst', '', true));
    if (allowed.has('AcceptHandover')) {
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      forms.push(
        action(
          'acceptatie',
          'Accepteer de overdracht',
          field(
            `start-gepland-${h.handoverId}`,
            'Geplande startdatum',
            textbox(`start-gepland-${h.handoverId}`, 'plannedStartDate', {
              type: 'date',
              value: tomorrow,
              required: true,
            }),
          ),
          true,
        ),
      );
    }
    if (allowed.has('ConfirmStart')) forms.push(action('start', 'Bevestig: de zorg is gestart', '', true));
    if (allowed.has('RejectHandover')) forms.push(action('afwijzing', 'Wijs de overdracht af', reason('afwijzen')));
  }
  if (mayAct && side === 'sender' && allowed.has('WithdrawHandover')) {
    forms.push(action('intrekking', 'Trek de overdracht in', reason('intrekken')));
  }
  if (mayAct && side !== 'other' && allowed.has('ReportContactFailure')) {
    forms.push(action('geen-contact', 'Meld: geen contact met het gezin', reason('geen-contact')));
  }
  return `<article class="wh-handover" aria-labelledby="overdracht-${esc(h.handoverId)}">
<h3 class="utrecht-heading-3" id="overdracht-${esc(h.handoverId)}">Overdracht van ${esc(h.childIds.join(', '))} van ${esc(orgName(h.fromOrg))} naar ${esc(orgName(h.toOrg))}</h3>
<dl class="utrecht-data-list wh-facts">
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Stand</dt><dd class="utrecht-data-list__item-value">${esc(STATUS_NL[h.status] ?? h.status)}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Reden</dt><dd class="utrecht-data-list__item-value">${esc(REASON_NL[h.reason] ?? h.reason)}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Verantwoordelijk tot de start</dt><dd class="utrecht-data-list__item-value">${esc(orgName(h.responsibleOrg))}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Wacht op</dt><dd class="utrecht-data-list__item-value">${h.pending ? `${h.pending.step === 'receipt' ? 'ontvangst' : 'start van de zorg'}, uiterlijk ${esc(when(h.pending.dueAt))}${h.pending.overdue ? ' — <strong>te laat</strong>' : ''}` : '—'}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Escalatieniveau</dt><dd class="utrecht-data-list__item-value">${esc(LEVEL_NL[h.escalation.level])}</dd></div>
</dl>
${forms.length > 0 ? `<div class="wh-actions">${forms.join('')}</div>` : ''}
</article>`;
}

function decisionBlock(ctx: PageContext, caseId: string, u: UnresolvedFollowUp, mayAct: boolean): string {
  const late = Date.now() - Date.parse(u.dueAt);
  return `<article class="wh-handover" aria-labelledby="besluit-${esc(u.handoverId)}">
<h3 class="utrecht-heading-3" id="besluit-${esc(u.handoverId)}">Besluit nodig: overdracht ${esc(STATUS_NL[u.status] ?? u.status)} op ${esc(when(u.closedAt))}</h3>
<p class="utrecht-paragraph">Uw organisatie blijft verantwoordelijk. Leg vast dat u de kinderen houdt, of vraag een nieuwe overdracht aan.</p>
<dl class="utrecht-data-list wh-facts">
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Besluit uiterlijk</dt><dd class="utrecht-data-list__item-value">${esc(when(u.dueAt))}${late > 0 ? ` — <strong>${esc(lateness(late))}</strong>` : ''}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Escalatieniveau</dt><dd class="utrecht-data-list__item-value">${esc(LEVEL_NL[u.level])}</dd></div>
</dl>
${mayAct ? `<form method="post" action="/app/casussen/${esc(encodeURIComponent(caseId))}/besluit" class="wh-action">${csrfField(ctx)}${keyField()}<input type="hidden" name="handoverId" value="${esc(u.handoverId)}">${field(`besluit-reden-${u.handoverId}`, 'Waarom u de kinderen houdt (zonder persoonsgegevens)', textbox(`besluit-reden-${u.handoverId}`, 'reason', { required: true }))}${button('Leg vast: wij houden de kinderen')}</form>` : ''}
</article>`;
}

function involveForm(ctx: PageContext, caseId: string): string {
  const orgs = ORGANISATIONS.filter((o) => o.id !== ctx.actor.organisation).map((o) => [o.id, o.name] as const);
  const reasons = INVOLVEMENT_REASONS.map((r) => [r, HOW_NL[r] ?? r] as const);
  return `<section aria-labelledby="betrekken-kop">
<h2 class="utrecht-heading-2" id="betrekken-kop">Een organisatie betrekken</h2>
<form method="post" action="/app/casussen/${esc(encodeURIComponent(caseId))}/betrokkenen" class="wh-form">${csrfField(ctx)}${keyField()}
${field('betrekken-organisatie', 'Organisatie', select('betrekken-organisatie', 'organisation', orgs))}
${field('betrekken-reden', 'Waarom', select('betrekken-reden', 'reason', reasons))}
${button('Betrekken')}
</form></section>`;
}

// ---------------------------------------------------------------- Inspectie

export interface SearchResult {
  readonly caseId: string;
  readonly firstAt: string;
  readonly lastAt: string;
  readonly flags: readonly string[];
}

export const SEARCH_STATUSES: readonly (readonly [string, string])[] = [
  ['', 'alle'],
  ['overdue', 'termijn verstreken'],
  ['escalated', 'geëscaleerd'],
  ['rejected', 'afgewezen of ingetrokken, zonder besluit'],
  ['lead-mismatch', 'regie in verschillende werkgebieden'],
];

export function searchPage(
  ctx: PageContext,
  query: { caseId?: string; organisation?: string; from?: string; until?: string; status?: string },
  results: readonly SearchResult[] | undefined,
): string {
  const orgs: (readonly [string, string])[] = [['', 'alle'], ...ORGANISATIONS.map((o) => [o.id, o.name] as const)];
  const statusNl = Object.fromEntries(SEARCH_STATUSES);
  const rows = (results ?? []).map(
    (r) =>
      `<tr class="utrecht-table__row"><td class="utrecht-table__cell">${link(`/app/casussen/${encodeURIComponent(r.caseId)}`, r.caseId)}</td><td class="utrecht-table__cell">${esc(when(r.firstAt))}</td><td class="utrecht-table__cell">${esc(when(r.lastAt))}</td><td class="utrecht-table__cell">${esc(r.flags.map((f) => statusNl[f] ?? f).join(', ') || '—')}</td></tr>`,
  );
  return layout(
    'Casussen zoeken',
    ctx,
    `<h1 class="utrecht-heading-1">Casussen zoeken</h1>
<form method="get" action="/app/zoeken" class="wh-form wh-search">
${field('zoek-casus', 'Casus-id', textbox('zoek-casus', 'casus', { value: query.caseId ?? '' }))}
${field('zoek-organisatie', 'Organisatie', select('zoek-organisatie', 'organisatie', orgs, query.organisation ?? ''))}
${field('zoek-van', 'Actief vanaf', textbox('zoek-van', 'van', { type: 'date', value: query.from ?? '' }))}
${field('zoek-tot', 'Actief tot en met', textbox('zoek-tot', 'tot', { type: 'date', value: query.until ?? '' }))}
${field('zoek-stand', 'Stand', select('zoek-stand', 'stand', SEARCH_STATUSES, query.status ?? ''))}
${button('Zoeken', true)}
</form>
${results === undefined ? '' : results.length === 0 ? '<p class="utrecht-paragraph" role="status">Geen casussen gevonden.</p>' : `<table class="utrecht-table"><caption class="utrecht-table__caption">${results.length} casus${results.length === 1 ? '' : 'sen'} gevonden</caption><thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Casus</th><th class="utrecht-table__header-cell" scope="col">Eerste feit vastgelegd</th><th class="utrecht-table__header-cell" scope="col">Laatste feit vastgelegd</th><th class="utrecht-table__header-cell" scope="col">Stand nu</th></tr></thead><tbody class="utrecht-table__body">${rows.join('')}</tbody></table>`}`,
  );
}

// ---------------------------------------------------------------- Contactpunten

export interface ContactPointRow {
  readonly contactPointId: string;
  readonly role: string;
  readonly email?: string;
  readonly webhookUrl?: string;
  readonly label: string;
  readonly version: number;
}

export function contactPointsPage(
  ctx: PageContext,
  points: readonly ContactPointRow[],
  missing: readonly string[],
): string {
  const roles = (['professional', 'team-lead', 'manager', 'director'] as const).map(
    (r) => [r, ROLE_NL[r] ?? r] as const,
  );
  const rows = points.map(
    (p) =>
      `<tr class="utrecht-table__row"><td class="utrecht-table__cell">${esc(ROLE_NL[p.role] ?? p.role)}</td><td class="utrecht-table__cell">${esc(p.label)}</td><td class="utrecht-table__cell">${esc(p.email ?? p.webhookUrl ?? '—')}</td><td class="utrecht-table__cell">${p.version}</td><td class="utrecht-table__cell"><form method="post" action="/app/contactpunten/${esc(p.contactPointId)}/intrekking">${csrfField(ctx)}${keyField()}${button(`Trek ${p.label} in`)}</form></td></tr>`,
  );
  return layout(
    'Contactpunten',
    ctx,
    `<h1 class="utrecht-heading-1">Contactpunten van ${esc(orgName(ctx.actor.organisation))}</h1>
<p class="utrecht-paragraph">Escalaties gaan naar deze functionele adressen, per trede. ${missing.length > 0 ? `<strong>Zonder contactpunt: ${esc(missing.map((m) => ROLE_NL[m] ?? m).join(', '))}</strong> — meldingen daarheen mislukken en escaleren.` : 'Elke trede heeft een contactpunt.'}</p>
<table class="utrecht-table"><thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Trede</th><th class="utrecht-table__header-cell" scope="col">Naam</th><th class="utrecht-table__header-cell" scope="col">Adres</th><th class="utrecht-table__header-cell" scope="col">Versie</th><th class="utrecht-table__header-cell" scope="col">Actie</th></tr></thead><tbody class="utrecht-table__body">${rows.join('')}</tbody></table>
<section aria-labelledby="nieuw-contactpunt-kop"><h2 class="utrecht-heading-2" id="nieuw-contactpunt-kop">Contactpunt toevoegen</h2>
<form method="post" action="/app/contactpunten" class="wh-form">${csrfField(ctx)}${keyField()}
${field('cp-trede', 'Trede', select('cp-trede', 'role', roles))}
${field('cp-naam', 'Naam', textbox('cp-naam', 'label', { required: true }))}
${field('cp-email', 'Functioneel e-mailadres', textbox('cp-email', 'email', { type: 'email', required: true, describedBy: true }), 'Een teampostbus, nooit het adres van één persoon.')}
${button('Toevoegen', true)}
</form></section>`,
  );
}

// ---------------------------------------------------------------- Overige pagina's

export function accessibilityPage(ctx: PageContext | undefined): string {
  return layout(
    'Toegankelijkheidsverklaring',
    ctx,
    `<h1 class="utrecht-heading-1">Toegankelijkheidsverklaring</h1>
<p class="utrecht-paragraph">Deze webapplicatie voor warme overdracht wil voldoen aan de Web Content Accessibility Guidelines (WCAG) 2.1 op niveau AA, de wettelijke norm voor websites en apps van de Nederlandse overheid (EN 301 549).</p>
<h2 class="utrecht-heading-2">Hoe wij dit toetsen</h2>
<ul class="utrecht-unordered-list">
<li>Elke pagina wordt bij elke wijziging automatisch getoetst met axe-core in een echte browser; ernstige en kritieke bevindingen blokkeren een wijziging.</li>
<li>De hoofdtaken (inloggen, een overdracht aanvragen, ontvangst bevestigen, accepteren, de start bevestigen, een escalatie bevestigen, als bestuurder een besluit over de regie nemen en bevestigen) worden getest met alleen het toetsenbord.</li>
<li>De pagina’s gebruiken de componenten en design tokens van NL Design System; een organisatie past de huisstijl aan via tokens.</li>
<li>Koppen, oriëntatiepunten (kop, navigatie, inhoud, voettekst), een link “Naar de inhoud”, labels bij elk formulierveld en een zichtbare focus.</li>
<li>De werklijst werkt zichzelf bij en meldt dat via een statusregel; zonder JavaScript toont herladen de actuele stand.</li>
</ul>
<h2 class="utrecht-heading-2">Bekende beperkingen</h2>
<ul class="utrecht-unordered-list">
<li>De grafiek van verantwoordelijkheid en regie is een afbeelding; dezelfde gegevens staan in de tabellen en de tijdlijn op de pagina.</li>
<li>Er is nog geen handmatige toets door een onafhankelijke deskundige uitgevoerd.</li>
</ul>
<h2 class="utrecht-heading-2">Contact</h2>
<p class="utrecht-paragraph">Loopt u tegen een toegankelijkheidsprobleem aan? Meld het bij de functionele beheerder van uw organisatie.</p>`,
  );
}

export function signedOutPage(): string {
  return layout(
    'Uitgelogd',
    undefined,
    `<h1 class="utrecht-heading-1">U bent uitgelogd</h1><p class="utrecht-paragraph">${link('/app', 'Opnieuw inloggen')}</p>`,
  );
}

export function errorPage(ctx: PageContext | undefined, status: number, text: string): string {
  return layout(
    status === 404 ? 'Niet gevonden' : 'Dat lukte niet',
    ctx,
    `<h1 class="utrecht-heading-1">${status === 404 ? 'Niet gevonden' : 'Dat lukte niet'}</h1>
<div class="utrecht-alert utrecht-alert--error" role="alert"><p class="utrecht-paragraph">${esc(text)}</p></div>
<p class="utrecht-paragraph">${link('/app', 'Naar Mijn werk')}</p>`,
  );
}
