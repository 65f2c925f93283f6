/**
 * Cases, children and references are pseudonymous ids. A caller that types a name, a BSN or an
 * e-mail address where an id belongs must be stopped before it reaches the event store, where it
 * could never be removed again. Pure, shared by the API's validation and the deciders.
 */

/** Letters, digits and `._:-`, starting with a letter or digit: no spaces, no `@`. */
export const PSEUDONYMOUS_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$';
const PSEUDONYMOUS_ID = new RegExp(PSEUDONYMOUS_ID_PATTERN);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The BSN (burgerservicenummer) eleven-test: 9 digits d1…d9 with
 * 9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11 (and not all zeros).
 */
export function passesBsnElevenTest(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || /^0+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(digits[i]);
  sum -= Number(digits[8]);
  return sum % 11 === 0;
}

/**
 * Why a value cannot be a pseudonymous id, in words that say what to do; undefined when it can.
 * A run of exactly nine digits that passes the eleven-test is refused wherever it stands in the
 * id: `child-123456782` is as much a BSN as `123456782`.
 */
export function pseudonymousIdProblem(field: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return `${field} must be a pseudonymous id (a string).`;
  // A UUID is random by construction (the case ids the service issues are UUIDs): a run of nine
  // digits in one, about one UUID in 700, is chance, not a citizen service number.
  if (UUID.test(value)) return undefined;
  if (/\s/.test(value))
    return `${field} contains spaces; a pseudonymous id is one word (letters, digits and ._:-), never a name.`;
  if (value.includes('@'))
    return `${field} looks like an e-mail address; use a pseudonymous id from your own file, never an address.`;
  const bsnLike = (value.match(/\d+/g) ?? []).find((run) => run.length === 9 && passesBsnElevenTest(run));
  if (bsnLike)
    return `${field} contains a nine-digit number that passes the BSN eleven-test; use a pseudonymous id, never a citizen service number.`;
  if (!PSEUDONYMOUS_ID.test(value))
    return `${field} must be a pseudonymous id: letters, digits and ._:- only, up to 100 characters, starting with a letter or digit.`;
  return undefined;
}
