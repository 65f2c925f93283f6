/** Who issues a command: a pseudonymous subject acting for an organisation in a role. */
export interface CommandActor {
  readonly subject: string;
  readonly organisation: string;
  readonly role: string;
}

/** Timers and checks inside workflows act as this actor. */
export const SYSTEM_ROLE = 'system';

export function isInspector(actor: CommandActor): boolean {
  return actor.role === 'inspector';
}
