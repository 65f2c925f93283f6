import { findOrganisation } from './directory';
import { ESCALATION_ROLES } from './organisation';

/** The management line (R3) plus the inspectorate, who reconstructs cases afterwards (R10). */
export const ACTOR_ROLES = [...ESCALATION_ROLES, 'inspector'] as const;

export type ActorRole = (typeof ACTOR_ROLES)[number];

export function isActorRole(value: unknown): value is ActorRole {
  return typeof value === 'string' && (ACTOR_ROLES as readonly string[]).includes(value);
}

/**
 * Why an organisation cannot act in a role, or undefined when it can. The one place that decides
 * who may be an inspector: only an inspectorate of the directory (R10), whatever an identity
 * provider or a token says. Every way in (bearer tokens, sessions, issuer configuration) asks here.
 */
export function actorRoleRefusal(organisationId: string, role: string): string | undefined {
  const organisation = findOrganisation(organisationId);
  if (organisation === undefined) {
    return `the organisation ${JSON.stringify(organisationId)} is not in the organisations directory (GET /organisations lists the ids)`;
  }
  if (!isActorRole(role)) {
    return `the role ${JSON.stringify(role)} is not one of ${ACTOR_ROLES.join(', ')}`;
  }
  if (role === 'inspector' && organisation.kind !== 'inspectorate') {
    return `the inspector role belongs to inspectorates only, and ${organisation.name} (${organisation.id}) is a ${organisation.kind} organisation`;
  }
  return undefined;
}
