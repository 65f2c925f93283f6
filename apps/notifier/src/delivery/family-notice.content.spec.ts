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
const links = { caseUrl: 'https://wh.example/cases/case-9/notices', acknowledgeUrl: 'https://wh.example/ack' };

describe('notice content of the family (R5, R6)', () => {
  it('given an overdue re-assessment, when rendered, then it names the organisation, what to record and since when', () => {
    const notice: NoticeIdentity = {
      noticeId: 'n-1',
      caseId: 'case-9',
      causeEventId: 'e-1',
      causeType: 'FamilyEscalated',
      level: 1,
      recipient,
    };
    const facts: NoticeFacts = {
      subject: {
        caseId: 'case-9',
        reason: 'reassessment-overdue',
        familySubjectId: 'chg-1',
        familyOrganisations: ['vt-kennemerland'],
        dueAt: '2026-12-31T09:00:00Z',
      },
      recipientTitle: 'Teamleider',
      escalatedAt: '2026-12-31T09:00:01Z',
    };
    const content = renderNotice(notice, facts, links, 0, { responsibleNow: ['vt-kennemerland'] });
    expect(content.subject).toBe('[Escalatie niveau 1] herbeoordeling na gezinsverandering te laat — casus case-9');
    expect(content.text).toContain(
      "De gezinssituatie is veranderd en Veilig Thuis Kennemerland heeft de veiligheidsrisico's van de kinderen niet op tijd opnieuw ingeschat",
    );
    expect(content.text).toContain('Termijn verstreken sinds: 31 december 2026 om 10:00');
    expect(content.text).toContain('Leg de herbeoordeling vast');
  });

  it('given a handover arriving after a change the sender has not re-assessed, when rendered, then the receiver is told to ask for a current assessment', () => {
    const notice: NoticeIdentity = {
      noticeId: 'n-2',
      caseId: 'case-9',
      causeEventId: 'e-2',
      causeType: 'HandoverRequested',
      handoverId: 'h-1',
      level: 0,
      recipient: { ...recipient, organisation: 'vt-amsterdam-amstelland', role: 'professional' },
    };
    const facts: NoticeFacts = {
      subject: { caseId: 'case-9', handoverId: 'h-1', reason: 'handover-arrived' },
      recipientTitle: 'Medewerker',
      escalatedAt: '2026-12-01T09:00:00Z',
    };
    const context = {
      handover: { fromOrg: 'vt-kennemerland', toOrg: 'vt-amsterdam-amstelland', open: true },
      assessmentPredatesChange: {
        changeCode: 'new-partner',
        changedAt: '2026-11-28T10:00:00Z',
        latestAssessmentAt: '2026-11-01T10:00:00Z',
      },
    };
    const stale = renderNotice(notice, facts, links, 0, context);
    expect(stale.text).toContain(
      'Let op: De gezinssituatie is veranderd (nieuwe partner, 28 november 2026 om 11:00) na de laatste risicotaxatie van de overdragende organisatie (1 november 2026 om 11:00). Vraag naar een actuele inschatting.',
    );
    const current = renderNotice(notice, facts, links, 0, { handover: context.handover });
    expect(current.text).not.toContain('Let op');
  });
});
