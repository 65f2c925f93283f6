import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemException } from './problem-details.filter';
import { problemType } from './problem-details';

/** The constraint of ids that must be pseudonymous; failing it is a 422, not a 400. */
export const PSEUDONYMOUS_ID_CONSTRAINT = 'isPseudonymousId';

/**
 * Bodies are checked against their DTO: unknown fields, wrong types and bad values are a 400
 * problem that lists every field and what is wrong with it, before anything runs. An id that
 * looks like personal data (a name, a BSN, an e-mail address) is a 422 of its own.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      if (hasConstraint(errors, PSEUDONYMOUS_ID_CONSTRAINT)) {
        return new ProblemException({
          type: problemType('personal-data'),
          title: 'This looks like personal data',
          status: 422,
          detail: `Ids must be pseudonymous, never a name, citizen service number or address: ${fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}. Nothing was recorded.`,
          errors: fieldErrors,
        });
      }
      return new ProblemException({
        type: problemType('invalid-body'),
        title: 'The request body is not valid',
        status: 400,
        detail: `Correct these fields and send the request again: ${fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`,
        errors: fieldErrors,
      });
    },
  });
}

function hasConstraint(errors: readonly ValidationError[], name: string): boolean {
  return errors.some((e) => name in (e.constraints ?? {}) || hasConstraint(e.children ?? [], name));
}

function flatten(errors: readonly ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith('property ')
        ? `unknown field; remove it (see /docs for the fields this request takes)`
        : message,
    }));
    return [...own, ...flatten(error.children ?? [], `${field}.`)];
  });
}

/** Bodies of this API nest two or three levels; far deeper is an attack on recursive code. */
export const MAX_BODY_DEPTH = 32;

const OPEN = new Set([0x7b, 0x5b]); // { [
const CLOSE = new Set([0x7d, 0x5d]); // } ]
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * body-parser's `verify` for JSON bodies, run on the raw bytes before parsing: a command is a
 * JSON object, nested at most MAX_BODY_DEPTH levels (deeper bodies overflow the stack of the
 * recursive code that walks them: a 500), without a NUL character (`\u0000`), which PostgreSQL
 * cannot store in jsonb: an event carrying one could never be recorded, and its workflow would
 * retry the append forever. Refusals are 400s with a message that says what to change.
 */
export function verifyJsonBody(_req: unknown, _res: unknown, body: Buffer): void {
  const first = body.find((byte) => !WHITESPACE.has(byte));
  if (first !== undefined && first !== 0x7b) throw bodyRefused('The body must be a JSON object ({…})');
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (inString) {
      if (byte === 0x5c) {
        // An escape: skip the escaped character; \u0000 is the NUL character.
        if (body[i + 1] === 0x75 && body.toString('latin1', i + 2, i + 6) === '0000')
          throw bodyRefused('The body contains a NUL character (\\u0000), which cannot be stored; remove it');
        i++;
      } else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (OPEN.has(byte) && ++depth > MAX_BODY_DEPTH)
      throw bodyRefused(`The body nests deeper than ${MAX_BODY_DEPTH} levels`);
    else if (CLOSE.has(byte)) depth--;
  }
}

/** An error body-parser passes on with its status (see problem-details.filter for the answer). */
function bodyRefused(message: string): Error {
  return Object.assign(new Error(message), { status: 400, expose: true, type: 'entity.verify.failed' });
}
