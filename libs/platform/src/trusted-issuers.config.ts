import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * OIDC_ISSUERS: the identity providers the API trusts, one entry per issuer (an organisation's
 * Entra ID tenant, a Keycloak realm brokering several, the embedded development provider). The
 * value is a JSON array, or the path of a file holding one. What an entry says is checked here;
 * whether its organisations exist and may hold the inspector role is checked against the
 * directory by the api at start-up (apps/api/src/auth/trusted-issuers.ts).
 */

/** The roles a claim value can be mapped to; the domain's ACTOR_ROLES, repeated here (platform knows no domain). */
export const MAPPABLE_ROLES = ['professional', 'team-lead', 'manager', 'director', 'inspector'] as const;

export type MappableRole = (typeof MAPPABLE_ROLES)[number];

/** Past this a token is refused however far its exp lies: a stolen long-lived token has a bounded use. */
const DEFAULT_MAX_TOKEN_AGE_SECONDS = 60 * 60;

/**
 * jose refetches the JWKS for an unknown `kid` at most this often: a rotated key is picked up
 * within it, and a flood of made-up kids cannot make us hammer the issuer.
 */
const DEFAULT_JWKS_COOLDOWN_SECONDS = 30;

/** The JWKS is fetched again after this, so a key the issuer withdrew is refused within it. */
const DEFAULT_JWKS_MAX_AGE_SECONDS = 10 * 60;

const entrySchema = z
  .object({
    name: z
      .string({ error: 'name is required: a short id of the entry, e.g. "vt-kennemerland-entra"' })
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'name must be lowercase letters, digits and dashes'),
    issuer: z.url({
      protocol: /^https?$/,
      error:
        'issuer must be the issuer URL exactly as tokens carry it in iss (discovery is <issuer>/.well-known/openid-configuration)',
    }),
    audience: z.string({ error: 'audience is required: the aud tokens must carry for this API' }).min(1),
    organisations: z.union([z.literal('*'), z.array(z.string().min(1)).min(1)], {
      error:
        'organisations must be a non-empty list of directory ids this issuer may speak for ("*" only outside production)',
    }),
    organisationClaim: z.string().min(1).default('org'),
    roleClaim: z.string().min(1).default('roles'),
    roles: z.record(
      z.string(),
      z.enum(MAPPABLE_ROLES, { error: `roles must map claim values to ${MAPPABLE_ROLES.join(', ')}` }),
      {
        error:
          'roles is required: an object mapping values of the role claim to professional, team-lead, manager, director (or inspector)',
      },
    ),
    inspector: z.boolean().default(false),
    maxTokenAgeSeconds: z.number().int().min(60).max(86_400).default(DEFAULT_MAX_TOKEN_AGE_SECONDS),
    jwksCooldownSeconds: z.number().int().min(0).max(3600).default(DEFAULT_JWKS_COOLDOWN_SECONDS),
    jwksMaxAgeSeconds: z.number().int().min(1).max(86_400).default(DEFAULT_JWKS_MAX_AGE_SECONDS),
    login: z
      .object({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        scope: z.string().default('openid'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (!entry.inspector && Object.values(entry.roles).includes('inspector')) {
      ctx.addIssue({
        code: 'custom',
        message: 'roles maps a value to inspector but inspector is not true',
        path: ['roles'],
      });
    }
    if (Object.keys(entry.roles).length === 0) {
      ctx.addIssue({ code: 'custom', message: 'roles must map at least one claim value', path: ['roles'] });
    }
  });

export type TrustedIssuerConfig = z.infer<typeof entrySchema>;

/** Parses OIDC_ISSUERS; every problem names the entry (its position and name) and the field. */
export function parseTrustedIssuers(
  value: string,
  { production }: { readonly production: boolean },
): { issuers: TrustedIssuerConfig[]; problems: string[] } {
  const text = value.trim();
  if (text === '') return { issuers: [], problems: [] };
  let json: unknown;
  try {
    json = JSON.parse(text.startsWith('[') ? text : readFileSync(text, 'utf8'));
  } catch (error) {
    const what = text.startsWith('[') ? 'is not valid JSON' : `is neither a JSON array nor a readable JSON file`;
    return { issuers: [], problems: [`${what} (${(error as Error).message.split('\n')[0]})`] };
  }
  if (!Array.isArray(json)) return { issuers: [], problems: ['must be a JSON array of issuer entries'] };

  const issuers: TrustedIssuerConfig[] = [];
  const problems: string[] = [];
  json.forEach((raw: unknown, index) => {
    const label = `entry ${index + 1}${isNamed(raw) ? ` ("${raw.name}")` : ''}`;
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.');
        const prefix = field === '' ? 'entry: ' : issue.message.startsWith(field) ? '' : `${field}: `;
        problems.push(`${label}: ${prefix}${issue.message}`);
      }
      return;
    }
    const entry = parsed.data;
    if (production && entry.organisations === '*') {
      problems.push(
        `${label}: organisations "*" is refused when NODE_ENV=production; list the organisations it speaks for`,
      );
    }
    if (production && !entry.issuer.startsWith('https://')) {
      problems.push(`${label}: issuer must be an https:// URL when NODE_ENV=production`);
    }
    if (issuers.some((other) => other.issuer === entry.issuer)) {
      problems.push(`${label}: issuer ${entry.issuer} is configured twice; merge the entries`);
    }
    if (issuers.some((other) => other.name === entry.name)) {
      problems.push(`${label}: name "${entry.name}" is used twice`);
    }
    issuers.push(entry);
  });
  return { issuers, problems };
}

function isNamed(raw: unknown): raw is { name: string } {
  return typeof raw === 'object' && raw !== null && typeof (raw as { name?: unknown }).name === 'string';
}
