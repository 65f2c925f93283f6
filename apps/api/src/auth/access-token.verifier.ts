import { Inject, Injectable } from '@nestjs/common';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { Actor } from '@warm-handover/contracts';
import { APP_CONFIG, type AppConfig, type TrustedIssuerConfig } from '@warm-handover/platform';
import { subjectPseudonym } from './subject-pseudonym';
import { InvalidTokenError, TOKEN_ISSUER, verifyToken } from './tokens';
import { actorClaimsOf } from './trusted-issuers';

/** Asymmetric algorithms only: a token of a trusted issuer is never checked with a shared secret, nor unsigned. */
const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Clocks of the issuer and ours differ a little; more than this is a wrong clock. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** An issuer slower than this to answer discovery or its JWKS is treated as down (503), not as a bad token. */
const ISSUER_TIMEOUT_MS = 5_000;

/** How to get a valid token, for every refusal. */
export const SIGN_IN_HELP =
  'get an access token from your organisation’s identity provider (one of the issuers in OIDC_ISSUERS) for this API’s audience, or sign in through GET /auth/login; in development `npm run token -- <organisation-id> [role]` prints one';

/** The identity provider of a token could not be asked for its keys: nobody's fault but its own (503). */
export class IssuerUnavailableError extends Error {
  override readonly name = 'IssuerUnavailableError';
}

/** A verified token: who it is (pseudonymous), for which organisation, in which role, from which issuer. */
export interface VerifiedToken {
  readonly actor: Actor;
  readonly issuerName: string;
}

interface TrustedIssuer {
  readonly config: TrustedIssuerConfig;
  keys?: Promise<JWTVerifyGetKey>;
}

