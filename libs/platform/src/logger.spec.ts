import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { httpLoggerOptions, redactQuery } from './logger';

describe('request logs', () => {
  it('given an acknowledgement link or a sign-in callback, when the api logs the request, then no token, code or state reaches the log line', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pinoHttp({ ...httpLoggerOptions('api', 'info'), stream: sink });
    const server = createServer((req, res) => {
      log(req, res);
      res.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      await fetch(`http://127.0.0.1:${port}/notices/n-1/acknowledgement?token=ack-secret-123&lang=nl`);
      await fetch(`http://127.0.0.1:${port}/auth/callback?code=oidc-code-456&state=oidc-state-789`);
      await fetch(`http://127.0.0.1:${port}/notices/n-1/acknowledgement`, {
        method: 'POST',
        headers: { referer: `http://127.0.0.1:${port}/notices/n-1/acknowledgement?token=ack-secret-123` },
      });
    } finally {
      server.close();
    }
    const logged = lines.join('');
    expect(lines).toHaveLength(3);
    for (const secret of ['ack-secret-123', 'oidc-code-456', 'oidc-state-789']) expect(logged).not.toContain(secret);
    expect(logged).toContain('/notices/n-1/acknowledgement?token=redacted&lang=nl');
  });

  it('given a URL without credentials, when redacted, then it is unchanged', () => {
    expect(redactQuery('/cases/c-1/notices?at=2026-01-01')).toBe('/cases/c-1/notices?at=2026-01-01');
    expect(redactQuery('/health')).toBe('/health');
  });
});
