/**
 * Why a command was refused. The API maps each code once to an HTTP status: forbidden 403,
 * wrong-state 409, invalid 400.
 */
export type RefusalCode = 'forbidden' | 'wrong-state' | 'invalid';

export class HandoverRefused extends Error {
  override readonly name = 'HandoverRefused';
  constructor(
    readonly code: RefusalCode,
    message: string,
    /** For wrong-state: the state it is in and the commands allowed there. */
    readonly details: { readonly status?: string; readonly allowed?: readonly string[]; readonly field?: string } = {},
  ) {
    super(message);
  }
}
