import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Controller, type DynamicModule, Get, type INestApplication, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@warm-handover/platform';
import { AccessTokenVerifier } from '../auth/access-token.verifier';
import { BearerTokenGuard } from '../auth/bearer-token.guard';
import { Public } from '../auth/public.decorator';
import { signToken } from '../auth/tokens';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { securityHeaders } from '../http/security-headers';
import { AddressRateLimitGuard, rateLimitOptions, SubjectRateLimitGuard } from './rate-limit';

const SECRET = 'test-secret-of-at-least-thirty-two-characters';

@Controller('things')
class ThingsController {
  @Get()
  list(): string[] {
    return [];
  }

  @Public()
  @Get('page')
  page(): string {
    return '<!doctype html><title>page</title><p>hello</p>';
  }
}

@Module({})
class AbuseTestModule {
  static with(limits: { perAddress: number; perSubject: number }): DynamicModule {
    const config = {
      NODE_ENV: 'test',
      JWT_SECRET: SECRET,
      OIDC_ISSUERS: [],
      SUBJECT_PSEUDONYM_KEY: SECRET,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      RATE_LIMIT_PER_ADDRESS: limits.perAddress,
      RATE_LIMIT_PER_SUBJECT: limits.perSubject,
    } as unknown as AppConfig;
    return {
      module: AbuseTestModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: { level: 'silent' } }),
        ThrottlerModule.forRoot(rateLimitOptions(config)),
      ],
      controllers: [ThingsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        AccessTokenVerifier,
        { provide: APP_GUARD, useClass: AddressRateLimitGuard },
        { provide: APP_GUARD, useClass: BearerTokenGuard },
        { provide: APP_GUARD, useClass: SubjectRateLimitGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}

async function start(limits: { perAddress: number; perSubject: number }): Promise<[INestApplication, string]> {
  const app = await NestFactory.create(AbuseTestModule.with(limits), { logger: false });
  app.use(securityHeaders());
  await app.listen(0, '127.0.0.1');
  return [app, `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`];
}

const tokenOf = (subject: string) =>
  signToken({ subject, organisation: 'vt-kennemerland', role: 'professional' }, SECRET, 600);

describe('rate limits per subject and per address, and security headers', () => {
  const apps: INestApplication[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('given a subject limit of 3, when one subject sends a 4th request, then 429 problem details with Retry-After, and another subject is still served', async () => {
    const [app, base] = await start({ perAddress: 1000, perSubject: 3 });
    apps.push(app);
    const [alice, bob] = await Promise.all([tokenOf('alice'), tokenOf('bob')]);
    const get = (token: string) => fetch(`${base}/things`, { headers: { authorization: `Bearer ${token}` } });

    for (let i = 0; i < 3; i++) expect((await get(alice)).status).toBe(200);
    const refused = await get(alice);

    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await refused.json()).toMatchObject({
      type: '/problems/too-many-requests',
      status: 429,
      detail: expect.stringMatching(/More than 3 requests in 60 seconds from you; wait \d+ seconds/),
    });
    expect((await get(bob)).status).toBe(200);
  });

  it('given an address limit of 5, when that address sends a 6th request, even without a token, then 429 before sign-in is checked', async () => {
    const [app, base] = await start({ perAddress: 5, perSubject: 1000 });
    apps.push(app);

    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${base}/things`)).status);
    const refused = await fetch(`${base}/things/page`);

    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ detail: expect.stringContaining('from this address') });
  });

  it('given an HTML page, when fetched, then a strict CSP forbids scripts and framing, and X-Frame-Options is DENY', async () => {
    const [app, base] = await start({ perAddress: 1000, perSubject: 1000 });
    apps.push(app);

    const page = await fetch(`${base}/things/page`);

    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
