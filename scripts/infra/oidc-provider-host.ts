/**
 * The embedded development OpenID Provider: panva's oidc-provider (certified), in a process of
 * its own because it is an ES module that Jest's CommonJS runtime cannot load (see
 * scripts/infra/oidc-provider.ts, which starts and drives it).
 *
 * `tsx scripts/infra/oidc-provider-host.ts '<settings JSON>'` listens and prints one JSON line;
 * then each line on stdin is a command answered by one JSON line:
 * - `rotate`: a new signing key signs from now on; the old one stays published, so tokens it
 *   signed stay valid until they expire (what a real provider does at rotation);
 * - `retire`: only the newest key stays published (tokens of older keys are refused from now on);
 * - `sign <claims JSON>`: signs the claims with the current key (tests build tokens a real provider
 *   would never issue: expired, for another audience, without iat). Never reachable over HTTP.
 * When stdin closes (its parent ended) it exits, so no provider outlives a test.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID, type JsonWebKey } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider' with { 'resolution-mode': 'import' };
import {
  DEMO_PASSWORD,
  DEV_ACCESS_TOKEN_TTL_SECONDS,
  type OidcProviderSettings,
  parseDemoIdentity,
} from './oidc-provider';

type Reply = { ok: true; issuer: string; kid: string; token?: string } | { ok: false; error: string };

function reply(message: Reply): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

type PrivateJwk = JsonWebKey & { kid: string; alg: string; use: string };

function newSigningKey(): PrivateJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function loginPage(uid: string, clientId: string, error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in (development provider)</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#a00}</style></head>
<body><h1>Sign in</h1><p>Development identity provider of warm-handover, for <code>${escape(clientId)}</code>.
Users are <code>&lt;role&gt;@&lt;organisation-id&gt;</code>, e.g. <code>team-lead@vt-amsterdam-amstelland</code>; the password is <code>${DEMO_PASSWORD}</code>.</p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="username">User</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></body></html>`;
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8').slice(0, 4096));
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '') as OidcProviderSettings;
  const { default: Provider } = await import('oidc-provider');
  const keys: PrivateJwk[] = [newSigningKey()];
  const cookieKeys = [randomBytes(32).toString('base64url')];

  const clients: Configuration['clients'] = [
    ...settings.demoIdentities.map((id) => ({
      client_id: id,
      client_secret: DEMO_PASSWORD,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_post' as const,
    })),
    {
      client_id: settings.webClient.clientId,
      client_secret: settings.webClient.clientSecret,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: settings.webClient.redirectUris,
      token_endpoint_auth_method: 'client_secret_basic' as const,
    },
  ];
  const known = new Set(settings.demoIdentities);

  const configuration = (): Configuration => ({
    clients,
    jwks: { keys: keys.map((k) => ({ ...k })) },
    cookies: { keys: cookieKeys },
    findAccount: (_ctx, id) => (known.has(id) ? { accountId: id, claims: () => ({ sub: id }) } : undefined),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Every token is for the API: it is the only resource server here.
        defaultResource: () => settings.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: settings.audience,
          accessTokenTTL: DEV_ACCESS_TOKEN_TTL_SECONDS,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    // The organisation and role of a demo user or client, as an organisation's provider would
    // put them in its tokens (cf. Entra ID's app roles in `roles`).
    extraTokenClaims: (_ctx, token) => {
      const id = 'accountId' in token && typeof token.accountId === 'string' ? token.accountId : token.clientId;
      const identity = id === undefined ? undefined : parseDemoIdentity(id);
      return identity ? { org: identity.organisation, roles: [identity.role] } : undefined;
    },
    // The API is this provider's own first-party client: no consent screen, everything granted.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { Grant } = ctx.oidc.provider;
      const clientId = ctx.oidc.client!.clientId;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(clientId);
      const existing = grantId ? await Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new Grant({ clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid');
      grant.addResourceScope(settings.audience, 'api');
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true, methods: ['S256'] },
    ttl: {
      AccessToken: DEV_ACCESS_TOKEN_TTL_SECONDS,
      ClientCredentials: DEV_ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Sign-in error</title><h1>Sign-in error</h1><pre>${escape(JSON.stringify(out, null, 2))}</pre>`;
    },
  });

  const build = () => {
    const provider = new Provider(settings.issuer, configuration());
    // Behind nothing: the issuer URL is what the process listens on (http in development).
    provider.proxy = false;
    return provider;
  };
  let provider = build();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    const clientId = typeof details.params.client_id === 'string' ? details.params.client_id : '';
    if (req.method === 'GET' && action === undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(loginPage(uid, clientId));
      return;
    }
    if (req.method === 'POST' && action === 'login') {
      const form = await formOf(req);
      const username = form.get('username') ?? '';
      if (!known.has(username) || form.get('password') !== DEMO_PASSWORD) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(loginPage(uid, clientId, 'Unknown user or wrong password.'));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: username } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    res.writeHead(404).end();
  };

  const server = createServer((req, res) => {
    const match = /^\/interaction\/([^/?]+)(?:\/([a-z]+))?/.exec(req.url ?? '');
    if (match) {
      interaction(req, res, match[1]!, match[2]).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`Sign-in failed: ${(error as Error).message}. Start again from the application.`);
      });
      return;
    }
    void provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(settings.port, settings.host, resolve));
  reply({ ok: true, issuer: settings.issuer, kid: keys[0]!.kid });

  for await (const line of createInterface({ input: process.stdin })) {
    try {
      const [command, ...rest] = line.split(' ');
      if (command === 'rotate') {
        keys.unshift(newSigningKey());
        provider = build();
        reply({ ok: true, issuer: settings.issuer, kid: keys[0]!.kid });
      } else if (command === 'retire') {
        keys.splice(1);
        provider = build();
        reply({ ok: true, issuer: settings.issuer, kid: keys[0]!.kid });
      } else if (command === 'sign') {
        const { SignJWT } = await import('jose');
        const { header, claims } = JSON.parse(rest.join(' ')) as {
          header?: Record<string, unknown>;
          claims: Record<string, unknown>;
        };
        const key = keys[0]!;
        const token = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt', ...header })
          .sign(createPrivateKey({ key, format: 'jwk' }));
        reply({ ok: true, issuer: settings.issuer, kid: key.kid, token });
      } else {
        throw new Error(`unknown command ${JSON.stringify(line)}; expected rotate, retire or sign`);
      }
    } catch (error) {
      reply({ ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  server.closeAllConnections();
  server.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  },
);
