import { createHmac } from 'node:crypto';

/**
 * The subject events, the access log and reports record for a person: a keyed pseudonym of the
 * issuer and the `sub` it gave them. Without the key (SUBJECT_PSEUDONYM_KEY, never in the event
 * store) nobody can link it to an account; with it, the operator can answer "which events are
 * this person's" for an account the issuer names. Including the issuer keeps two providers'
 * equal `sub` values apart.
 */
export function subjectPseudonym(key: string, issuer: string, sub: string): string {
  // 128 bits: collisions are out of reach for any number of people, and the id stays short.
  const mac = createHmac('sha256', key).update(issuer).update('\n').update(sub).digest().subarray(0, 16);
  return `ps-${mac.toString('base64url')}`;
}
