import { actorRoleRefusal, findOrganisation, organisationsOfKind } from '@warm-handover/domain';
import type { TrustedIssuerConfig } from '@warm-handover/platform';

const INSPECTORATES: ReadonlySet<string> = new Set(organisationsOfKind('inspectorate').map((o) => o.id));

/**
 * What the organisations directory says about OIDC_ISSUERS, each problem naming the entry: every
 * organisation must exist, and an issuer may issue `inspector` only when it speaks for an
 * inspectorate (which is also checked per token, in actorRoleRefusal).
 */
export function issuerDirectoryProblems(issuers: readonly TrustedIssuerConfig[]): string[] {
  const problems: string[] = [];
  for (const [index, issuer] of issuers.entries()) {
    const label = `OIDC_ISSUERS entry ${index + 1} ("${issuer.name}")`;
    const organisations = issuer.organisations === '*' ? [] : issuer.organisations;
    for (const id of organisations) {
      if (findOrganisation(id) === undefined) {
        problems.push(
          `${label}: organisation "${id}" is not in the organisations directory (GET /organisations lists the ids)`,
        );
      }
    }
    if (issuer.inspector && issuer.organisations !== '*' && !organisations.some((id) => INSPECTORATES.has(id))) {
      problems.push(
        `${label}: inspector is true but it speaks for no inspectorate (${[...INSPECTORATES].join(', ')}); the inspector role belongs to inspectorates only`,
      );
    }
  }
  return problems;
}

/** Reads a claim by a dotted path, e.g. `realm_access.roles` (Keycloak). */
function claimAt(payload: Record<string, unknown>, path: string): unknown {
  if (path in payload) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Highest rung first: one role is chosen when a person holds several. */
const RANK = ['director', 'manager', 'team-lead', 'professional'] as const;

/**
 * The organisation and role a verified token of this issuer stands for, or why it stands for
 * none. The organisation is the issuer's own, never another's whatever the claim says.
 */
export function actorClaimsOf(
  issuer: TrustedIssuerConfig,
  payload: Record<string, unknown>,
): { organisation: string; role: string } | { refusal: string } {
  const claimed = claimAt(payload, issuer.organisationClaim);
  let organisation: string;
  if (issuer.organisations !== '*' && issuer.organisations.length === 1) {
    organisation = issuer.organisations[0]!;
    if (claimed !== undefined && claimed !== organisation) {
      return {
        refusal: `The token's issuer ${issuer.issuer} speaks for ${organisation} only, and the token claims ${JSON.stringify(claimed)} in ${issuer.organisationClaim}; sign in with your own organisation's identity provider`,
      };
    }
  } else {
    if (typeof claimed !== 'string' || claimed === '') {
      return {
        refusal: `The token has no organisation claim (${issuer.organisationClaim}); its issuer ${issuer.issuer} speaks for several organisations, so the token must name one`,
      };
    }
    if (issuer.organisations !== '*' && !issuer.organisations.includes(claimed)) {
      return {
        refusal: `The token's issuer ${issuer.issuer} may not speak for ${JSON.stringify(claimed)} (it speaks for ${issuer.organisations.join(', ')}); sign in with that organisation's own identity provider`,
      };
    }
    organisation = claimed;
  }

  const raw = claimAt(payload, issuer.roleClaim);
  const values =
    typeof raw === 'string' ? raw.split(' ') : Array.isArray(raw) ? raw.filter((v) => typeof v === 'string') : [];
  const mapped = new Set(values.map((v) => issuer.roles[v]).filter((r) => r !== undefined));
  if (mapped.size === 0) {
    return {
      refusal: `The token's role claim (${issuer.roleClaim}) holds none of the values this API maps to a role (${Object.keys(issuer.roles).join(', ')}); ask your organisation's administrator to assign you one`,
    };
  }
  if (mapped.has('inspector')) {
    if (!issuer.inspector) {
      return {
        refusal: `The token's issuer ${issuer.issuer} may not issue the inspector role; only an inspectorate's provider may`,
      };
    }
    if (mapped.size > 1) {
      return {
        refusal:
          'The token holds the inspector role and a role of the management line; an inspector never takes part in a case, so hold one or the other',
      };
    }
  }
  const role = mapped.has('inspector') ? 'inspector' : RANK.find((r) => mapped.has(r))!;
  const refusal = actorRoleRefusal(organisation, role);
  if (refusal !== undefined) return { refusal: `The token cannot be used: ${refusal}` };
  return { organisation, role };
}
