import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { type DynamicModule, type INestApplication, Module, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG } from '@warm-handover/platform';
import { AccessTokenVerifier } from '../../apps/api/src/auth/access-token.verifier';
import { BearerTokenGuard } from '../../apps/api/src/auth/bearer-token.guard';
import { signToken } from '../../apps/api/src/auth/tokens';
import { ProblemDetailsFilter } from '../../apps/api/src/http/problem-details.filter';

const SECRET = 'test-secret-of-at-least-thirty-two-characters';

export interface GuardedApi {
  readonly app: INestApplication;
  /** http://127.0.0.1:<port> */
  readonly base: string;
  /** A signed access token for these claims, as the guard accepts it. */
  token(claims: { readonly subject: string; readonly organisation: string; readonly role: string }): Promise<string>;
}

@Module({})
class GuardedApiModule {
  static with(controllers: Type[], providers: Provider[]): DynamicModule {
    return {
      module: GuardedApiModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: 'silent' } })],
      controllers,
      providers: [
        ...providers,
        {
          provide: APP_CONFIG,
          useValue: { NODE_ENV: 'test', JWT_SECRET: SECRET, OIDC_ISSUERS: [], SUBJECT_PSEUDONYM_KEY: SECRET },
        },
        AccessTokenVerifier,
        { provide: APP_GUARD, useClass: BearerTokenGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}

/**
 * Some of the API's controllers as the API serves them, listening on a free loopback port: the
 * real bearer-token guard and the real problem details, with the providers the controllers need.
 */
export async function startGuardedApi(controllers: Type[], providers: Provider[]): Promise<GuardedApi> {
  const app = await NestFactory.create(GuardedApiModule.with(controllers, providers), { logger: false });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`;
  return { app, base, token: (claims) => signToken(claims, SECRET, 600) };
}
