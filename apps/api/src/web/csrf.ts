import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The CSRF token of a browser session: an HMAC of the session id under a key of its own, so it
 * is tied to that one session (a token of another session, or of a signed-out one, fails), needs
 * no storage, and reveals nothing about the session id. Every form of the web app carries it in a
 * hidden field and every POST is checked before anything runs. SameSite=Lax on the session
 * cookie already keeps other sites' forms out; the token also covers same-site subdomains.
 */
export class CsrfTokens {
  private readonly key: Buffer;

  /** `secret` is a server-side secret; the key is derived from it for this one purpose. */
  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('warm-handover web csrf v1').digest();
  }

  tokenFor(sessionId: string): string {
    return createHmac('sha256', this.key).update(sessionId).digest('base64url');
  }

  /** True only for the token of exactly this session; constant time in the token's content. */
  verify(sessionId: string, token: unknown): boolean {
    if (typeof token !== 'string' || sessionId === '') return false;
    const expected = Buffer.from(this.tokenFor(sessionId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
