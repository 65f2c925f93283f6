import type { NoticeFacts, NoticeIdentity } from '@warm-handover/contracts';
import { renderNotice } from './notice.content';

const recipient = {
  organisation: 'vt-kennemerland',
  role: 'team-lead' as const,
  contactPointId: 'cp-1',
  contactPointVersion: 1,
  channel: 'email' as const,
  address: 'teamleiding@vt-kennemerland.example',
};
const links = {
  caseUrl: 'https://wh.example/app/casussen/case-7',
  acknowledgeUrl: 'https://wh.example/notices/n-1/acknowledgement?token=abc',
};
const identity = (causeType: NoticeIdentity['causeType'], level: NoticeIdentity['level']): NoticeIdentity => ({
  noticeId: 'n-1',
  caseId: 'case-7',
  causeEventId: 'e-1',
  causeType,
  level,
  recipient,
});
const facts = (subject: NoticeFacts['subject'], recipientTitle = 'Teamleider'): NoticeFacts => ({
  subject,
  recipientTitle,
  escalatedAt: '2027-04-28T07:00:01Z',
});
/** Nothing in a notice may name a person; the case, agreement and report are pseudonymous ids. */
const noPersonalData = (text: string) => {
  expect(text).toContain('geen persoonsgegevens');
  expect(text).not.toMatch(/\b\d{9}\b/);
  expect(text).not.toMatch(/@(?!vt-)/);
};

describe('notice content of safety agreements and statutory terms (R7, R8)', () => {
  it('given an overdue monitoring result, when rendered, then it says which moment, since when, what to record, and links to the case page', () => {
    const content = renderNotice(
      identity('MonitoringEscalated', 1),
      facts({
        caseId: 'case-7',
        reason: 'monitoring-result-overdue',
        agreementId: 'agr-1',
        moment: '2027-04-26',
        dueAt: '2027-04-28T07:00:00Z',
      }),
      links,
      0,
      { responsibleNow: ['vt-kennemerland'] },
    );
    expect(content.subject).toBe(
      '[Escalatie niveau 1] resultaat monitoringsmoment veiligheidsafspraak te laat — casus case-7',
    );
    expect(content.text).toContain(
      'Van een veiligheidsafspraak in deze casus is het resultaat van het monitoringsmoment van 26 april 2027 niet op tijd vastgelegd',
    );
    expect(content.text).toContain('Termijn verstreken sinds: 28 april 2027 om 09:00');
    expect(content.text).toContain('Leg het resultaat van het moment vast');
    expect(content.text).toContain(`Bekijk de casus: ${links.caseUrl}`);
    expect(content.fields).toMatchObject({
      agreementId: 'agr-1',
      moment: '2027-04-26',
      reason: 'monitoring-result-overdue',
    });
    noPersonalData(content.text);
  });

  it('given an agreement not kept, when rendered for the team lead of the responsible organisation, then it is news to weigh at once, at its rung', () => {
    const content = renderNotice(
      identity('SafetyAgreementBreachReported', 1),
      facts({ caseId: 'case-7', reason: 'safety-agreement-not-kept', agreementId: 'agr-1', moment: '2027-04-26' }),
      links,
      0,
      { responsibleNow: ['vt-kennemerland'] },
    );
    expect(content.subject).toBe('[Bericht, niveau 1] veiligheidsafspraak niet nagekomen — casus case-7');
    expect(content.text).toContain(
      'Een veiligheidsafspraak in deze casus is bij het monitoringsmoment van 26 april 2027 niet nagekomen.',
    );
    expect(content.text).toContain('Weeg nu wat dit betekent voor de veiligheid van de kinderen');
    expect(content.text).toContain('Ontvangen als: Teamleider van Veilig Thuis Kennemerland (niveau 1 van 3)');
    expect(content.text).not.toContain('Termijn verstreken');
    noPersonalData(content.text);
  });

  it('given a term about to pass, when rendered, then the team lead reads which term ends when, and that the manager follows', () => {
    const content = renderNotice(
      identity('StatutoryTermWarned', 1),
      facts({
        caseId: 'case-7',
        reason: 'statutory-term-warning',
        meldingId: 'mld-1',
        term: 'safety-assessment',
        dueAt: '2027-05-03T10:00:00Z',
      }),
      links,
      0,
    );
    expect(content.subject).toBe('[Bericht, niveau 1] wettelijke termijn melding verloopt bijna — casus case-7');
    expect(content.text).toContain(
      'De wettelijke termijn voor de veiligheidsbeoordeling (5 werkdagen) van een melding bij Veilig Thuis verloopt op 3 mei 2027 om 12:00.',
    );
    expect(content.text).toContain('Daarna escaleert het systeem naar de manager.');
    expect(content.fields).toMatchObject({ meldingId: 'mld-1', term: 'safety-assessment' });
    noPersonalData(content.text);
  });

  it('given a passed investigation term, when rendered for the manager, then it says the term passed, since when, and that a handover does not pause it', () => {
    const content = renderNotice(
      { ...identity('StatutoryTermEscalated', 2), recipient: { ...recipient, role: 'manager' } },
      facts(
        {
          caseId: 'case-7',
          reason: 'statutory-term-passed',
          meldingId: 'mld-1',
          term: 'investigation',
          dueAt: '2027-07-12T08:00:00Z',
        },
        'Manager',
      ),
      links,
      0,
    );
    expect(content.subject).toBe('[Escalatie niveau 2] wettelijke termijn melding verstreken — casus case-7');
    expect(content.text).toContain(
      'De wettelijke termijn voor het onderzoek (10 weken) van een melding bij Veilig Thuis is verstreken',
    );
    expect(content.text).toContain('Termijn verstreken sinds: 12 juli 2027 om 10:00');
    expect(content.text).toContain('Een overdracht naar vervolghulp stelt de termijn niet uit.');
    expect(content.text).toContain('2 van 3 — u ontvangt dit als Manager van Veilig Thuis Kennemerland');
    noPersonalData(content.text);
  });
});
