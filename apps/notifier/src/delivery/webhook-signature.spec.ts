import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { REPLAY_WINDOW_SECONDS, signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const previous = `whsec_${randomBytes(32).toString('base64')}`;
  const id = 'notice-1.0';
  const body = JSON.stringify({ noticeId: 'n-1', caseId: 'case-1' });
  const now = 1_800_000_000;
  const signed = {
    secret,
    id,
    body,
    timestamp: String(now),
    signature: signWebhook([secret], id, now, body),
    nowSeconds: now,
  };

  it('given a request signed with the secret, when verified, then it passes', () => {
    expect(verifyWebhookSignature(signed)).toEqual({ ok: true });
  });

  it.each([
    ['a changed body', { body: body.replace('case-1', 'case-2') }, /does not match/],
    ['another id', { id: 'notice-1.1' }, /does not match/],
    ['another secret', { secret: previous }, /does not match/],
    ['a changed timestamp', { timestamp: String(now - 1) }, /does not match/],
    ['no signature', { signature: undefined }, /does not match/],
    ['no id', { id: undefined }, /webhook-id/],
    ['no timestamp', { timestamp: undefined }, /webhook-timestamp/],
    ['a timestamp older than the window', { nowSeconds: now + REPLAY_WINDOW_SECONDS + 1 }, /window/],
    ['a timestamp from the future', { nowSeconds: now - REPLAY_WINDOW_SECONDS - 1 }, /window/],
  ])('given %s, when verified, then it is rejected', (_what, change, reason) => {
    const result = verifyWebhookSignature({ ...signed, ...change });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  describe('with the Standard Webhooks reference library (standardwebhooks) as the receiver', () => {
    const headersAt = (timestamp: number, secrets: readonly string[]) => ({
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secrets, id, timestamp, body),
    });
    const nowSeconds = () => Math.floor(Date.now() / 1000);

    it('given a notice signed with the secret shown at registration, when the receiver verifies it, then it accepts the body', () => {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(new Webhook(secret).verify(body, headersAt(nowSeconds(), [secret]))).toEqual(JSON.parse(body));
    });

    it('given a rotation, when a notice carries a signature per secret, then a receiver with either secret accepts it and one with another refuses it', () => {
      const headers = headersAt(nowSeconds(), [secret, previous]);
      expect(headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/);
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
      expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
      expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(body, headers)).toThrow();
    });

    it('given a notice the reference library signs, when our check verifies it, then it passes', () => {
      const timestamp = nowSeconds();
      const theirs = new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
      expect(theirs).toBe(signWebhook([secret], id, timestamp, body));
    });
  });
});
