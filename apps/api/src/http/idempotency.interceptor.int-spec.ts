import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  Body,
  type CanActivate,
  ConflictException,
  Controller,
  type DynamicModule,
  type ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  type INestApplication,
  Module,
  Post,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Request } from 'express';
import { LoggerModule } from 'nestjs-pino';
import { IdempotencyStore } from '@warm-handover/persistence';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotentCommand } from './idempotent-command.decorator';
import { ProblemDetailsFilter } from './problem-details.filter';

/** How often each test handler actually ran. */
const runs = { count: 0, refuse: 0, fail: 0, flaky: 0, slow: 0, empty: 0 };

/** Lets a test hold the slow handler mid-flight. */
let slow: { started: () => void; finish: Promise<void> } = { started: () => undefined, finish: Promise.resolve() };

@Controller('commands')
class TestCommandsController {
  @Post('count')
  @IdempotentCommand()
  count(@Body() body: unknown) {
    runs.count += 1;
    return { invocation: runs.count, received: body };
  }

  @Post('refuse')
  refuse(): never {
    runs.refuse += 1;
    throw new ConflictException(`Handover h-1 is already accepted (attempt ${runs.refuse})`);
  }

  @Post('fail')
  fail(): never {
    runs.fail += 1;
    throw new Error('connection reset by peer');
  }

  @Post('flaky')
  flaky() {
    runs.flaky += 1;
    if (runs.flaky === 1) throw new Error('Temporal did not answer in time');
    return { invocation: runs.flaky };
  }

  @Post('slow')
  async slow() {
    runs.slow += 1;
    slow.started();
    await slow.finish;
    return { finished: true };
  }

  @Post('empty')
  @HttpCode(200)
  empty(): void {
    runs.empty += 1;
  }

  @Get('count')
  read() {
    return { runs: runs.count };
  }
}

/** Stands in for the auth guard: the actor comes from test headers. */
@Injectable()
class TestActorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request & { actor?: unknown }>();
    const organisation = request.header('x-test-organisation');
    if (organisation) {
      request.actor = { subject: request.header('x-test-subject') ?? 'someone', organisation, role: 'caseworker' };
    }
    return true;
  }
}

