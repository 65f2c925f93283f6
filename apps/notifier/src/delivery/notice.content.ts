import type { NoticeFacts, NoticeIdentity } from '@warm-handover/contracts';
import { findOrganisation, isInformational } from '@warm-handover/domain';
import { escapeHtml as escape } from '@warm-handover/platform';

/**
 * The words of a notice, in Dutch, for the functional mailbox or webhook of an organisation.
 * Facts only, and no personal data: the case by its pseudonymous id, what is overdue and since
 * when (or, for an informational notice, what happened and what to do next), who is responsible
 * now, the escalation level, and the links to the case and to acknowledge. Everything else a reader needs is behind the case link, which asks for a login.
 */
export interface NoticeContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The webhook body's fields, the same facts as the mail. */
  readonly fields: Record<string, unknown>;
}

export interface NoticeLinks {
  readonly caseUrl: string;
  readonly acknowledgeUrl: string;
}

type Reason = NoticeFacts['subject']['reason'];

const WHAT: Record<Reason, (c: Context) => string> = {
  'receipt-overdue': () => 'De ontvangst van een overdracht is niet op tijd bevestigd.',
  'start-overdue': () => 'De start van de vervolghulp na een overdracht is niet op tijd bevestigd.',
  'contact-failed': () =>
    'De ontvangende organisatie krijgt geen contact met het gezin (mogelijke zorgmijding): dat is een risicosignaal voor het kind.',
  'follow-up-overdue': () =>
    'De overdracht is afgewezen of ingetrokken en er is nog geen besluit vastgelegd: behoud van de zorg of een nieuwe overdracht. Het kind mag niet tussen twee organisaties in vallen.',
  silence: () =>
    'Er is niet op tijd afgesproken wie de regie heeft in deze regio-overstijgende casus: er kwam geen reactie.',
  disagreement: () =>
    'De betrokken organisaties zijn het niet eens over wie de regie heeft in deze regio-overstijgende casus.',
  'handover-arrived': (c) => `${c.sender} draagt een casus aan uw organisatie over (warme overdracht).`,
  'handover-received': (c) => `${c.receiver} heeft de ontvangst van uw overdracht bevestigd.`,
  'handover-accepted': (c) =>
    `${c.receiver} heeft uw overdracht geaccepteerd${c.about.plannedStartDate ? `; de zorg start volgens planning op ${formatDate(c.about.plannedStartDate)}` : ''}.`,
  'handover-rejected': (c) => `${c.receiver} heeft uw overdracht afgewezen.`,
  'handover-started': (c) =>
    `${c.receiver} heeft bevestigd dat de vervolghulp is gestart${c.about.startedAt ? ` op ${formatMoment(c.about.startedAt)}` : ''}.`,
  'lead-region-mismatch': (c) =>
    `De regie in de zorgketen (${c.about.careLead ? nameOf(c.about.careLead) : 'Veilig Thuis'}) en in de veiligheidsketen (${c.about.safetyLead ? nameOf(c.about.safetyLead) : 'politie'}) ligt niet in hetzelfde werkgebied. Dat is een bekend risico: de regie van politie en Veilig Thuis ligt beter in hetzelfde werkgebied.`,
  'reassessment-overdue': (c) =>
    `De gezinssituatie is veranderd en ${c.family} heeft de veiligheidsrisico's van de kinderen niet op tijd opnieuw ingeschat (herbeoordeling, R5).`,
  'care-avoidance-signalled': () =>
    'Een betrokken organisatie meldt zorgmijding door het gezin (niet verschenen, hulp gestopt of contact geweigerd). Zorgmijding is een risicosignaal voor het kind: weeg het mee.',
  'care-avoidance-repeated': () =>
    'Het gezin mijdt opnieuw de zorg: dit is het tweede signaal binnen 30 dagen. Daarom gaat dit bericht ook naar de teamleiders.',
  'goal-overdue': (c) =>
    `Een doel van het gezinsplan van ${c.family} is op de streefdatum niet gehaald: er is geen resultaat vastgelegd.`,
  'monitoring-result-overdue': (c) =>
    `Van een veiligheidsafspraak in deze casus is het resultaat van het monitoringsmoment${c.about.moment ? ` van ${formatDate(c.about.moment)}` : ''} niet op tijd vastgelegd (R7). Zonder resultaat weet niemand of de afspraak werkt.`,
  'safety-agreement-not-kept': (c) =>
    `Een veiligheidsafspraak in deze casus is bij het monitoringsmoment${c.about.moment ? ` van ${formatDate(c.about.moment)}` : ''} niet nagekomen. U ontvangt dit direct als organisatie die verantwoordelijk is voor de kinderen of als regievoerder.`,
  'statutory-term-warning': (c) =>
    `De wettelijke termijn voor ${termWords(c.about.term)} van een melding bij Veilig Thuis verloopt${c.about.dueAt ? ` op ${formatMoment(c.about.dueAt)}` : ' binnenkort'}.`,
  'statutory-term-passed': (c) =>
    `De wettelijke termijn voor ${termWords(c.about.term)} van een melding bij Veilig Thuis is verstreken zonder dat de uitkomst is vastgelegd (R8).`,
};

