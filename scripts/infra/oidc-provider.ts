/**
 * The embedded development OpenID Provider (panva's oidc-provider), as `npm start`, `npm test`
 * and the tests run it: one process (oidc-provider-host.ts) on 127.0.0.1, with
 * - a demo user `<role>@<organisation-id>` for every organisation of the directory and every
 *   role, password `demo` (browser sign-in, authorization code + PKCE);
 * - a client-credentials client of the same name and secret for each, standing for a system of
 *   that organisation acting in that role (`npm run token`, the tests);
 * - the API's own sign-in client (`warm-handover-web`).
 * Access tokens are JWTs (RFC 9068) for the API's audience, with the organisation in `org` and
 * the role in `roles`, signed RS256 with a key the provider publishes and can rotate.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
// Relative imports: `npm test` loads this before the workspace packages are built.
import { ACTOR_ROLES, isActorRole } from '../../libs/domain/src/organisations/actor-roles';
import { findOrganisation, ORGANISATIONS } from '../../libs/domain/src/organisations/directory';
import type { TrustedIssuerConfig } from '../../libs/platform/src/trusted-issuers.config';

/** The password of every demo user and the secret of every demo client. Development only. */
export const DEMO_PASSWORD = 'demo';

/** The audience (RFC 8707 resource) of the API in the development provider's tokens. */
export const DEV_AUDIENCE = 'urn:warm-handover:api';

/** The API's sign-in client at the development provider. */
export const DEV_WEB_CLIENT = { clientId: 'warm-handover-web', clientSecret: 'dev-only-web-client-secret' } as const;

/**
 * An hour, as Entra ID's access tokens: long enough for the demo and a fault drill to use one
 * token throughout, no longer than the API's default bound on a token's age.
 */
export const DEV_ACCESS_TOKEN_TTL_SECONDS = 3600;

/** Where `npm start` runs the development provider; DEV_OIDC_PORT moves it. */
export const DEFAULT_DEV_OIDC_PORT = 3001;

/**
 * The issuer URL of the development provider that `npm start` or `npm test` runs: DEV_OIDC_ISSUER
 * (set by `npm test` for the tiers), else where `npm start` runs it.
 */
export function devOidcIssuer(): string {
  return process.env.DEV_OIDC_ISSUER || `http://localhost:${process.env.DEV_OIDC_PORT ?? DEFAULT_DEV_OIDC_PORT}`;
}

/** What the host process is started with. */
export interface OidcProviderSettings {
  readonly issuer: string;
  readonly host: string;
  readonly port: number;
  readonly audience: string;
  readonly demoIdentities: readonly string[];
  readonly webClient: { readonly clientId: string; readonly clientSecret: string; readonly redirectUris: string[] };
}

/** `<role>@<organisation-id>` for every organisation and role (inspector too: the API decides who may be one). */
export function demoIdentities(): string[] {
  return ORGANISATIONS.flatMap((o) => ACTOR_ROLES.map((role) => `${role}@${o.id}`));
}

export function parseDemoIdentity(id: string): { role: string; organisation: string } | undefined {
  const at = id.indexOf('@');
  const role = id.slice(0, at);
  const organisation = id.slice(at + 1);
  return at > 0 && isActorRole(role) && findOrganisation(organisation) ? { role, organisation } : undefined;
}

/** The OIDC_ISSUERS entry that makes the API trust the development provider at `issuer`. */
export function devIssuerEntry(issuer: string, overrides: Partial<TrustedIssuerConfig> = {}): TrustedIssuerConfig {
  return {
    name: 'dev-provider',
    issuer,
    audience: DEV_AUDIENCE,
    // Every organisation of the directory: development only ("*" is refused in production).
    organisations: '*',
    organisationClaim: 'org',
    roleClaim: 'roles',
    roles: Object.fromEntries(ACTOR_ROLES.map((r) => [r, r])),
    inspector: true,
    maxTokenAgeSeconds: 3600,
    jwksCooldownSeconds: 30,
    jwksMaxAgeSeconds: 600,
    login: { ...DEV_WEB_CLIENT, scope: 'openid api' },
    ...overrides,
  };
}

