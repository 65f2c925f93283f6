import type { NoticeFacts, NoticeIdentity } from '@warm-handover/contracts';
import { renderNotice } from './notice.content';

const notice: NoticeIdentity = {
  noticeId: '0b7f3c2e-9d1a-8e4b-a2c3-d4e5f6a7b8c9',
  caseId: 'case-7f3c',
  causeEventId: 'e-1',
  causeType: 'HandoverEscalated',
  handoverId: 'h-1',
  level: 1,
  recipient: {
    organisation: 'vt-amsterdam-amstelland',
    role: 'team-lead',
    contactPointId: 'cp-1',
    contactPointVersion: 1,
    channel: 'email',
    address: 'teamleiding@vt-amsterdam-amstelland.example',
  },
};
const facts: NoticeFacts = {
  subject: { caseId: 'case-7f3c', handoverId: 'h-1', reason: 'receipt-overdue', dueAt: '2026-11-20T08:00:00Z' },
  recipientTitle: 'Teamleider',
  responsibleOrg: 'vt-kennemerland',
  escalatedAt: '2026-11-20T08:00:02Z',
};
const links = {
  caseUrl: 'https://wh.example/cases/case-7f3c/notices',
  acknowledgeUrl: 'https://wh.example/notices/0b7f3c2e/acknowledgement?token=abc',
};

describe('notice content', () => {
  const content = renderNotice(notice, facts, links, 0);

  it('given an overdue receipt, when rendered, then the Dutch text says what is overdue since when, who is responsible, the level and both links', () => {
    expect(content.subject).toBe('[Escalatie niveau 1] ontvangst overdracht te laat — casus case-7f3c');
    for (const part of [content.text, content.html]) {
      expect(part).toContain('case-7f3c');
      expect(part).toContain('De ontvangst van een overdracht is niet op tijd bevestigd.');
      expect(part).toContain('20 november 2026 om 09:00'); // 08:00 UTC is 09:00 in Amsterdam
      expect(part).toContain('Veilig Thuis Kennemerland');
      expect(part).toContain('1 van 3');
      expect(part).toContain('Teamleider van Veilig Thuis Amsterdam-Amstelland');
      expect(part).toContain('geen persoonsgegevens');
    }
    expect(content.text).toContain(links.caseUrl);
    expect(content.text).toContain(links.acknowledgeUrl);
    expect(content.html).toContain(`href="${links.acknowledgeUrl}"`);
  });

  it('given the webhook body, when rendered, then it carries the same facts as fields', () => {
    expect(content.fields).toMatchObject({
      type: 'warm-handover.notice.v1',
      noticeId: notice.noticeId,
      caseId: 'case-7f3c',
      reason: 'receipt-overdue',
      dueAt: '2026-11-20T08:00:00Z',
      level: 1,
      responsibleOrg: 'vt-kennemerland',
      links: { case: links.caseUrl, acknowledge: links.acknowledgeUrl },
    });
  });

  it('given a repeat and a notice after an undeliverable one, when rendered, then the subject says reminder and the text says why it comes here', () => {
    const reminder = renderNotice(notice, { ...facts, unreachedTitle: 'Teamleider' }, links, 2);
    expect(reminder.subject).toMatch(/^Herinnering 2: /);
    expect(reminder.text).toContain('Een eerdere melding aan de Teamleider kon niet worden bezorgd');
    expect(reminder.text).toContain('dagelijks');
  });

  it('given a case id with markup, when rendered as HTML, then it is escaped', () => {
    const hostile = renderNotice(
      { ...notice, caseId: '<b>x' },
      { ...facts, subject: { ...facts.subject, caseId: '<b>x' } },
      links,
      0,
    );
    expect(hostile.html).not.toContain('<b>x');
    expect(hostile.html).toContain('&#60;b&#62;x');
  });
});
