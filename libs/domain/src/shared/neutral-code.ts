import { passesBsnElevenTest } from './pseudonymous-id';

/**
 * Where a code or a short neutral label is expected, people still type names, addresses and
 * citizen service numbers. Stopped here, before anything reaches the event store, where it could
 * never be removed again. Pure; the deciders call it and the API maps it to 422 personal-data.
 */

/** A code: lowercase words joined by '-', such as `school-attendance` (the API's document publishes it). */
export const CODE_PATTERN = '^[a-z][a-z0-9]*(?:-[a-z0-9]+){0,7}$';
export const CODE_MAX_LENGTH = 60;
const CODE = new RegExp(CODE_PATTERN);
/** A short neutral label: lowercase words, at most 60 characters. */
export const LABEL_PATTERN = '^[a-z][a-z -]{0,59}$';
const LABEL = new RegExp(LABEL_PATTERN);
/** Dutch street words and a postcode: signs of an address. */
const ADDRESS = /(straat|laan|weg|plein|gracht|kade|dijk|singel|hof|pad)\b|\b\d{4}\s?[a-z]{2}\b/i;

/**
 * Why a value looks like personal data (an e-mail address, a BSN, an address, a name), in words
 * that say what to do; undefined when it does not. Refused as personal-data (422).
 */
export function personalDataProblem(field: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.includes('@')) return `${field} looks like an e-mail address; use a code, never an address.`;
  const bsn = (value.match(/\d+/g) ?? []).find((run) => run.length === 9 && passesBsnElevenTest(run));
  if (bsn)
    return `${field} contains a number that passes the BSN eleven-test; use a code, never a citizen service number.`;
  if (/\d{4}\s?[A-Za-z]{2}\b/.test(value) || ADDRESS.test(value))
    return `${field} looks like an address (a street or a postcode); use a code, never an address.`;
  // Codes and labels are lowercase: a capitalised word is how names (Jan, de Vries) are typed.
  if (/(^|[^A-Za-z])[A-Z][a-z]/.test(value))
    return `${field} looks like a name (a capitalised word); use a lowercase code, never a name.`;
  return undefined;
}

/** Why a value (checked for personal data first) cannot be a code, in words that say what to do; undefined when it can. */
export function codeProblem(field: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return `${field} must be a code such as school-attendance.`;
  if (/\s/.test(value)) return `${field} contains spaces; a code is lowercase words joined by '-', never free text.`;
  if (!CODE.test(value) || value.length > CODE_MAX_LENGTH)
    return `${field} must be a code: lowercase letters and digits in words joined by '-', up to 60 characters.`;
  return undefined;
}

/** Why a value cannot be a short neutral label; undefined when it can. */
export function neutralLabelProblem(field: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return `${field} must be a short neutral label.`;
  if (/\d/.test(value))
    return `${field} contains digits; a neutral label is lowercase words only (no numbers, dates or house numbers).`;
  if (!LABEL.test(value))
    return `${field} must be a short neutral label: lowercase words, up to 60 characters, never a name or an address.`;
  return undefined;
}