export interface OidcProvider {
  /** The issuer URL, as tokens carry it in `iss`. */
  readonly issuer: string;
  /** kid of the key that signs now. */
  readonly kid: string;
  /** A new key signs from now on; the old one stays published until retireOldKeys(). */
  rotateKeys(): Promise<string>;
  /** Publishes only the newest key: tokens signed by older ones are refused from now on. */
  retireOldKeys(): Promise<string>;
  /** Signs any claims with the current key (for tests of tokens a provider would not issue). */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the development provider on `port`, listening on 127.0.0.1; `issuerHost` is the host
 * name in its issuer URL (`localhost` where a person's browser signs in), `redirectUris` where
 * the API's sign-in client may be sent back to (`<PUBLIC_BASE_URL>/auth/callback`).
 */
export async function startOidcProvider(options: {
  readonly port: number;
  readonly issuerHost?: string;
  readonly redirectUris?: readonly string[];
  readonly log?: (line: string) => void;
}): Promise<OidcProvider> {
  const issuer = `http://${options.issuerHost ?? '127.0.0.1'}:${options.port}`;
  const settings: OidcProviderSettings = {
    issuer,
    host: '127.0.0.1',
    port: options.port,
    audience: DEV_AUDIENCE,
    demoIdentities: demoIdentities(),
    webClient: { ...DEV_WEB_CLIENT, redirectUris: [...(options.redirectUris ?? [])] },
  };
  const host = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'oidc-provider-host.ts'), JSON.stringify(settings)],
    { cwd: join(__dirname, '..', '..'), env: process.env, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const exited = once(host, 'exit');
  let stopping = false;
  void exited.then(([code, signal]) => {
    if (!stopping)
      options.log?.(`[oidc-provider] exited unexpectedly (code ${String(code)}, signal ${String(signal)})`);
  });
  const killOnExit = () => host.kill('SIGKILL');
  process.once('exit', killOnExit);
  createInterface({ input: host.stderr }).on('line', (line) => options.log?.(`[oidc-provider] ${line}`));
  const replies = createInterface({ input: host.stdout })[Symbol.asyncIterator]();
  let pending: Promise<unknown> = Promise.resolve();
  const reply = (what: string) =>
    replies.next().then((line) => {
      if (line.done) throw new Error(`the OpenID Provider exited before it answered ${what}`);
      const answer = JSON.parse(line.value) as { ok: boolean; kid?: string; token?: string; error?: string };
      if (!answer.ok) throw new Error(`the OpenID Provider could not ${what}: ${answer.error}`);
      return answer;
    });
  /** One command at a time: answers come back in order on one stream. */
  const command = <T>(line: string, what: string, pick: (a: { kid?: string; token?: string }) => T): Promise<T> => {
    const next = pending.then(() => {
      host.stdin.write(`${line}\n`);
      return reply(what).then(pick);
    });
    pending = next.catch(() => undefined);
    return next;
  };

  let kid: string;
  try {
    const timer = setTimeout(() => host.kill('SIGKILL'), 60_000);
    kid = (await reply('start')).kid!;
    clearTimeout(timer);
  } catch (error) {
    host.kill('SIGKILL');
    throw error;
  }
  return {
    issuer,
    get kid() {
      return kid;
    },
    rotateKeys: () => command('rotate', 'rotate its keys', (a) => (kid = a.kid!)),
    retireOldKeys: () => command('retire', 'retire its old keys', (a) => (kid = a.kid!)),
    sign: (claims, header) => command(`sign ${JSON.stringify({ claims, header })}`, 'sign', (a) => a.token!),
    async stop() {
      stopping = true;
      process.removeListener('exit', killOnExit);
      if (host.exitCode !== null || host.signalCode !== null) return;
      host.stdin.end();
      const timer = setTimeout(() => host.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const tokenEndpoints = new Map<string, Promise<string>>();

async function tokenEndpointOf(issuer: string): Promise<string> {
  let endpoint = tokenEndpoints.get(issuer);
  if (!endpoint) {
    endpoint = fetch(`${issuer}/.well-known/openid-configuration`)
      .then(async (r) => {
        if (!r.ok) throw new Error(`discovery at ${issuer} answered ${r.status}`);
        return ((await r.json()) as { token_endpoint: string }).token_endpoint;
      })
      .catch((error: unknown) => {
        tokenEndpoints.delete(issuer);
        throw error;
      });
    tokenEndpoints.set(issuer, endpoint);
  }
  return endpoint;
}

/**
 * An access token of the provider at `issuer` for the demo client `<role>@<organisation>`, by the
 * client-credentials grant (RFC 6749 §4.4), as an integrating system gets one.
 */
export async function clientCredentialsToken(
  issuer: string,
  clientId: string,
  clientSecret: string = DEMO_PASSWORD,
): Promise<string> {
  const response = await fetch(await tokenEndpointOf(issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!response.ok || !body.access_token) {
    throw new Error(
      `the OpenID Provider at ${issuer} refused a token for ${clientId}: ${body.error ?? response.status} ${body.error_description ?? ''}`.trim(),
    );
  }
  return body.access_token;
}
