import { errors, jwtVerify, SignJWT } from 'jose';
import type { Actor } from '@warm-handover/contracts';
import { ACTOR_ROLES, actorRoleRefusal, findOrganisation, isActorRole } from '@warm-handover/domain';

export { ACTOR_ROLES, isActorRole, type ActorRole } from '@warm-handover/domain';

/**
 * Development shared-secret tokens (HS256 with JWT_SECRET), accepted only outside production by
 * AccessTokenVerifier: the unit tests sign them. Everything else uses the identity providers of
 * OIDC_ISSUERS (`npm run token` asks the embedded development provider).
 */

/** The `iss` every token must carry: tokens of other systems are refused even with the same secret. */
export const TOKEN_ISSUER = 'warm-handover';

const ALGORITHM = 'HS256';

/** Clocks of the caller's machine and ours differ a little; more than this is a wrong clock. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** How long a token from `npm run token` lasts: one working day and then some. */
export const DEMO_TOKEN_TTL_SECONDS = 12 * 60 * 60;

/** How to get a token, for every message that refuses one. */
export const TOKEN_HELP = '`npm run token -- <organisation-id> [role]` prints one for a seeded organisation';

/** A token that does not prove who is calling; the message says what to do about it. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/**
 * Signs a token for an actor. It signs whatever it is given: `verifyToken` is the gate that
 * checks the organisation and role, so tests can make tokens that must be refused.
 */
export async function signToken(
  actor: Actor,
  secret: string,
  ttlSeconds: number,
  { now = new Date() }: { readonly now?: Date } = {},
): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ org: actor.organisation, role: actor.role })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setSubject(actor.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(keyOf(secret));
}

/**
 * Verifies a bearer token and returns the actor it names, or throws an InvalidTokenError that
 * says what is wrong and what to do. Only HS256 is accepted, so a token cannot pick `none` or
 * another algorithm for itself.
 */
export async function verifyToken(
  token: string,
  secret: string,
  { now }: { readonly now?: Date } = {},
): Promise<Actor> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: [ALGORITHM],
      issuer: TOKEN_ISSUER,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'sub'],
      ...(now ? { currentDate: now } : {}),
    }));
  } catch (error) {
    if (!(error instanceof errors.JOSEError)) throw error;
    throw new InvalidTokenError(reasonOf(error));
  }

  const { sub, org, role } = payload;
  if (typeof sub !== 'string' || sub.trim() === '') {
    throw new InvalidTokenError(`The bearer token has no subject (sub); ${TOKEN_HELP}`);
  }
  if (typeof org !== 'string' || findOrganisation(org) === undefined) {
    throw new InvalidTokenError(
      `The bearer token's organisation (org) ${JSON.stringify(org ?? null)} is not in the organisations directory; ` +
        `use an id that GET /organisations lists, e.g. with ${TOKEN_HELP}`,
    );
  }
  if (!isActorRole(role)) {
    throw new InvalidTokenError(
      `The bearer token's role ${JSON.stringify(role ?? null)} is not one of ${ACTOR_ROLES.join(', ')}; ${TOKEN_HELP}`,
    );
  }
  const refusal = actorRoleRefusal(org, role);
  if (refusal !== undefined) throw new InvalidTokenError(`The bearer token cannot be used: ${refusal}; ${TOKEN_HELP}`);
  return { subject: sub, organisation: org, role };
}

function reasonOf(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) {
    const exp = error.payload.exp;
    const when = typeof exp === 'number' ? ` at ${new Date(exp * 1000).toISOString()}` : '';
    return `The bearer token expired${when}; get a new one: ${TOKEN_HELP}`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return `The bearer token's signature does not match this API's JWT_SECRET; sign it with that secret: ${TOKEN_HELP}`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return `The bearer token is not signed with ${ALGORITHM}, the only algorithm accepted; ${TOKEN_HELP}`;
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') {
      return `The bearer token was not issued by ${TOKEN_ISSUER} (its iss claim must be "${TOKEN_ISSUER}"); ${TOKEN_HELP}`;
    }
    if (error.claim === 'exp' && error.reason === 'missing') {
      return `The bearer token has no expiry (exp), and tokens that never expire are refused; ${TOKEN_HELP}`;
    }
    return `The bearer token's ${error.claim} claim is not valid (${error.message}); ${TOKEN_HELP}`;
  }
  return `The bearer token is not a valid JWT (${error.message}); ${TOKEN_HELP}`;
}
