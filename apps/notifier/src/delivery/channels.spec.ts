import { randomBytes } from 'node:crypto';
import type { lookup } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { parseAllowedHosts } from '@warm-handover/platform';
import { mailFailure, postWebhook, WebhookDeliveryError } from './channels';

/** A resolver that answers every name with the given address, and counts how often it was asked. */
function fakeResolver(address: string, family: 4 | 6 = 4): { resolve: typeof lookup; calls: () => number } {
  let calls = 0;
  const resolve = ((
    _host: string,
    _options: unknown,
    callback: (e: null, a: { address: string; family: number }[]) => void,
  ) => {
    calls += 1;
    callback(null, [{ address, family }]);
  }) as unknown as typeof lookup;
  return { resolve, calls: () => calls };
}

describe('postWebhook', () => {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let status = 204;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(status, { 'content-type': 'text/plain' }).end('internal detail: stack trace of the receiver');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
    status = 204;
  });

  const loopback = parseAllowedHosts('127.0.0.0/8').entries;
  const failure = async (promise: Promise<void>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    return error as WebhookDeliveryError;
  };

  it('given an allowlisted loopback receiver, when a notice is posted, then the reference library verifies it', async () => {
    await postWebhook({ url: `http://127.0.0.1:${port}/hook`, secrets: [secret], allowedHosts: loopback }, 'n-1.0', {
      noticeId: 'n-1',
    });
    const [hook] = received;
    expect(new Webhook(secret).verify(hook!.body, hook!.headers as Record<string, string>)).toEqual({
      noticeId: 'n-1',
    });
  });

  it.each([
    ['a literal loopback address', `http://127.0.0.1:PORT/hook`, undefined],
    ['a name that resolves to loopback', 'http://hooks.example:PORT/hook', '127.0.0.1'],
    ['a name that resolves to the metadata endpoint', 'http://hooks.example:PORT/latest', '169.254.169.254'],
    ['a name that resolves to a private network', 'http://hooks.example:PORT/hook', '10.0.0.7'],
    ['a literal unique-local IPv6 address', 'http://[fd00::1]:PORT/hook', undefined],
  ])(
    'given %s that the operator did not allow, when a notice is posted, then it is refused before connecting',
    async (_what, url, resolvesTo) => {
      const resolver = resolvesTo ? fakeResolver(resolvesTo) : undefined;
      const error = await failure(
        postWebhook(
          {
            url: url.replace('PORT', String(port)),
            secrets: [secret],
            allowedHosts: [],
            ...(resolver ? { resolve: resolver.resolve } : {}),
          },
          'n-2.0',
          {},
        ),
      );
      expect(error.category).toBe('refused-address');
      expect(received).toHaveLength(0);
    },
  );

  it('given a name, when a notice is posted, then it is resolved once and the checked address is the one connected to', async () => {
    const resolver = fakeResolver('127.0.0.1');
    await postWebhook(
      {
        url: `http://hooks.example:${port}/hook`,
        secrets: [secret],
        allowedHosts: loopback,
        resolve: resolver.resolve,
      },
      'n-3.0',
      {},
    );
    expect(resolver.calls()).toBe(1);
    expect(received).toHaveLength(1);
  });

  it.each([
    [500, 'http-5xx'],
    [404, 'http-4xx'],
    [302, 'http-3xx'],
  ])(
    'given a receiver answering %i, when a notice is posted, then only the category is reported, never its answer',
    async (answer, category) => {
      status = answer;
      const error = await failure(
        postWebhook({ url: `http://127.0.0.1:${port}/hook`, secrets: [secret], allowedHosts: loopback }, 'n-4.0', {}),
      );
      expect(error.category).toBe(category);
      expect(error.message).not.toContain('internal detail');
    },
  );

  it('given nothing listening, when a notice is posted, then the category is connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(
      postWebhook(
        { url: `http://127.0.0.1:${closedPort}/hook`, secrets: [secret], allowedHosts: loopback },
        'n-5.0',
        {},
      ),
    );
    expect(error.category).toBe('connection');
  });
});

describe('mailFailure', () => {
  it.each([
    [
      { responseCode: 550, response: '550 5.1.1 <teamleiding@vt.example>: user unknown', code: 'EENVELOPE' },
      'smtp-5xx: the mail server answered 550',
    ],
    [
      { responseCode: 451, response: '451 4.7.1 greylisted, try again', code: 'EMESSAGE' },
      'smtp-4xx: the mail server answered 451',
    ],
    [
      { code: 'ECONNECTION', message: 'connect ECONNREFUSED 10.0.0.5:25' },
      'connection: the connection to the mail server failed',
    ],
    [{ code: 'ETIMEDOUT', message: 'Greeting never received' }, 'timeout: no answer within 20 s'],
  ])('given a mail server failure %p, when recorded, then only its category and code are kept', (error, expected) => {
    expect(mailFailure(Object.assign(new Error('raw'), error)).message).toBe(expected);
  });
});