@Module({})
class TestApiModule {
  static with(store: IdempotencyStore): DynamicModule {
    return {
      module: TestApiModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: 'silent' } })],
      controllers: [TestCommandsController],
      providers: [
        { provide: IdempotencyStore, useValue: store },
        { provide: APP_GUARD, useClass: TestActorGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: Record<string, unknown>;
}

describe('IdempotencyInterceptor on real PostgreSQL', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await NestFactory.create(TestApiModule.with(new IdempotencyStore(db.dataSource)), { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`;
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function post(
    path: string,
    options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.key === undefined ? {} : { 'idempotency-key': options.key }),
        ...options.headers,
      },
      body: JSON.stringify(options.body ?? {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  it('given a POST without an Idempotency-Key, when sent, then it is refused with 400 problem details that say what to send, and nothing runs', async () => {
    const before = runs.count;

    const answer = await post('/commands/count', { body: { handoverId: 'h-1' } });

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({
      type: '/problems/idempotency-key-missing',
      status: 400,
      instance: '/commands/count',
    });
    expect(answer.body.detail).toContain(
      'send an Idempotency-Key header with a unique value (e.g. a UUID) per command; send the same value when you retry',
    );
    expect(runs.count).toBe(before);
  });

  it.each([
    ['with a space', 'not a key'],
    ['of 129 characters', 'k'.repeat(129)],
    ['that is an e-mail address', 'jan.jansen@example.nl'],
    ['that is a BSN', '111222333'],
    ['of 15 characters', 'abcdefghijklmno'],
  ])('given an Idempotency-Key %s, when sent, then it is refused with 400', async (_, key) => {
    const answer = await post('/commands/count', { key });

    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe('/problems/idempotency-key-invalid');
  });

  it.each([
    ['a UUID', randomUUID()],
    ['a ULID', '01JDX3M4Y5Z6A7B8C9D0E1F2G3'],
    ['a base64url token of 128 characters', `${randomUUID()}_`.padEnd(128, 'A')],
  ])('given %s as the key, when sent, then it is accepted', async (_, key) => {
    expect((await post('/commands/count', { key })).status).toBe(201);
  });

  it('given a GET without an Idempotency-Key, when sent, then the interceptor leaves it alone', async () => {
    const res = await fetch(`${base}/commands/count`);
    expect(res.status).toBe(200);
  });

  it('given a command that succeeded, when retried with the same key, then the first status and body come back marked as replayed and the handler ran once', async () => {
    const key = randomUUID();
    const before = runs.count;

    const first = await post('/commands/count', {
      key,
      body: { handoverId: 'h-1', to: { organisation: 'vt-utrecht' } },
    });
    const retry = await post('/commands/count', {
      key,
      body: { handoverId: 'h-1', to: { organisation: 'vt-utrecht' } },
    });

    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(retry.body).toEqual(first.body);
    expect(runs.count - before).toBe(1);
  });

  it('given a command that succeeded, when retried with the same body serialised with its keys in another order, then it is a replay', async () => {
    const key = randomUUID();
    const before = runs.count;

    const first = await post('/commands/count', { key, body: { a: 1, b: { c: [1, { d: 2, e: 3 }], f: null } } });
    const retry = await post('/commands/count', { key, body: { b: { f: null, c: [1, { e: 3, d: 2 }] }, a: 1 } });

    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(runs.count - before).toBe(1);
  });

  it('given a key used for one command, when sent with a different body or to a different path, then it is refused with 422 and nothing runs', async () => {
    const key = randomUUID();
    await post('/commands/count', { key, body: { handoverId: 'h-1' } });
    const before = runs.count;

    const otherBody = await post('/commands/count', { key, body: { handoverId: 'h-2' } });
    const otherPath = await post('/commands/refuse', { key, body: { handoverId: 'h-1' } });

    for (const answer of [otherBody, otherPath]) {
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({
        type: '/problems/idempotency-key-reused',
        detail: 'This Idempotency-Key was used for a different request; use a new key for a new command.',
      });
    }
    expect(runs.count).toBe(before);
    expect(runs.refuse).toBe(0);
  });

  it('given a command refused with 409, when retried with the same key, then the same refusal is replayed without running the handler again', async () => {
    const key = randomUUID();
    const before = runs.refuse;

    const first = await post('/commands/refuse', { key, body: { handoverId: 'h-1' } });
    const retry = await post('/commands/refuse', { key, body: { handoverId: 'h-1' } });

    expect(first.status).toBe(409);
    expect(first.body).toMatchObject({ type: '/problems/conflict', instance: '/commands/refuse' });
    expect(retry.status).toBe(409);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(retry.body).toEqual(first.body);
    expect(runs.refuse - before).toBe(1);
  });

  it('given a command that failed with 500, when retried with the same key, then the handler runs again', async () => {
    const key = randomUUID();
    const before = runs.fail;

    const first = await post('/commands/fail', { key });
    const retry = await post('/commands/fail', { key });

    expect(first.status).toBe(500);
    expect(first.body.type).toBe('/problems/internal');
    expect(retry.status).toBe(500);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(runs.fail - before).toBe(2);
  });

  it('given a command that failed with 500 once, when retried twice with the same key, then the second attempt succeeds and the third replays it', async () => {
    const key = randomUUID();

    const failed = await post('/commands/flaky', { key });
    const succeeded = await post('/commands/flaky', { key });
    const replayed = await post('/commands/flaky', { key });

    expect([failed.status, succeeded.status, replayed.status]).toEqual([500, 201, 201]);
    expect(replayed.body).toEqual({ invocation: 2 });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(runs.flaky).toBe(2);
  });

  it('given a first request still running, when the same request arrives, then it is told to retry in a moment, and later gets the first answer', async () => {
    const key = randomUUID();
    let finish = () => undefined as void;
    const started = new Promise<void>((resolve) => {
      slow = { started: resolve, finish: new Promise<void>((done) => (finish = done)) };
    });

    const first = post('/commands/slow', { key });
    await started;
    const meanwhile = await post('/commands/slow', { key });
    finish();
    const firstAnswer = await first;
    const later = await post('/commands/slow', { key });

    expect(meanwhile.status).toBe(409);
    expect(meanwhile.headers.get('retry-after')).toBe('1');
    expect(meanwhile.body).toMatchObject({
      type: '/problems/idempotency-key-in-progress',
      detail: 'The first request with this key is still running; retry in a moment with the same key.',
    });
    expect(firstAnswer.status).toBe(201);
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    expect(runs.slow).toBe(1);
  });

  it('given two organisations using the same key, when each sends a command, then both run and each gets its own answer', async () => {
    const key = randomUUID();
    const before = runs.count;
    const as = (organisation: string) => ({ 'x-test-organisation': organisation, 'x-test-subject': 'caseworker-1' });

    const utrecht = await post('/commands/count', { key, body: { n: 1 }, headers: as('vt-utrecht') });
    const police = await post('/commands/count', { key, body: { n: 1 }, headers: as('politie-midden-nederland') });
    const utrechtAgain = await post('/commands/count', { key, body: { n: 1 }, headers: as('vt-utrecht') });

    expect(runs.count - before).toBe(2);
    expect(police.headers.get('idempotent-replayed')).toBeNull();
    expect(police.body.invocation).not.toBe(utrecht.body.invocation);
    expect(utrechtAgain.body).toEqual(utrecht.body);
  });

  it('given a command that answered 200 with an empty body, when retried, then the replay is 200 with an empty body', async () => {
    const key = randomUUID();

    const first = await post('/commands/empty', { key });
    const retry = await post('/commands/empty', { key });

    expect([first.status, first.text]).toEqual([200, '']);
    expect([retry.status, retry.text]).toEqual([200, '']);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(runs.empty).toBe(1);
  });

  it('given a handler marked as an idempotent command, when the OpenAPI description is built, then it documents the required header', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());

    const parameters = document.paths['/commands/count']?.post?.parameters ?? [];
    expect(parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
  });
});
