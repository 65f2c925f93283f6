import { noticeAsSeenBy, noticeEventDataAsSeenBy } from './notice-visibility';
import { noticesOfCase } from './notice.rules';

describe('notice visibility', () => {
  const AT = '2026-03-02T09:00:00.000Z';
  const ids = {
    noticeId: 'notice-1',
    caseId: 'case-1',
    causeType: 'HandoverEscalated',
    causeEventId: 'event-1',
    handoverId: 'handover-1',
    level: 1,
    recipient: {
      organisation: 'vt-kennemerland',
      role: 'team-lead',
      contactPointId: 'cp-1',
      contactPointVersion: 2,
      channel: 'webhook',
      address: 'https://hooks.vt-kennemerland.example/warm-handover?token=abc',
    },
  };
  const events = [
    {
      type: 'NoticeAttemptFailed',
      data: { ...ids, attempt: 1, error: 'http-5xx: the webhook answered HTTP 503', nextAttemptAt: AT, failedAt: AT },
    },
    { type: 'NoticeFailed', data: { ...ids, attempts: 2, lastError: 'timeout: no answer within 20 s', failedAt: AT } },
  ];
  const [notice] = noticesOfCase(events);

  it('given a notice to another organisation, when its case notices are read, then only organisation, rung and channel of the recipient are shown', () => {
    const seen = noticeAsSeenBy(notice!, { organisation: 'vt-amsterdam-amstelland', role: 'team-lead' });
    expect(seen.recipient).toEqual({ organisation: 'vt-kennemerland', role: 'team-lead', channel: 'webhook' });
    expect(seen).not.toHaveProperty('lastError');
    expect(JSON.stringify(seen)).not.toMatch(/hooks\.vt-kennemerland|cp-1|http-5xx|timeout/);
    expect(seen).toMatchObject({ status: 'failed', attempts: 2, level: 1 });
  });

  it.each([
    ['the recipient organisation', { organisation: 'vt-kennemerland', role: 'professional' }],
    ['an inspector', { organisation: 'inspectie-gezondheidszorg-en-jeugd', role: 'inspector' }],
  ])('given %s, when the notices are read, then the details are shown', (_who, reader) => {
    expect(noticeAsSeenBy(notice!, reader)).toBe(notice);
  });

  it('given the timeline of a case, when another organisation reads a notice event, then its address and error are left out', () => {
    const other = { organisation: 'vt-amsterdam-amstelland', role: 'team-lead' };
    for (const event of events) {
      const data = noticeEventDataAsSeenBy(event.type, event.data, other);
      expect(JSON.stringify(data)).not.toMatch(/hooks\.vt-kennemerland|cp-1|http-5xx|timeout/);
      expect(data).toMatchObject({
        recipient: { organisation: 'vt-kennemerland', role: 'team-lead', channel: 'webhook' },
      });
    }
    const handover = { caseId: 'case-1' };
    expect(noticeEventDataAsSeenBy('HandoverRequested', handover, other)).toBe(handover);
  });
});
