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
  caseUrl: 'https://wh.example/app/casussen/case-7f3c',
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

  describe('informational notices and who is responsible now', () => {
    const handover = { fromOrg: 'vt-kennemerland', toOrg: 'vt-amsterdam-amstelland', open: true };
    const info = (reason: NoticeFacts['subject']['reason'], extra: Partial<NoticeFacts['subject']> = {}) =>
      renderNotice(
        {
          ...notice,
          causeType: 'HandoverRequested',
          level: 0,
          recipient: { ...notice.recipient, role: 'professional' },
        },
        {
          ...facts,
          subject: { caseId: 'case-7f3c', handoverId: 'h-1', reason, ...extra },
          recipientTitle: 'Jeugdprofessional',
        },
        links,
        0,
        { responsibleNow: ['vt-kennemerland'], handover },
      );

    it('given a handover that arrived, when rendered for the receiver, then it says who hands over, until when to confirm receipt, and what to do next', () => {
      const content = info('handover-arrived', { dueAt: '2026-11-23T08:00:00Z' });
      expect(content.subject).toBe('[Bericht] nieuwe overdracht voor uw organisatie — casus case-7f3c');
      for (const part of [content.text, content.html]) {
        expect(part).toContain('Veilig Thuis Kennemerland draagt een casus aan uw organisatie over');
        expect(part).toContain('Bevestig de ontvangst vóór 23 november 2026 om 09:00');
        expect(part).toContain('accepteren');
        expect(part).toContain(links.caseUrl);
        expect(part).not.toContain('Escalatieniveau');
      }
      expect(content.fields).toMatchObject({
        reason: 'handover-arrived',
        level: 0,
        responsibleOrgs: ['vt-kennemerland'],
      });
    });

    it.each([
      ['handover-received', {}, 'Veilig Thuis Amsterdam-Amstelland heeft de ontvangst van uw overdracht bevestigd.'],
      [
        'handover-accepted',
        { plannedStartDate: '2026-12-01' },
        'Veilig Thuis Amsterdam-Amstelland heeft uw overdracht geaccepteerd; de zorg start volgens planning op 1 december 2026.',
      ],
      ['handover-rejected', {}, 'Leg binnen de termijn een besluit vast: behoud van de zorg of een nieuwe overdracht.'],
      [
        'handover-started',
        { startedAt: '2026-11-24T09:30:00Z' },
        'heeft bevestigd dat de vervolghulp is gestart op 24 november 2026 om 10:30',
      ],
    ] as const)(
      'given the sender is told of %s, when rendered, then it says what happened and what to do next',
      (reason, extra, says) => {
        const content = info(reason, extra);
        expect(content.subject).toMatch(/^\[Bericht\] /);
        expect(content.text).toContain(says);
        expect(content.text).toContain('Wat nu: ');
      },
    );

    it('given a missing follow-up after a rejection, when rendered, then it explains that a decision is missing: keep the care or hand over anew', () => {
      const content = renderNotice(
        notice,
        {
          ...facts,
          subject: {
            caseId: 'case-7f3c',
            handoverId: 'h-1',
            reason: 'follow-up-overdue',
            dueAt: '2026-11-27T08:00:00Z',
          },
        },
        links,
        0,
      );
      expect(content.subject).toBe('[Escalatie niveau 1] besluit na afwijzing ontbreekt — casus case-7f3c');
      expect(content.text).toContain(
        'De overdracht is afgewezen of ingetrokken en er is nog geen besluit vastgelegd: behoud van de zorg of een nieuwe overdracht.',
      );
      expect(content.text).toContain('Termijn verstreken sinds: 27 november 2026 om 09:00');
    });

    it('given a lead-area mismatch, when rendered for the municipality, then it names both leads and suggests renegotiating', () => {
      const content = renderNotice(
        {
          ...notice,
          causeType: 'LeadRegionMismatch',
          level: 0,
          recipient: { ...notice.recipient, organisation: 'gemeente-haarlemmermeer' },
        },
        {
          ...facts,
          subject: {
            caseId: 'case-7f3c',
            reason: 'lead-region-mismatch',
            careLead: 'vt-kennemerland',
            safetyLead: 'politie-amsterdam',
          },
        },
        links,
        0,
        { responsibleNow: ['vt-kennemerland'] },
      );
      expect(content.subject).toBe('[Bericht] regie niet in hetzelfde werkgebied — casus case-7f3c');
      expect(content.text).toContain('Veilig Thuis Kennemerland');
      expect(content.text).toContain('heronderhandeling');
      expect(content.text).toContain('de gemeente');
    });

    it('given siblings handed over separately, when rendered, then both organisations responsible now are named, and the copy in the facts is not', () => {
      const content = renderNotice(notice, { ...facts, responsibleOrg: 'vt-utrecht' }, links, 0, {
        responsibleNow: ['vt-kennemerland', 'vt-amsterdam-amstelland'],
      });
      expect(content.text).toContain(
        'Verantwoordelijk nu: Veilig Thuis Kennemerland en Veilig Thuis Amsterdam-Amstelland (de kinderen zijn apart overgedragen',
      );
      expect(content.text).not.toContain('Utrecht');
      expect(content.fields).toMatchObject({ responsibleOrgs: ['vt-kennemerland', 'vt-amsterdam-amstelland'] });
    });

    it('given care started at the receiver, when an escalation is rendered, then it names the receiver as responsible without saying the sender stays so', () => {
      const content = renderNotice(notice, facts, links, 0, {
        responsibleNow: ['vt-amsterdam-amstelland'],
        handover: { ...handover, open: false },
      });
      expect(content.text).toContain('Verantwoordelijk nu: Veilig Thuis Amsterdam-Amstelland\n');
    });

    it('given an acknowledged notice sent again after its timeout, when rendered, then it says that acknowledging is not resolving', () => {
      const content = renderNotice(notice, facts, links, 3, { acknowledgedAt: '2026-11-21T09:00:00Z' });
      expect(content.subject).toMatch(/^Herinnering 3: /);
      expect(content.text).toContain(
        'U heeft deze melding op 21 november 2026 om 10:00 bevestigd, maar de stap is nog niet gezet.',
      );
      expect(content.html).toContain('gezien, niet opgelost');
    });
  });
});
