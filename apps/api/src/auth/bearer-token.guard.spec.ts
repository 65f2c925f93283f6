import { type ArgumentsHost, Controller, type ExecutionContext, Get, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '@warm-handover/platform';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { BearerTokenGuard } from './bearer-token.guard';
import type { AuthenticatedRequest } from './current-actor.decorator';
import { Public } from './public.decorator';
import { AccessTokenVerifier } from './access-token.verifier';
import { subjectPseudonym } from './subject-pseudonym';
import { signToken, TOKEN_ISSUER } from './tokens';

const SECRET = 'test-secret-of-at-least-thirty-two-characters';
const HOUR = 60 * 60;

@Controller('cases')
class CasesController {
  @Get()
  list(): string[] {
    return [];
  }

  @Public()
  @Get('about')
  about(): string {
    return 'public';
  }
}

@Public()
@Controller('probe')
class ProbeController {
  @Get()
  check(): string {
    return 'ok';
  }
}

const PSEUDONYM_KEY = 'test-pseudonym-key-of-at-least-thirty-two-characters';
const guard = new BearerTokenGuard(
  new Reflector(),
  new AccessTokenVerifier({
    NODE_ENV: 'test',
    JWT_SECRET: SECRET,
    OIDC_ISSUERS: [],
    SUBJECT_PSEUDONYM_KEY: PSEUDONYM_KEY,
  } as unknown as AppConfig),
);

function contextFor(
  request: Partial<AuthenticatedRequest>,
  controller: abstract new () => object = CasesController,
  handler = 'list',
): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => controller,
    getHandler: () => (controller.prototype as Record<string, unknown>)[handler],
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}), getNext: () => undefined }),
  } as unknown as ExecutionContext;
}

function withAuthorization(authorization?: string): Partial<AuthenticatedRequest> {
  return { headers: authorization === undefined ? {} : { authorization } };
}

async function refusal(request: Partial<AuthenticatedRequest>): Promise<UnauthorizedException> {
  const error = await guard.canActivate(contextFor(request)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthorizedException);
  return error as UnauthorizedException;
}