/** A statutory term in the words of Veilig Thuis, with its length. */
function termWords(term: NoticeFacts['subject']['term']): string {
  return term === 'investigation' ? 'het onderzoek (10 weken)' : 'de veiligheidsbeoordeling (5 werkdagen)';
}

/** What the recipient is expected to do next; absent where the escalation ladder says it all. */
const NEXT: Partial<Record<Reason, (c: Context) => string>> = {
  'follow-up-overdue': () =>
    'Leg in de casus vast dat uw organisatie de zorg behoudt, of draag de kinderen opnieuw over. Tot dan blijft uw organisatie verantwoordelijk en loopt de escalatie door.',
  'handover-arrived': (c) =>
    `Bevestig de ontvangst${c.about.dueAt ? ` vóór ${formatMoment(c.about.dueAt)}` : ''} en laat weten of u de zorg overneemt (accepteren) of niet (afwijzen). Tot de vervolghulp aantoonbaar is gestart, blijft ${c.sender} verantwoordelijk.`,
  'handover-received': (c) =>
    `U blijft verantwoordelijk tot ${c.receiver} de start van de vervolghulp bevestigt; blijf tot dan betrokken.`,
  'handover-accepted': (c) =>
    `U blijft verantwoordelijk tot ${c.receiver} de start van de vervolghulp bevestigt; blijf tot dan betrokken.`,
  'handover-rejected': () =>
    'Uw organisatie blijft verantwoordelijk. Leg binnen de termijn een besluit vast: behoud van de zorg of een nieuwe overdracht. Doet u dat niet, dan escaleert het systeem.',
  'handover-started': (c) =>
    `Vanaf de start is ${c.receiver} verantwoordelijk. Er is van uw kant geen actie nodig, behalve de afspraken die u bij de overdracht maakte.`,
  'reassessment-overdue': () =>
    'Leg de herbeoordeling vast in de casus: de uitkomst (veilig, onveilig met voorwaarden, acuut onveilig) en de verwijzing naar het document in uw eigen dossier. Tot dan loopt de escalatie door.',
  'care-avoidance-signalled': () =>
    'Bespreek het signaal met de betrokken partijen en leg zo nodig een gezinsverandering of een nieuwe risicotaxatie vast. Sluit de zorg niet stilzwijgend af.',
  'care-avoidance-repeated': () =>
    'Bespreek met de regisseur en de betrokken organisaties hoe het kind in beeld blijft; overweeg een nieuwe risicotaxatie of een melding.',
  'goal-overdue': () =>
    'Leg het resultaat van het doel vast (gehaald, deels gehaald, niet gehaald) en stel het gezinsplan zo nodig bij. Een plan dat niet werkt, vraagt om doorpakken.',
  'lead-region-mismatch': () =>
    'Overleg met de betrokken partijen of de regie opnieuw moet worden afgesproken (heronderhandeling). Alle betrokken partijen en de gemeente ontvangen dit bericht.',
  'monitoring-result-overdue': () =>
    'Leg het resultaat van het moment vast: nagekomen, niet nagekomen of niet te controleren, met het effect op de veiligheid van elk gezinslid. Tot dan loopt de escalatie door.',
  'safety-agreement-not-kept': () =>
    'Weeg nu wat dit betekent voor de veiligheid van de kinderen. Overleg met de monitor van de afspraak en leg zo nodig nieuwe afspraken of een nieuwe risicotaxatie vast.',
  'statutory-term-warning': (c) =>
    `Zorg dat ${c.about.term === 'investigation' ? 'het onderzoek' : 'de veiligheidsbeoordeling'} op tijd is afgerond en vastgelegd. Daarna escaleert het systeem naar de manager.`,
  'statutory-term-passed': (c) =>
    `Rond ${c.about.term === 'investigation' ? 'het onderzoek' : 'de veiligheidsbeoordeling'} af en leg de uitkomst vast, en informeer de melder. Een overdracht naar vervolghulp stelt de termijn niet uit. Tot dan loopt de escalatie door.`,
};

