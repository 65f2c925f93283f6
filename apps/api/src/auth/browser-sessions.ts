import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type Client, generators, Issuer, errors as oidcErrors } from 'openid-client';
import { type Session, SessionStore } from '@warm-handover/persistence';
import { APP_CONFIG, type AppConfig, type TrustedIssuerConfig } from '@warm-handover/platform';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { AccessTokenVerifier, IssuerUnavailableError } from './access-token.verifier';
import { InvalidTokenError } from './tokens';

/** The cookie that holds a session id: opaque, HttpOnly, never a token. */
export const SESSION_COOKIE = 'wh_session';
/** Binds a sign-in under way to the browser that started it (login CSRF). */
const LOGIN_COOKIE = 'wh_login';

/** A working day, and half an hour without a request: a caseworker's screen left open is not a session for the next person. */
export const SESSION_LIMITS = { absoluteSeconds: 8 * 60 * 60, idleSeconds: 30 * 60 } as const;
/** Time to type a password (and a second factor at a real provider). */
const LOGIN_TTL_SECONDS = 10 * 60;

function refused(detail: string, status = 401): ProblemException {
  return new ProblemException({
    type: problemType(status === 401 ? 'unauthenticated' : 'bad-request'),
    title: status === 401 ? 'Sign-in failed' : 'The request is not valid',
    status,
    detail,
  });
}