describe('BearerTokenGuard', () => {
  it('given a valid development bearer token, when a route is called, then it passes and the request carries the actor with a pseudonymous subject', async () => {
    const token = await signToken(
      { subject: 'demo:politie-amsterdam:professional', organisation: 'politie-amsterdam', role: 'professional' },
      SECRET,
      HOUR,
    );
    const request = withAuthorization(`Bearer ${token}`);

    await expect(guard.canActivate(contextFor(request))).resolves.toBe(true);
    expect(request.actor).toEqual({
      subject: subjectPseudonym(PSEUDONYM_KEY, TOKEN_ISSUER, 'demo:politie-amsterdam:professional'),
      organisation: 'politie-amsterdam',
      role: 'professional',
    });
  });

  it('given no Authorization header, when a route is called, then 401 says to send a bearer token and how to get one', async () => {
    const error = await refusal(withAuthorization());

    expect(error.message).toMatch(/^No bearer token: send `Authorization: Bearer <token>`/);
    expect(error.message).toContain('npm run token -- <organisation-id> [role]');
  });

  it('given another scheme, when a route is called, then 401 says the header must be Bearer, without echoing it', async () => {
    const error = await refusal(withAuthorization('Basic dXNlcjpwYXNzd29yZA=='));

    expect(error.message).toMatch(/is not `Bearer <token>`/);
    expect(error.message).not.toContain('dXNlcjpwYXNzd29yZA');
  });

  it('given an expired token, when a route is called, then 401 says it expired', async () => {
    const token = await signToken({ subject: 's', organisation: 'vt-kennemerland', role: 'manager' }, SECRET, HOUR, {
      now: new Date(Date.now() - 3 * HOUR * 1000),
    });

    expect((await refusal(withAuthorization(`Bearer ${token}`))).message).toMatch(/^The bearer token expired at /);
  });

  it('given a token signed with another secret, when a route is called, then 401 says the signature does not match', async () => {
    const token = await signToken(
      { subject: 's', organisation: 'vt-kennemerland', role: 'manager' },
      'another-secret-of-at-least-thirty-two-chars',
      HOUR,
    );

    expect((await refusal(withAuthorization(`Bearer ${token}`))).message).toMatch(/signature does not match/);
  });

  it('given a token for an unknown organisation, when a route is called, then 401 points at the directory', async () => {
    const token = await signToken({ subject: 's', organisation: 'vt-atlantis', role: 'manager' }, SECRET, HOUR);

    expect((await refusal(withAuthorization(`Bearer ${token}`))).message).toMatch(/"vt-atlantis" is not in the/);
  });

  it('given a token claiming inspector for an organisation that is not an inspectorate, when a route is called, then 401 says inspectors belong to inspectorates', async () => {
    const token = await signToken({ subject: 's', organisation: 'vt-kennemerland', role: 'inspector' }, SECRET, HOUR);

    expect((await refusal(withAuthorization(`Bearer ${token}`))).message).toMatch(
      /inspector role belongs to inspectorates only/,
    );
  });

  it('given a token with a role outside the five, when a route is called, then 401 lists the roles', async () => {
    const token = await signToken({ subject: 's', organisation: 'vt-kennemerland', role: 'admin' }, SECRET, HOUR);

    expect((await refusal(withAuthorization(`Bearer ${token}`))).message).toMatch(/role "admin" is not one of/);
  });

  it('given production, when a shared-secret (HS256) token arrives, then 401 says its issuer is not trusted', async () => {
    const production = new BearerTokenGuard(
      new Reflector(),
      new AccessTokenVerifier({
        NODE_ENV: 'production',
        JWT_SECRET: SECRET,
        OIDC_ISSUERS: [],
        SUBJECT_PSEUDONYM_KEY: PSEUDONYM_KEY,
      } as unknown as AppConfig),
    );
    const token = await signToken({ subject: 's', organisation: 'vt-kennemerland', role: 'manager' }, SECRET, HOUR);
    const error = await production.canActivate(contextFor(withAuthorization(`Bearer ${token}`))).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(UnauthorizedException);
    expect((error as Error).message).toMatch(/issuer \(iss\) "warm-handover" is not one this API trusts/);
  });

  it('given a @Public() controller, when called without a token, then it passes', async () => {
    await expect(guard.canActivate(contextFor(withAuthorization(), ProbeController, 'check'))).resolves.toBe(true);
  });

  it('given a @Public() route in a guarded controller, when called without a token, then only that route passes', async () => {
    await expect(guard.canActivate(contextFor(withAuthorization(), CasesController, 'about'))).resolves.toBe(true);
    await refusal(withAuthorization());
  });

  it('given a refusal, when the problem-details filter answers, then it is a 401 problem with a Bearer challenge', async () => {
    const exception = await refusal(withAuthorization());
    const sent = { status: 0, type: '', headers: {} as Record<string, string>, body: {} as Record<string, unknown> };
    const response = {
      setHeader(name: string, value: string) {
        sent.headers[name] = value;
        return this;
      },
      status(code: number) {
        sent.status = code;
        return this;
      },
      type(t: string) {
        sent.type = t;
        return this;
      },
      json(b: Record<string, unknown>) {
        sent.body = b;
        return this;
      },
    };
    const host = {
      switchToHttp: () => ({ getRequest: () => ({ originalUrl: '/organisations' }), getResponse: () => response }),
    } as unknown as ArgumentsHost;
    const logger = { setContext: () => undefined, error: jest.fn() } as unknown as PinoLogger;

    new ProblemDetailsFilter(logger).catch(exception, host);

    expect(sent.status).toBe(401);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.headers['WWW-Authenticate']).toBe('Bearer realm="warm-handover"');
    expect(sent.body).toMatchObject({
      type: '/problems/unauthenticated',
      title: 'Authentication required',
      status: 401,
      instance: '/organisations',
      detail: expect.stringMatching(/^No bearer token: .*npm run token -- <organisation-id> \[role\]/),
    });
  });
});
