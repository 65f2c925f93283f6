import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a webhook receiver knows a notice is ours, unchanged and fresh: the Standard Webhooks
 * specification (v1, standardwebhooks.com), so its reference libraries verify our notices as
 * they are. Each POST carries
 *
 *   webhook-id:        <noticeId>.<repeat>   the same on a resend: dedupe on it
 *   webhook-timestamp: <unix seconds>        when it was signed
 *   webhook-signature: v1,<base64> [v1,<base64> …]
 *                      HMAC-SHA256(key, `<id>.<timestamp>.<raw body>`), one per valid secret
 *
 * The secret is the contact point's, shown once as `whsec_<base64 key>` when the webhook was
 * registered or its URL changed. During a rotation the previous secret stays valid for a while
 * and each request carries a signature with each, so a receiver may switch at its own pace.
 * A receiver recomputes the HMAC over the raw body bytes (before any JSON parsing), compares in
 * constant time, and rejects a timestamp more than REPLAY_WINDOW_SECONDS away from its own clock.
 * `verifyWebhookSignature` below is that check, to copy or import.
 */
export const REPLAY_WINDOW_SECONDS = 300;

export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

const SECRET_PREFIX = 'whsec_';

/** The HMAC key of a `whsec_…` secret: the base64 after the prefix, decoded. */
export function webhookKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

function signature(secret: string, id: string, timestamp: number, body: string): string {
  return createHmac('sha256', webhookKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
}

/** The `webhook-signature` header: `v1,<base64>` for each secret, space-separated. */
export function signWebhook(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets.map((secret) => `v1,${signature(secret, id, timestamp, body)}`).join(' ');
}

export type Verification = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function verifyWebhookSignature(request: {
  readonly secret: string;
  readonly id: string | undefined;
  readonly body: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly nowSeconds?: number;
}): Verification {
  if (!request.id) return { ok: false, reason: 'no webhook-id' };
  const timestamp = Number(request.timestamp);
  if (!request.timestamp || !Number.isInteger(timestamp)) return { ok: false, reason: 'no valid webhook-timestamp' };
  const now = request.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > REPLAY_WINDOW_SECONDS) {
    return { ok: false, reason: `timestamp outside the ${REPLAY_WINDOW_SECONDS}-second window (replay?)` };
  }
  const expected = Buffer.from(signature(request.secret, request.id, timestamp, request.body));
  const matches = (request.signature ?? '').split(' ').some((versioned) => {
    const [version, given] = versioned.split(',');
    if (version !== 'v1' || !given) return false;
    const candidate = Buffer.from(given);
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
  return matches ? { ok: true } : { ok: false, reason: 'signature does not match the id, body and timestamp' };
}