const SHORT: Record<Reason, string> = {
  'receipt-overdue': 'ontvangst overdracht te laat',
  'start-overdue': 'start vervolghulp te laat',
  'contact-failed': 'geen contact met gezin',
  'follow-up-overdue': 'besluit na afwijzing ontbreekt',
  silence: 'regie niet afgesproken',
  disagreement: 'geen overeenstemming over regie',
  'handover-arrived': 'nieuwe overdracht voor uw organisatie',
  'handover-received': 'ontvangst overdracht bevestigd',
  'handover-accepted': 'overdracht geaccepteerd',
  'handover-rejected': 'overdracht afgewezen',
  'handover-started': 'vervolghulp gestart',
  'lead-region-mismatch': 'regie niet in hetzelfde werkgebied',
  'reassessment-overdue': 'herbeoordeling na gezinsverandering te laat',
  'care-avoidance-signalled': 'signaal zorgmijding',
  'care-avoidance-repeated': 'zorgmijding herhaald binnen 30 dagen',
  'goal-overdue': 'doel gezinsplan niet gehaald',
  'monitoring-result-overdue': 'resultaat monitoringsmoment veiligheidsafspraak te laat',
  'safety-agreement-not-kept': 'veiligheidsafspraak niet nagekomen',
  'statutory-term-warning': 'wettelijke termijn melding verloopt bijna',
  'statutory-term-passed': 'wettelijke termijn melding verstreken',
};

/** What the delivery read from the case just before sending; see NoticeDeliveryContext. */
interface Context {
  readonly about: NoticeFacts['subject'];
  readonly sender: string;
  readonly receiver: string;
  /** The organisations a family escalation concerns, by name. */
  readonly family: string;
}

/**
 * What a delivery reads from the case at that moment, so a notice (and each daily repeat) says
 * how things stand now: who is responsible for the children now (one organisation per child,
 * several when siblings moved separately), the handover's two sides, and whether the notice was
 * acknowledged before.
 */
export interface NoticeDeliveryContext {
  readonly responsibleNow?: readonly string[];
  readonly handover?: { readonly fromOrg: string; readonly toOrg: string; readonly open: boolean };
  readonly acknowledgedAt?: string;
  /**
   * For a handover's arrival: the sender's latest risk assessment predates the family's latest
   * change (R5, 002 §2.4), so the receiver knows the picture it gets may be out of date.
   */
  readonly assessmentPredatesChange?: {
    readonly changeCode: string;
    readonly changedAt: string;
    readonly latestAssessmentAt?: string;
  };
}

const dateTime = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  dateStyle: 'long',
  timeStyle: 'short',
});

export function formatMoment(iso: string): string {
  return dateTime.format(new Date(iso));
}

const date = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'long' });

/** A calendar date (YYYY-MM-DD), as a date in Amsterdam. */
function formatDate(day: string): string {
  return date.format(new Date(`${day}T12:00:00Z`));
}