/**
 * Verifies access tokens of the issuers in OIDC_ISSUERS: signature by a key the issuer publishes
 * (discovery, then its JWKS, cached and refetched for a new `kid`), iss, aud, exp, sub and a
 * bounded age, then the organisation and role the issuer may speak for. Outside production it
 * also accepts the HS256 development tokens (JWT_SECRET, issuer "warm-handover") the unit tests
 * sign. The subject of the actor is a pseudonym of issuer + sub, never the sub itself.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly byIssuer = new Map<string, TrustedIssuer>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    for (const issuer of config.OIDC_ISSUERS) this.byIssuer.set(issuer.issuer, { config: issuer });
  }

  get issuers(): readonly TrustedIssuerConfig[] {
    return this.config.OIDC_ISSUERS;
  }

  /** The actor a bearer token proves, or an InvalidTokenError saying why not and what to do. */
  async verify(token: string, { now }: { readonly now?: Date } = {}): Promise<VerifiedToken> {
    let iss: unknown;
    let alg: unknown;
    try {
      ({ alg } = decodeProtectedHeader(token));
      ({ iss } = decodeJwt(token));
    } catch {
      throw new InvalidTokenError(`The bearer token is not a JWT (header.payload.signature); ${SIGN_IN_HELP}`);
    }
    if (iss === TOKEN_ISSUER && this.config.NODE_ENV !== 'production' && alg === 'HS256') {
      const actor = await verifyToken(token, this.config.JWT_SECRET, now ? { now } : {});
      return { actor: { ...actor, subject: this.pseudonym(TOKEN_ISSUER, actor.subject) }, issuerName: 'development' };
    }
    const trusted = typeof iss === 'string' ? this.byIssuer.get(iss) : undefined;
    if (!trusted) {
      const known = this.config.OIDC_ISSUERS.map((i) => i.issuer).join(', ') || 'none configured';
      throw new InvalidTokenError(
        `The bearer token's issuer (iss) ${JSON.stringify(iss ?? null)} is not one this API trusts (${known}); ${SIGN_IN_HELP}`,
      );
    }
    const issuer = trusted.config;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header, jws) => this.keysOf(trusted).then((keys) => keys(header, jws)), {
        algorithms: ASYMMETRIC_ALGORITHMS,
        issuer: issuer.issuer,
        audience: issuer.audience,
        requiredClaims: ['iss', 'aud', 'exp', 'sub', 'iat'],
        maxTokenAge: issuer.maxTokenAgeSeconds,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        ...(now ? { currentDate: now } : {}),
      }));
    } catch (error) {
      throw this.refusalOf(error, issuer, alg);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new InvalidTokenError(`The bearer token has no subject (sub); ${SIGN_IN_HELP}`);
    }
    const claims = actorClaimsOf(issuer, payload);
    if ('refusal' in claims) throw new InvalidTokenError(claims.refusal);
    return {
      actor: {
        subject: this.pseudonym(issuer.issuer, payload.sub),
        organisation: claims.organisation,
        role: claims.role,
      },
      issuerName: issuer.name,
    };
  }

  pseudonym(issuer: string, sub: string): string {
    return subjectPseudonym(this.config.SUBJECT_PSEUDONYM_KEY, issuer, sub);
  }

  /** The issuer's keys: discovered once, then jose keeps them and refetches for an unknown kid. */
  private keysOf(trusted: TrustedIssuer): Promise<JWTVerifyGetKey> {
    trusted.keys ??= discoverKeys(trusted.config).catch((error: unknown) => {
      // Not cached: the next request tries again, so a provider that was down is found once it is back.
      trusted.keys = undefined;
      throw error;
    });
    return trusted.keys;
  }

  private refusalOf(error: unknown, issuer: TrustedIssuerConfig, alg: unknown): Error {
    if (error instanceof IssuerUnavailableError || error instanceof errors.JWKSTimeout) {
      return new IssuerUnavailableError(
        `The identity provider ${issuer.issuer} could not be reached to check the token's signature; retry in a moment`,
      );
    }
    if (!(error instanceof errors.JOSEError)) {
      // fetch's network errors: the issuer is down, the token may be fine.
      if (error instanceof TypeError) {
        return new IssuerUnavailableError(
          `The identity provider ${issuer.issuer} could not be reached to check the token's signature (${error.message}); retry in a moment`,
        );
      }
      return error as Error;
    }
    const from = `from ${issuer.issuer}`;
    // jose reports an iat past maxTokenAge as expired too.
    if (error instanceof errors.JWTExpired && error.claim === 'iat') {
      return new InvalidTokenError(
        `The bearer token ${from} was issued more than ${issuer.maxTokenAgeSeconds} seconds ago, longer than this API accepts; get a fresh one: ${SIGN_IN_HELP}`,
      );
    }
    if (error instanceof errors.JWTExpired) {
      const exp = error.payload.exp;
      const when = typeof exp === 'number' ? ` at ${new Date(exp * 1000).toISOString()}` : '';
      return new InvalidTokenError(`The bearer token expired${when}; get a new one: ${SIGN_IN_HELP}`);
    }
    if (error instanceof errors.JOSEAlgNotAllowed) {
      return new InvalidTokenError(
        `The bearer token ${from} is signed with alg ${JSON.stringify(alg ?? null)}; this issuer's tokens must be signed with one of its published asymmetric keys (${ASYMMETRIC_ALGORITHMS.join(', ')}), never "none" or a shared secret; ${SIGN_IN_HELP}`,
      );
    }
    if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
      return new InvalidTokenError(
        `The bearer token ${from} names a signing key (kid) the issuer does not publish (or no unique one); the key may have been withdrawn: get a new token: ${SIGN_IN_HELP}`,
      );
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return new InvalidTokenError(
        `The bearer token's signature does not verify with the key ${issuer.issuer} publishes for it; ${SIGN_IN_HELP}`,
      );
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'aud') {
        return new InvalidTokenError(
          `The bearer token ${from} is not meant for this API: its audience (aud) must be "${issuer.audience}"; ask the provider for a token for that audience (resource)`,
        );
      }
      if (error.reason === 'missing') {
        return new InvalidTokenError(
          `The bearer token ${from} has no ${error.claim} claim, and tokens need iss, aud, exp, sub and iat; ${SIGN_IN_HELP}`,
        );
      }
      return new InvalidTokenError(
        `The bearer token's ${error.claim} claim is not valid (${error.message}); ${SIGN_IN_HELP}`,
      );
    }
    return new InvalidTokenError(
      `The bearer token ${from} is not a valid signed JWT (${error.message}); ${SIGN_IN_HELP}`,
    );
  }
}

/** Discovery (OpenID Connect Discovery 1.0 §4): the issuer's metadata names its JWKS. */
async function discoverKeys(issuer: TrustedIssuerConfig): Promise<JWTVerifyGetKey> {
  const url = `${issuer.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let metadata: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(ISSUER_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    metadata = (await response.json()) as typeof metadata;
  } catch (error) {
    throw new IssuerUnavailableError(`discovery at ${url} failed: ${(error as Error).message}`);
  }
  // §4.3: the metadata must name the very issuer it was fetched for, or it is someone else's.
  if (metadata.issuer !== issuer.issuer || typeof metadata.jwks_uri !== 'string') {
    throw new IssuerUnavailableError(`discovery at ${url} does not describe issuer ${issuer.issuer} with a jwks_uri`);
  }
  return createRemoteJWKSet(new URL(metadata.jwks_uri), {
    timeoutDuration: ISSUER_TIMEOUT_MS,
    cooldownDuration: issuer.jwksCooldownSeconds * 1000,
    cacheMaxAge: issuer.jwksMaxAgeSeconds * 1000,
  });
}
