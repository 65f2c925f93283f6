import { createHmac } from 'node:crypto';
import { Controller, type DynamicModule, Get, type INestApplication, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { chromium } from 'playwright-core';
import { DataSource } from 'typeorm';
import type { Actor } from '@warm-handover/contracts';
import { SessionStore } from '@warm-handover/persistence';
import { APP_CONFIG, type AppConfig, type TrustedIssuerConfig } from '@warm-handover/platform';
import {
  clientCredentialsToken,
  devIssuerEntry,
  freePort,
  type OidcProvider,
  startOidcProvider,
} from '@warm-handover/infra';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { CHROMIUM_ARGS } from '../reports/chromium';
import { AccessTokenVerifier } from './access-token.verifier';
import { AuthController } from './auth.controller';
import { BearerTokenGuard } from './bearer-token.guard';
import { BrowserSessions } from './browser-sessions';
import { CurrentActor } from './current-actor.decorator';
import { subjectPseudonym } from './subject-pseudonym';
import { issuerDirectoryProblems } from './trusted-issuers';

const PSEUDONYM_KEY = 'int-spec-pseudonym-key-of-at-least-thirty-two-characters';
const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';
const IGJ = 'inspectie-gezondheidszorg-en-jeugd';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

@Controller('whoami')
class WhoAmIController {
  @Get()
  whoami(@CurrentActor() actor: Actor): Actor {
    return actor;
  }
}

/** The auth part of the API as it runs: real guard, sessions in PostgreSQL, problem details. */
@Module({})
class AuthApiModule {
  static with(dataSource: DataSource, config: AppConfig): DynamicModule {
    return {
      module: AuthApiModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: 'silent' } })],
      controllers: [AuthController, WhoAmIController],
      providers: [
        { provide: DataSource, useValue: dataSource },
        { provide: APP_CONFIG, useValue: config },
        { provide: SessionStore, useValue: new SessionStore(dataSource) },
        AccessTokenVerifier,
        BrowserSessions,
        { provide: APP_GUARD, useClass: BearerTokenGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}

describe('sign-in through the organisations’ own OpenID Providers (real oidc-provider, real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;
  /** The development provider: speaks for every organisation, may issue inspector, signs browsers in. */
  let dev: OidcProvider;
  /** Stands for Veilig Thuis Kennemerland's own provider (its Entra ID tenant): that organisation only. */
  let kennemerland: OidcProvider;
  let issuers: TrustedIssuerConfig[];
  /** Configured, but nothing answers there. */
  let downIssuer: string;

  beforeAll(async () => {
    db = await createTestDatabase('wh_oidc');
    const [apiPort, devPort, kenPort, downPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    downIssuer = `http://127.0.0.1:${downPort}`;
    base = `http://localhost:${apiPort}`;
    [dev, kennemerland] = await Promise.all([
      startOidcProvider({ port: devPort, redirectUris: [`${base}/auth/callback`] }),
      startOidcProvider({ port: kenPort }),
    ]);
    issuers = [
      // No cooldown: the rotation test asks for a new kid right after the provider rotated; and
      // the keys are fetched again after a second, so a withdrawn key is refused within the test.
      devIssuerEntry(dev.issuer, { jwksCooldownSeconds: 0, jwksMaxAgeSeconds: 1 }),
      devIssuerEntry(kennemerland.issuer, {
        name: 'vt-kennemerland-idp',
        organisations: [KEN],
        inspector: false,
        roles: { professional: 'professional', 'team-lead': 'team-lead', manager: 'manager', director: 'director' },
        login: undefined,
      }),
      devIssuerEntry(downIssuer, { name: 'down', login: undefined }),
    ];
    const config = {
      NODE_ENV: 'test',
      JWT_SECRET: 'unused-development-secret-of-thirty-two-chars',
      OIDC_ISSUERS: issuers,
      SUBJECT_PSEUDONYM_KEY: PSEUDONYM_KEY,
      PUBLIC_BASE_URL: base,
    } as unknown as AppConfig;
    app = await NestFactory.create(AuthApiModule.with(db.dataSource, config), { logger: false });
    await app.listen(apiPort);
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([dev?.stop(), kennemerland?.stop()]);
    await db?.drop();
  });

  async function get(path: string, token?: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${base}${path}`, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      redirect: 'manual',
    });
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, body };
  }

  /** A refusal: 401 problem details whose detail matches. */
  async function expectRefused(token: string, detail: RegExp): Promise<void> {
    const answer = await get('/whoami', token);
    expect({ status: answer.status, type: answer.type, detail: answer.body?.detail }).toEqual({
      status: 401,
      type: expect.stringMatching(/^application\/problem\+json/),
      detail: expect.stringMatching(detail),
    });
  }

  const now = () => Math.floor(Date.now() / 1000);
  const claimsFor = (issuer: string, extra: Record<string, unknown> = {}) => ({
    iss: issuer,
    aud: devIssuerEntry(issuer).audience,
    sub: `team-lead@${KEN}`,
    org: KEN,
    roles: ['team-lead'],
    iat: now(),
    exp: now() + 600,
    ...extra,
  });
  const unsigned = (header: object, claims: object) =>
    `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;

  describe('client credentials (integrating systems)', () => {
    it('given a token of the development provider for a team lead of Kennemerland, when it calls the API, then the actor is that organisation and role with a pseudonymous subject', async () => {
      const token = await clientCredentialsToken(dev.issuer, `team-lead@${KEN}`);

      const answer = await get('/whoami', token);

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        subject: subjectPseudonym(PSEUDONYM_KEY, dev.issuer, `team-lead@${KEN}`),
        organisation: KEN,
        role: 'team-lead',
      });
      expect(answer.body.subject).toMatch(/^ps-[A-Za-z0-9_-]{22}$/);
      expect(JSON.stringify(answer.body)).not.toContain('team-lead@');
      // A keyed HMAC: without the key, hashing the account name does not find the person.
      const unkeyed = createHmac('sha256', '').update(`${dev.issuer}\nteam-lead@${KEN}`).digest('base64url');
      expect(answer.body.subject).not.toContain(unkeyed.slice(0, 22));
    });

    it('given the same sub from two issuers, when each calls, then the pseudonyms differ', async () => {
      const fromDev = await get('/whoami', await clientCredentialsToken(dev.issuer, `professional@${KEN}`));
      const fromKen = await get('/whoami', await clientCredentialsToken(kennemerland.issuer, `professional@${KEN}`));

      expect([fromDev.status, fromKen.status]).toEqual([200, 200]);
      expect(fromDev.body.subject).not.toBe(fromKen.body.subject);
      expect(fromKen.body).toMatchObject({ organisation: KEN, role: 'professional' });
    });

    it('given a bearer token, when GET /auth/session is called, then it says who is signed in and that it came by bearer token', async () => {
      const answer = await get('/auth/session', await clientCredentialsToken(dev.issuer, `manager@${AMS}`));

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ organisation: AMS, role: 'manager', via: 'bearer-token' });
    });
  });

  describe('an issuer speaks for its own organisations only', () => {
    it('given Kennemerland’s provider, when its token claims Amsterdam-Amstelland, then 401 says it speaks for Kennemerland only', async () => {
      const token = await clientCredentialsToken(kennemerland.issuer, `professional@${AMS}`);

      await expectRefused(token, /speaks for vt-kennemerland only, and the token claims "vt-amsterdam-amstelland"/);
    });

    it('given Kennemerland’s provider, when its token claims inspector, then 401: this issuer may not issue inspector', async () => {
      await expectRefused(
        await clientCredentialsToken(kennemerland.issuer, `inspector@${KEN}`),
        /holds none of the values this API maps to a role/,
      );
    });

    it('given a provider that may issue inspector, when its token claims inspector for a Veilig Thuis region, then 401: inspectors belong to inspectorates', async () => {
      await expectRefused(
        await clientCredentialsToken(dev.issuer, `inspector@${KEN}`),
        /inspector role belongs to inspectorates only, and Veilig Thuis Kennemerland \(vt-kennemerland\) is a veilig-thuis organisation/,
      );
      const inspectorate = await get('/whoami', await clientCredentialsToken(dev.issuer, `inspector@${IGJ}`));
      expect(inspectorate.body).toMatchObject({ organisation: IGJ, role: 'inspector' });
    });

    it('given an issuer entry for a Veilig Thuis region with inspector true, when the API starts, then the configuration names the entry', () => {
      expect(
        issuerDirectoryProblems([
          { ...issuers[1]!, inspector: true },
          devIssuerEntry('http://x', { organisations: ['vt-atlantis'] }),
        ]),
      ).toEqual([
        expect.stringMatching(
          /^OIDC_ISSUERS entry 1 \("vt-kennemerland-idp"\): inspector is true but it speaks for no inspectorate/,
        ),
        'OIDC_ISSUERS entry 2 ("dev-provider"): organisation "vt-atlantis" is not in the organisations directory (GET /organisations lists the ids)',
        expect.stringMatching(
          /^OIDC_ISSUERS entry 2 \("dev-provider"\): inspector is true but it speaks for no inspectorate/,
        ),
      ]);
    });
  });

  describe('refusals: each a 401 problem saying what to do, never a 500', () => {
    it('given alg none, when called, then 401 says tokens must be signed with the issuer’s asymmetric keys', async () => {
      await expectRefused(
        `${unsigned({ alg: 'none', typ: 'JWT' }, claimsFor(dev.issuer))}.`,
        /alg "none".*never "none" or a shared secret/,
      );
    });

    it('given an HS256 token carrying a trusted issuer (signed with its public key as the secret), when called, then 401', async () => {
      const jwks = (await (await fetch(`${dev.issuer}/jwks`)).json()) as { keys: { n: string }[] };
      const input = unsigned({ alg: 'HS256', typ: 'JWT' }, claimsFor(dev.issuer));
      const mac = createHmac('sha256', jwks.keys[0]!.n).update(input).digest('base64url');

      await expectRefused(`${input}.${mac}`, /signed with alg "HS256".*asymmetric keys/);
    });

    it('given a kid the issuer does not publish, when called, then 401 says the key is not published and to get a new token', async () => {
      await expectRefused(
        await dev.sign(claimsFor(dev.issuer), { kid: 'withdrawn-key' }),
        /names a signing key \(kid\) the issuer does not publish/,
      );
    });

    it('given a token for another audience, when called, then 401 names the audience the API requires', async () => {
      await expectRefused(
        await dev.sign(claimsFor(dev.issuer, { aud: 'urn:some-other:api' })),
        /is not meant for this API: its audience \(aud\) must be "urn:warm-handover:api"/,
      );
    });

    it('given an expired token, when called, then 401 says when it expired and how to get a new one', async () => {
      await expectRefused(
        await dev.sign(claimsFor(dev.issuer, { iat: now() - 1200, exp: now() - 600 })),
        /^The bearer token expired at .*get a new one/,
      );
    });

    it('given a token without iat, or issued longer ago than the bound, when called, then 401', async () => {
      await expectRefused(
        await dev.sign(claimsFor(dev.issuer, { iat: undefined })),
        /has no iat claim, and tokens need iss, aud, exp, sub and iat/,
      );
      await expectRefused(
        await dev.sign(claimsFor(dev.issuer, { iat: now() - 7200, exp: now() + 600 })),
        /was issued more than 3600 seconds ago/,
      );
    });

    it('given a token without sub or of an issuer nobody configured, when called, then 401', async () => {
      await expectRefused(await dev.sign(claimsFor(dev.issuer, { sub: undefined })), /has no sub claim/);
      await expectRefused(
        await dev.sign(claimsFor('https://login.example/tenant')),
        /issuer \(iss\) "https:\/\/login.example\/tenant" is not one this API trusts/,
      );
    });

    it('given a token of a configured issuer that cannot be reached, when called, then 503 says to retry (the token may be fine)', async () => {
      const answer = await get('/whoami', await dev.sign(claimsFor(downIssuer)));

      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({
        type: '/problems/identity-provider-unavailable',
        detail: expect.stringMatching(/could not be reached to check the token's signature.*retry in a moment/),
      });
    });

    it('given garbage for a token, when called, then 401 says it is not a JWT', async () => {
      await expectRefused('not-a-jwt', /is not a JWT/);
    });
  });

  describe('key rotation', () => {
    it('given a token signed before the provider rotated its key, when the new key signs, then both are accepted without restarting the API, and the old one is refused once the key is withdrawn (after the JWKS max age)', async () => {
      const before = await clientCredentialsToken(dev.issuer, `professional@${AMS}`);
      expect((await get('/whoami', before)).status).toBe(200);
      const oldKid = dev.kid;

      const newKid = await dev.rotateKeys();
      const after = await clientCredentialsToken(dev.issuer, `professional@${AMS}`);

      expect(newKid).not.toBe(oldKid);
      expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString())).toMatchObject({ kid: newKid });
      expect((await get('/whoami', after)).status).toBe(200);
      expect((await get('/whoami', before)).status).toBe(200);

      await dev.retireOldKeys();
      await new Promise((resolve) => setTimeout(resolve, 1_100));

      await expectRefused(before, /names a signing key \(kid\) the issuer does not publish/);
      expect((await get('/whoami', after)).status).toBe(200);
    });
  });

  describe('browser sign-in: authorization code + PKCE, server-side session', () => {
    it('given returnTo outside the API, when sign-in starts, then 400 (no open redirect)', async () => {
      const answer = await get(`/auth/login?returnTo=${encodeURIComponent('//evil.example/x')}`);
      expect(answer.status).toBe(400);
      expect(answer.body.detail).toMatch(/returnTo must be a path of this API/);
    });

    it('given a callback this browser did not start, when it arrives, then 401 says to start again', async () => {
      const answer = await get('/auth/callback?code=abc&state=0123456789abcdef0123456789abcdef0123');
      expect(answer.status).toBe(401);
      expect(answer.body.detail).toMatch(/not started in this browser.*GET \/auth\/login/);
    });

    it('given a team lead in Chromium, when she signs in at the development provider, then the API holds a session, the browser holds only an HttpOnly cookie, and logout ends it', async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
      try {
        const context = await browser.newContext();
        const page = await context.newPage();
        const authorizeRequests: URL[] = [];
        page.on('request', (request) => {
          const url = new URL(request.url());
          if (url.origin === dev.issuer && url.pathname === '/auth') authorizeRequests.push(url);
        });

        await page.goto(`${base}/auth/login?returnTo=${encodeURIComponent('/auth/session')}`);
        expect(new URL(page.url()).origin).toBe(dev.issuer);
        await page.fill('#username', `team-lead@${AMS}`);
        await page.fill('#password', 'wrong');
        await page.click('button[type=submit]');
        await expect(page.textContent('[role=alert]')).resolves.toMatch(/Unknown user or wrong password/);
        await page.fill('#username', `team-lead@${AMS}`);
        await page.fill('#password', 'demo');
        await Promise.all([page.waitForURL(`${base}/auth/session`), page.click('button[type=submit]')]);

        const session = JSON.parse((await page.textContent('body')) ?? '') as Record<string, string>;
        expect(session).toMatchObject({
          subject: subjectPseudonym(PSEUDONYM_KEY, dev.issuer, `team-lead@${AMS}`),
          organisation: AMS,
          role: 'team-lead',
          via: 'session',
        });

        const [authorize] = authorizeRequests;
        expect(authorize?.searchParams.get('response_type')).toBe('code');
        expect(authorize?.searchParams.get('code_challenge_method')).toBe('S256');
        expect(authorize?.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(authorize?.searchParams.get('state')).toBeTruthy();
        expect(authorize?.searchParams.get('nonce')).toBeTruthy();

        const cookies = await context.cookies(base);
        expect(cookies.map((c) => c.name)).toEqual(['wh_session']);
        expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
        // Nothing the page can reach holds a token: no JWT in cookies or storage.
        expect(cookies[0]!.value).not.toMatch(/^eyJ/);
        const storage = String(
          await page.evaluate('JSON.stringify({ ...localStorage, ...sessionStorage, c: document.cookie })'),
        );
        expect(storage).not.toMatch(/eyJ/);
        expect(storage).not.toContain('wh_session');
        // Only a hash of the cookie is stored, with the pseudonymous actor.
        const rows: { subject: string; organisation: string }[] = await db.dataSource.query(
          'SELECT subject, organisation, encode(id_hash, $1) AS id FROM sessions',
          ['base64'],
        );
        expect(rows).toEqual([expect.objectContaining({ subject: session.subject, organisation: AMS })]);
        expect(JSON.stringify(rows)).not.toContain(cookies[0]!.value);

        const whoami = await page.request.get(`${base}/whoami`);
        expect(await whoami.json()).toMatchObject({ organisation: AMS, role: 'team-lead' });

        const logout = await page.request.post(`${base}/auth/logout`);
        expect(logout.status()).toBe(204);
        expect(await context.cookies(base)).toEqual([]);
        expect(await db.dataSource.query('SELECT 1 FROM sessions')).toEqual([]);

        // A copy of the old cookie signs nobody in any more.
        const replay = await get('/auth/session', undefined, { cookie: `wh_session=${cookies[0]!.value}` });
        expect(replay.status).toBe(401);
        expect(replay.body.detail).toMatch(/Your session has ended.*GET \/auth\/login/);
      } finally {
        await browser.close();
      }
    });
  });
});