/** The family change codes in the words a caseworker reads. */
export const CHANGE_WORDS: Readonly<Record<string, string>> = {
  moved: 'verhuisd',
  'new-partner': 'nieuwe partner',
  'partner-left': 'partner vertrokken',
  'parent-dismissed': 'ontslag van een ouder',
  'mental-health-admission': 'opname in de GGZ',
  'mental-health-treatment': 'behandeling in de GGZ',
  'mental-health-discharge': 'ontslag uit de GGZ',
  birth: 'geboorte van een kind',
  'parent-detained': 'ouder gedetineerd',
  'parent-released': 'ouder vrijgekomen',
};

const nameOf = (organisation: string) => findOrganisation(organisation)?.name ?? organisation;

export function renderNotice(
  notice: NoticeIdentity,
  facts: NoticeFacts,
  links: NoticeLinks,
  repeat: number,
  context: NoticeDeliveryContext = {},
): NoticeContent {
  const { subject: about } = facts;
  const informational = isInformational(about.reason);
  const c: Context = {
    about,
    sender: context.handover ? nameOf(context.handover.fromOrg) : 'De overdragende organisatie',
    receiver: context.handover ? nameOf(context.handover.toOrg) : 'De ontvangende organisatie',
    family: (about.familyOrganisations ?? [notice.recipient.organisation]).map(nameOf).join(' en '),
  };
  const stale = about.reason === 'handover-arrived' ? context.assessmentPredatesChange : undefined;
  const responsible = context.responsibleNow ?? (facts.responsibleOrg ? [facts.responsibleOrg] : []);
  const reminder = repeat > 0 ? `Herinnering ${repeat}: ` : '';
  const tag = informational
    ? notice.level > 0
      ? `[Bericht, niveau ${notice.level}]`
      : '[Bericht]'
    : `[Escalatie niveau ${notice.level}]`;
  const subject = `${reminder}${tag} ${SHORT[about.reason]} — casus ${about.caseId}`;
  const next = NEXT[about.reason];
  const lines: [label: string, value: string][] = [
    ['Casus', about.caseId],
    ['Wat', WHAT[about.reason](c)],
    ...(next ? ([['Wat nu', next(c)]] as [string, string][]) : []),
    ...(stale
      ? ([
          [
            'Let op',
            `De gezinssituatie is veranderd (${CHANGE_WORDS[stale.changeCode] ?? stale.changeCode}, ${formatMoment(stale.changedAt)}) ${stale.latestAssessmentAt ? `na de laatste risicotaxatie van de overdragende organisatie (${formatMoment(stale.latestAssessmentAt)})` : 'en de overdragende organisatie heeft sindsdien geen risicotaxatie vastgelegd'}. Vraag naar een actuele inschatting.`,
          ],
        ] as [string, string][])
      : []),
    ...(about.dueAt && !informational
      ? ([['Termijn verstreken sinds', formatMoment(about.dueAt)]] as [string, string][])
      : []),
    [informational ? 'Vastgelegd op' : 'Geëscaleerd op', formatMoment(facts.escalatedAt)],
    ['Verantwoordelijk nu', responsibleLine(responsible, context)],
    informational
      ? [
          'Ontvangen als',
          `${facts.recipientTitle} van ${nameOf(notice.recipient.organisation)}${notice.level > 0 ? ` (niveau ${notice.level} van 3)` : ''}`,
        ]
      : [
          'Escalatieniveau',
          `${notice.level} van 3 — u ontvangt dit als ${facts.recipientTitle} van ${nameOf(notice.recipient.organisation)}`,
        ],
  ];
  const intro = facts.unreachedTitle
    ? `Een eerdere melding aan de ${facts.unreachedTitle} kon niet worden bezorgd; daarom gaat deze melding naar u, een niveau hoger.`
    : informational
      ? 'Er is iets gebeurd in een casus waarbij uw organisatie betrokken is. Dit bericht houdt u op de hoogte; niemand raakt uit beeld.'
      : 'Een termijn in een casus waarbij uw organisatie betrokken is, is verstreken. Het systeem escaleert dit volgens de afgesproken escalatieladder.';
  const resumed =
    repeat > 0 && context.acknowledgedAt
      ? `U heeft deze melding op ${formatMoment(context.acknowledgedAt)} bevestigd, maar de stap is nog niet gezet. Bevestigen betekent gezien, niet opgelost: daarom ontvangt u deze melding opnieuw.`
      : undefined;
  const repeats =
    repeat > 0
      ? 'U ontvangt deze herinnering dagelijks tot de stap is gezet. Een bevestiging stelt de herinneringen alleen uit (standaard één werkdag).'
      : undefined;
  const closing =
    'Deze melding bevat geen persoonsgegevens: de casus is alleen met een pseudoniem aangeduid. Log in om de casus te bekijken.';
  const acknowledgeLabel = informational
    ? 'Bevestig dat u dit bericht heeft gezien'
    : 'Bevestig dat u deze melding heeft gezien';

  const text = [
    ...(resumed ? [resumed, ''] : []),
    intro,
    '',
    ...lines.map(([label, value]) => `${label}: ${value}`),
    '',
    `Bekijk de casus: ${links.caseUrl}`,
    `${acknowledgeLabel}: ${links.acknowledgeUrl}`,
    ...(repeats ? ['', repeats] : []),
    '',
    closing,
  ].join('\n');

  const html = [
    '<!doctype html><html lang="nl"><body>',
    ...(resumed ? [`<p><strong>${escape(resumed)}</strong></p>`] : []),
    `<p>${escape(intro)}</p>`,
    '<table>',
    ...lines.map(([label, value]) => `<tr><th align="left">${escape(label)}</th><td>${escape(value)}</td></tr>`),
    '</table>',
    `<p><a href="${escape(links.caseUrl)}">Bekijk de casus</a></p>`,
    `<p><a href="${escape(links.acknowledgeUrl)}">${escape(acknowledgeLabel)}</a></p>`,
    ...(repeats ? [`<p>${escape(repeats)}</p>`] : []),
    `<p><small>${escape(closing)}</small></p>`,
    '</body></html>',
  ].join('\n');

  const fields = {
    type: 'warm-handover.notice.v1',
    noticeId: notice.noticeId,
    repeat,
    caseId: about.caseId,
    ...(about.handoverId ? { handoverId: about.handoverId } : {}),
    ...(about.negotiationId ? { negotiationId: about.negotiationId } : {}),
    causeType: notice.causeType,
    reason: about.reason,
    ...(about.dueAt ? { dueAt: about.dueAt } : {}),
    escalatedAt: facts.escalatedAt,
    level: notice.level,
    recipient: { organisation: notice.recipient.organisation, role: notice.recipient.role },
    ...(responsible[0] ? { responsibleOrg: responsible[0] } : {}),
    responsibleOrgs: responsible,
    ...(about.plannedStartDate ? { plannedStartDate: about.plannedStartDate } : {}),
    ...(about.startedAt ? { startedAt: about.startedAt } : {}),
    ...(about.careLead ? { careLead: about.careLead } : {}),
    ...(about.safetyLead ? { safetyLead: about.safetyLead } : {}),
    ...(about.familySubjectId ? { familySubjectId: about.familySubjectId } : {}),
    ...(about.agreementId ? { agreementId: about.agreementId } : {}),
    ...(about.moment ? { moment: about.moment } : {}),
    ...(about.meldingId ? { meldingId: about.meldingId } : {}),
    ...(about.term ? { term: about.term } : {}),
    ...(stale ? { assessmentPredatesChange: stale } : {}),
    subject,
    text,
    links: { case: links.caseUrl, acknowledge: links.acknowledgeUrl },
  };
  return { subject, text, html, fields };
}

function responsibleLine(responsible: readonly string[], context: NoticeDeliveryContext): string {
  if (responsible.length === 0) return 'nog niet vastgelegd';
  if (responsible.length > 1)
    return `${responsible.map(nameOf).join(' en ')} (de kinderen zijn apart overgedragen; zie de casus per kind)`;
  const [only] = responsible as [string];
  const stays = context.handover ? context.handover.open && context.handover.fromOrg === only : true;
  return stays ? `${nameOf(only)} (blijft verantwoordelijk tot de vervolghulp aantoonbaar is gestart)` : nameOf(only);
}
