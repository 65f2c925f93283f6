import { REPLAY_WINDOW_SECONDS, signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'whsec_test-secret-of-enough-length-0123456789';
  const body = JSON.stringify({ noticeId: 'n-1', caseId: 'case-1' });
  const now = 1_800_000_000;
  const signed = { secret, body, timestamp: String(now), signature: signWebhook(secret, now, body), nowSeconds: now };

  it('given a request signed with the secret, when verified, then it passes', () => {
    expect(verifyWebhookSignature(signed)).toEqual({ ok: true });
  });

  it.each([
    ['a changed body', { body: body.replace('case-1', 'case-2') }, /does not match/],
    ['another secret', { secret: `${secret}x` }, /does not match/],
    ['a changed timestamp', { timestamp: String(now - 1) }, /does not match/],
    ['no signature', { signature: undefined }, /does not match/],
    ['no timestamp', { timestamp: undefined }, /Webhook-Timestamp/],
    ['a timestamp older than the window', { nowSeconds: now + REPLAY_WINDOW_SECONDS + 1 }, /window/],
    ['a timestamp from the future', { nowSeconds: now - REPLAY_WINDOW_SECONDS - 1 }, /window/],
  ])('given %s, when verified, then it is rejected', (_what, change, reason) => {
    const result = verifyWebhookSignature({ ...signed, ...change });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});
