import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from './postgres';
import { describeStartupError, requireFreePort } from './startup-errors';

describe('start-up errors', () => {
  let occupied: Server;
  let port: number;
  const dataDir = mkdtempSync(join(tmpdir(), 'wh-startup-'));

  beforeAll(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    port = (occupied.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => occupied.close(() => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given the PostgreSQL port taken by another process, when npm start starts PostgreSQL, then the error names the port, the process and the setting', async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const error = await startPostgres({ dataDir, port, portSetting: 'POSTGRES_PORT' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const message = describeStartupError(error);
      expect(message).toContain(`port ${port}`);
      expect(message).toContain('the embedded PostgreSQL');
      expect(message).toContain('already in use by another process');
      expect(message).toContain('POSTGRES_PORT=<port>');
      expect(message).not.toContain('undefined');
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  });

  it('given a free port, when it is checked, then start-up goes on', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const freePort = (free.address() as { port: number }).port;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    await expect(requireFreePort(freePort, 'the API', 'PORT')).resolves.toBeUndefined();
    await expect(requireFreePort(port, 'the API', 'PORT')).rejects.toThrow(/PORT=<port>/);
  });

  it.each([
    [undefined, /without saying why/],
    [new Error(''), /^Error without a message/],
    [Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' }), /^connect failed \(ECONNREFUSED\)$/],
    [{ code: 1, signal: null }, /"code":1/],
    ['', /without saying why/],
  ])('given a failure thrown as %p, when described, then it never reads "undefined"', (error, expected) => {
    const message = describeStartupError(error);
    expect(message).toMatch(expected);
    expect(message).not.toBe('undefined');
  });
});