/** The cookies of a request, parsed by hand: two names are all the API reads. */
export function cookieOf(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Browser sign-in per the NL GOV Assurance profile for OpenID Connect: authorization code flow
 * with PKCE (S256), state and nonce (openid-client does the protocol). The access token the
 * provider returns is verified like any bearer token and then forgotten: the browser gets only
 * an opaque session cookie (HttpOnly, SameSite=Lax, Secure outside development), the session
 * lives in PostgreSQL as the pseudonymous actor, and logout deletes it.
 */
@Injectable()
export class BrowserSessions {
  private readonly clients = new Map<string, Promise<Client>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly verifier: AccessTokenVerifier,
    private readonly store: SessionStore,
  ) {}

  private get redirectUri(): string {
    return `${this.config.PUBLIC_BASE_URL}/auth/callback`;
  }

  private get secure(): boolean {
    return this.config.NODE_ENV !== 'development';
  }

  /** Where to send the browser to sign in, having remembered what the callback must check. */
  async startLogin(response: Response, { issuer, returnTo }: { issuer?: string; returnTo?: string }): Promise<string> {
    const entry = this.loginIssuer(issuer);
    const target = safeReturnTo(returnTo);
    const client = await this.clientOf(entry);
    const state = generators.state();
    const nonce = generators.nonce();
    const codeVerifier = generators.codeVerifier();
    await this.store.saveLoginAttempt(
      { state, nonce, codeVerifier, issuerName: entry.name, returnTo: target },
      LOGIN_TTL_SECONDS,
    );
    response.cookie(LOGIN_COOKIE, state, {
      httpOnly: true,
      secure: this.secure,
      sameSite: 'lax',
      path: '/auth/callback',
      maxAge: LOGIN_TTL_SECONDS * 1000,
    });
    return client.authorizationUrl({
      scope: entry.login!.scope,
      redirect_uri: this.redirectUri,
      response_type: 'code',
      state,
      nonce,
      code_challenge: generators.codeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /** Finishes a sign-in: checks state, exchanges the code (PKCE), checks the ID token's nonce, starts the session. */
  async finishLogin(request: Request, response: Response): Promise<string> {
    const query = request.query as Record<string, unknown>;
    const params = Object.fromEntries(
      ['code', 'state', 'iss', 'error', 'error_description'].flatMap((k) =>
        typeof query[k] === 'string' ? [[k, query[k]]] : [],
      ),
    ) as Record<string, string>;
    const restart = 'start again at GET /auth/login';
    if (params.error) {
      throw refused(
        `The identity provider ended the sign-in: ${params.error}${params.error_description ? ` (${params.error_description})` : ''}; ${restart}`,
      );
    }
    const expected = cookieOf(request, LOGIN_COOKIE);
    if (!params.state || !expected || params.state !== expected) {
      throw refused(`This sign-in was not started in this browser (its state does not match); ${restart}`);
    }
    response.clearCookie(LOGIN_COOKIE, { path: '/auth/callback' });
    const attempt = await this.store.takeLoginAttempt(params.state);
    if (!attempt) throw refused(`This sign-in expired or was already used; ${restart}`);
    const entry = this.config.OIDC_ISSUERS.find((i) => i.name === attempt.issuerName && i.login);
    if (!entry) throw refused(`The identity provider of this sign-in is no longer configured; ${restart}`);

    const client = await this.clientOf(entry);
    let accessToken: string | undefined;
    let idSubject: string;
    try {
      const tokens = await client.callback(this.redirectUri, params, {
        state: attempt.state,
        nonce: attempt.nonce,
        code_verifier: attempt.codeVerifier,
        response_type: 'code',
      });
      accessToken = tokens.access_token;
      idSubject = tokens.claims().sub;
    } catch (error) {
      if (error instanceof oidcErrors.OPError || error instanceof oidcErrors.RPError) {
        throw refused(`The sign-in could not be completed (${error.message}); ${restart}`);
      }
      throw error;
    }
    if (!accessToken) throw refused(`The identity provider returned no access token; ${restart}`);
    let verified;
    try {
      verified = await this.verifier.verify(accessToken);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw refused(`Signed in, but ${lowerFirst(error.message)}`, 403);
      throw error;
    }
    if (this.verifier.pseudonym(entry.issuer, idSubject) !== verified.actor.subject) {
      throw refused(`The ID token and the access token name different subjects; ${restart}`);
    }
    const id = await this.store.create(verified.actor, entry.name, SESSION_LIMITS);
    response.cookie(SESSION_COOKIE, id, {
      httpOnly: true,
      secure: this.secure,
      sameSite: 'lax',
      path: '/',
      maxAge: SESSION_LIMITS.absoluteSeconds * 1000,
    });
    return attempt.returnTo;
  }

  /** The live session of a request's cookie, if any. */
  async sessionOf(request: Request): Promise<Session | undefined> {
    const id = cookieOf(request, SESSION_COOKIE);
    return id ? this.store.use(id, SESSION_LIMITS) : undefined;
  }

  /** Ends the request's session (if any) and clears its cookie. */
  async end(request: Request, response: Response): Promise<void> {
    const id = cookieOf(request, SESSION_COOKIE);
    if (id) await this.store.end(id);
    response.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure: this.secure, sameSite: 'lax' });
  }

  private loginIssuer(name: string | undefined): TrustedIssuerConfig {
    const candidates = this.config.OIDC_ISSUERS.filter((i) => i.login !== undefined);
    const names = candidates.map((i) => i.name).join(', ');
    if (candidates.length === 0) {
      throw refused('No identity provider is configured for browser sign-in (an OIDC_ISSUERS entry with "login")', 404);
    }
    const found =
      name === undefined && candidates.length === 1 ? candidates[0] : candidates.find((i) => i.name === name);
    if (!found) {
      throw refused(`Choose your organisation's identity provider with ?issuer=<name>, one of: ${names}`, 400);
    }
    return found;
  }

  private clientOf(entry: TrustedIssuerConfig): Promise<Client> {
    let client = this.clients.get(entry.name);
    if (!client) {
      client = Issuer.discover(entry.issuer)
        .then(
          (issuer) =>
            new issuer.Client({
              client_id: entry.login!.clientId,
              client_secret: entry.login!.clientSecret,
              redirect_uris: [this.redirectUri],
              response_types: ['code'],
            }),
        )
        .catch((error: unknown) => {
          this.clients.delete(entry.name);
          throw new IssuerUnavailableError(
            `The identity provider ${entry.issuer} could not be reached to sign in (${(error as Error).message}); retry in a moment`,
          );
        });
      this.clients.set(entry.name, client);
    }
    return client;
  }
}

/**
 * Where sign-in returns to: only a path of this API (an absolute URL, or `//host`, would make the
 * callback an open redirect), in printable ASCII as a URL path is (anything else percent-encoded),
 * or empty for the default. The OpenAPI document publishes this very pattern.
 */
export const RETURN_TO_PATTERN = '^(?:/(?:[!-.0-\\[\\]-~][!-~]*)?)?$';
/** Short enough that even a refused one, percent-encoded, fits Node's 16 KB request head (else a bare 431). */
export const RETURN_TO_MAX_LENGTH = 1000;
const RETURN_TO = new RegExp(RETURN_TO_PATTERN);

function safeReturnTo(returnTo: string | undefined): string {
  if (returnTo === undefined || returnTo === '') return '/auth/session';
  if (!RETURN_TO.test(returnTo) || returnTo.length > RETURN_TO_MAX_LENGTH) {
    throw refused('returnTo must be a path of this API starting with a single /, e.g. /cases/case-1/state', 400);
  }
  return returnTo;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
