import type { NoticeFacts, NoticeIdentity } from '@warm-handover/contracts';
import { findOrganisation } from '@warm-handover/domain';
import { escapeHtml as escape } from '@warm-handover/platform';

/**
 * The words of a notice, in Dutch, for the functional mailbox or webhook of an organisation.
 * Facts only, and no personal data: the case by its pseudonymous id, what is overdue and since
 * when, who is responsible now, the escalation level, and the links to the case and to
 * acknowledge. Everything else a reader needs is behind the case link, which asks for a login.
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

const WHAT: Record<NoticeFacts['subject']['reason'], string> = {
  'receipt-overdue': 'De ontvangst van een overdracht is niet op tijd bevestigd.',
  'start-overdue': 'De start van de vervolghulp na een overdracht is niet op tijd bevestigd.',
  'contact-failed':
    'De ontvangende organisatie krijgt geen contact met het gezin (mogelijke zorgmijding): dat is een risicosignaal voor het kind.',
  'follow-up-overdue':
    'De overdracht is afgewezen of ingetrokken en er is nog geen besluit vastgelegd: behoud van de zorg of een nieuwe overdracht. Het kind mag niet tussen twee organisaties in vallen.',
  silence: 'Er is niet op tijd afgesproken wie de regie heeft in deze regio-overstijgende casus: er kwam geen reactie.',
  disagreement:
    'De betrokken organisaties zijn het niet eens over wie de regie heeft in deze regio-overstijgende casus.',
};

const SHORT: Record<NoticeFacts['subject']['reason'], string> = {
  'receipt-overdue': 'ontvangst overdracht te laat',
  'start-overdue': 'start vervolghulp te laat',
  'contact-failed': 'geen contact met gezin',
  'follow-up-overdue': 'besluit na afwijzing ontbreekt',
  silence: 'regie niet afgesproken',
  disagreement: 'geen overeenstemming over regie',
};

const dateTime = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  dateStyle: 'long',
  timeStyle: 'short',
});

export function formatMoment(iso: string): string {
  return dateTime.format(new Date(iso));
}

const nameOf = (organisation: string) => findOrganisation(organisation)?.name ?? organisation;

export function renderNotice(
  notice: NoticeIdentity,
  facts: NoticeFacts,
  links: NoticeLinks,
  repeat: number,
): NoticeContent {
  const { subject: about } = facts;
  const reminder = repeat > 0 ? `Herinnering ${repeat}: ` : '';
  const subject = `${reminder}[Escalatie niveau ${notice.level}] ${SHORT[about.reason]} — casus ${about.caseId}`;
  const lines: [label: string, value: string][] = [
    ['Casus', about.caseId],
    ['Wat', WHAT[about.reason]],
    ...(about.dueAt ? ([['Termijn verstreken sinds', formatMoment(about.dueAt)]] as [string, string][]) : []),
    ['Geëscaleerd op', formatMoment(facts.escalatedAt)],
    [
      'Verantwoordelijk nu',
      facts.responsibleOrg
        ? `${nameOf(facts.responsibleOrg)} (blijft verantwoordelijk tot de vervolghulp aantoonbaar is gestart)`
        : 'nog niet vastgelegd',
    ],
    [
      'Escalatieniveau',
      `${notice.level} van 3 — u ontvangt dit als ${facts.recipientTitle} van ${nameOf(notice.recipient.organisation)}`,
    ],
  ];
  const intro = facts.unreachedTitle
    ? `Een eerdere melding aan de ${facts.unreachedTitle} kon niet worden bezorgd; daarom gaat deze melding naar u, een niveau hoger.`
    : 'Een termijn in een casus waarbij uw organisatie betrokken is, is verstreken. Het systeem escaleert dit volgens de afgesproken escalatieladder.';
  const closing =
    'Deze melding bevat geen persoonsgegevens: de casus is alleen met een pseudoniem aangeduid. Log in om de casus te bekijken.';

  const text = [
    intro,
    '',
    ...lines.map(([label, value]) => `${label}: ${value}`),
    '',
    `Bekijk de casus: ${links.caseUrl}`,
    `Bevestig dat u deze melding heeft gezien: ${links.acknowledgeUrl}`,
    ...(repeat > 0
      ? ['', 'U ontvangt deze herinnering dagelijks tot de melding is bevestigd of de stap is gezet.']
      : []),
    '',
    closing,
  ].join('\n');

  const html = [
    '<!doctype html><html lang="nl"><body>',
    `<p>${escape(intro)}</p>`,
    '<table>',
    ...lines.map(([label, value]) => `<tr><th align="left">${escape(label)}</th><td>${escape(value)}</td></tr>`),
    '</table>',
    `<p><a href="${escape(links.caseUrl)}">Bekijk de casus</a></p>`,
    `<p><a href="${escape(links.acknowledgeUrl)}">Bevestig dat u deze melding heeft gezien</a></p>`,
    ...(repeat > 0
      ? ['<p>U ontvangt deze herinnering dagelijks tot de melding is bevestigd of de stap is gezet.</p>']
      : []),
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
    ...(facts.responsibleOrg ? { responsibleOrg: facts.responsibleOrg } : {}),
    subject,
    text,
    links: { case: links.caseUrl, acknowledge: links.acknowledgeUrl },
  };
  return { subject, text, html, fields };
}
