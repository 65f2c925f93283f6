import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a webhook receiver knows a notice is ours, unchanged and fresh. Each POST carries
 *
 *   Webhook-Id:        <noticeId>.<repeat>   the same on a resend: dedupe on it
 *   Webhook-Timestamp: <unix seconds>        when it was signed
 *   Webhook-Signature: v1=<hex>              HMAC-SHA256(secret, `<timestamp>.<raw body>`)
 *
 * The secret is the contact point's, shown once when the webhook was registered. A receiver
 * recomputes the HMAC over the raw body bytes (before any JSON parsing), compares in constant
 * time, and rejects a timestamp more than REPLAY_WINDOW_SECONDS away from its own clock: a
 * captured request cannot be replayed later, and within the window the Webhook-Id dedupes it.
 * `verifyWebhookSignature` below is that check, to copy or import.
 */
export const REPLAY_WINDOW_SECONDS = 300;

export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type Verification = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function verifyWebhookSignature(request: {
  readonly secret: string;
  readonly body: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly nowSeconds?: number;
}): Verification {
  const timestamp = Number(request.timestamp);
  if (!request.timestamp || !Number.isInteger(timestamp)) return { ok: false, reason: 'no valid Webhook-Timestamp' };
  const now = request.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > REPLAY_WINDOW_SECONDS) {
    return { ok: false, reason: `timestamp outside the ${REPLAY_WINDOW_SECONDS}-second window (replay?)` };
  }
  const expected = Buffer.from(signWebhook(request.secret, timestamp, request.body));
  const given = Buffer.from(request.signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature does not match the body and timestamp' };
  }
  return { ok: true };
}
