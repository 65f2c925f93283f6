/**
 * Why a command was refused, for every aggregate (handover, case, lead negotiation). The API maps
 * each code once to an HTTP status: forbidden 403, wrong-state 409, invalid 400, not-found 404
 * (a case the actor's organisation takes no part in: its existence must not leak).
 */
export type RefusalCode = 'forbidden' | 'wrong-state' | 'invalid' | 'not-found' | 'personal-data';

export interface RefusalDetails {
  /** For wrong-state: the state it is in and the commands allowed there. */
  readonly status?: string;
  readonly allowed?: readonly string[];
  /** For invalid: the field at fault. */
  readonly field?: string;
  /** For a child already in an open handover: that handover. */
  readonly openHandoverId?: string;
}

export class CommandRefused extends Error {
  override readonly name = 'CommandRefused';
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly details: RefusalDetails = {},
  ) {
    super(message);
  }
}
