import { passesBsnElevenTest } from '../shared/pseudonymous-id';

/**
 * A short neutral description, for an agreement no code fits. It ends up in a file that many
 * organisations read and that outlives the case, so it may not carry personal data: no names
 * (a capitalised word after the first), no e-mail or web addresses, no postcodes, no numbers
 * long enough to be a BSN, phone or house-and-account number. Returns what to change, or
 * undefined when the text is acceptable.
 */
export const MAX_DESCRIPTION_LENGTH = 120;

export function neutralDescriptionProblem(field: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim().length === 0)
    return `${field} must be a short neutral description (text), or choose a code other than "other".`;
  const text = value.trim();
  if (text.length > MAX_DESCRIPTION_LENGTH)
    return `${field} is ${text.length} characters; keep it to ${MAX_DESCRIPTION_LENGTH} and neutral, the file holds the details.`;
  if (/[@]|https?:|www\./i.test(text))
    return `${field} contains an e-mail or web address; describe the agreement without contact details.`;
  if (/\b\d{4}\s?[A-Z]{2}\b/.test(text))
    return `${field} contains what looks like a postcode; describe the agreement without an address.`;
  const digits = text.match(/\d[\d\s.-]*\d|\d/g) ?? [];
  if (digits.some((run) => run.replace(/\D/g, '').length >= 5))
    return `${field} contains a long number (a BSN, phone or account number?); describe the agreement without it.`;
  if (digits.some((run) => passesBsnElevenTest(run.replace(/\D/g, ''))))
    return `${field} contains a citizen service number; describe the agreement without it.`;
  const words = text.split(/\s+/).slice(1);
  const capitalised = words.find((word) => /^[A-ZÀ-Ý][a-zà-ÿ]/.test(word));
  if (capitalised)
    return `${field} contains "${capitalised}", which looks like a name; use roles ("vader", "het kind") instead of names.`;
  return undefined;
}
