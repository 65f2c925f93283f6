import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The acknowledgement link of a notice carries `token = HMAC-SHA256(NOTICE_LINK_SECRET, noticeId)`:
 * whoever holds the notice may acknowledge that notice, and no other. The notifier makes the
 * link, the api checks it; both read the same per-deployment NOTICE_LINK_SECRET. The link does
 * not expire: a notice read a week late may still be acknowledged, which is recorded with its time.
 */
export function noticeLinkToken(noticeId: string, secret: string): string {
  return createHmac('sha256', secret).update(`notice-ack:${noticeId}`).digest('base64url');
}

export function isNoticeLinkToken(noticeId: string, token: string, secret: string): boolean {
  const expected = Buffer.from(noticeLinkToken(noticeId, secret));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Where a notice's links point, from PUBLIC_BASE_URL: the case page of the web app (a browser
 * that is not signed in is sent to sign in and back there), and the acknowledgement page.
 */
export function noticeLinks(
  baseUrl: string,
  notice: { readonly noticeId: string; readonly caseId: string },
  secret: string,
): { readonly caseUrl: string; readonly acknowledgeUrl: string } {
  return {
    caseUrl: `${baseUrl}/app/casussen/${encodeURIComponent(notice.caseId)}`,
    acknowledgeUrl: `${baseUrl}/notices/${notice.noticeId}/acknowledgement?token=${noticeLinkToken(notice.noticeId, secret)}`,
  };
}
