import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './apps';

/** One message as the capture server wrote it. */
export interface CapturedMail {
  readonly messageId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly headers: Record<string, string>;
  readonly receivedAt: string;
}

export interface SmtpCapture {
  readonly port: number;
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  readonly url: string;
  readonly dir: string;
  /** Every message received so far, oldest first. */
  messages(): CapturedMail[];
  stop(): Promise<void>;
}

/**
 * Starts scripts/infra/smtp-capture-server.ts as a process of its own on `port` (0: any free
 * one), writing messages into `dir`; a restart on the same port and dir continues the mailbox.
 */
export async function startSmtpCapture(dir: string, port = 0): Promise<SmtpCapture> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'smtp-capture-server.ts'), dir, String(port)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = once(child, 'exit').then(() => process.removeListener('exit', killOnExit));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await Promise.race([
    lines.next(),
    exited.then(() => ({ done: true, value: undefined }) as const),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('the SMTP capture server did not start in 30 s')), 30_000).unref(),
    ),
  ]);
  const match = first.done ? null : /^listening (\d+)$/.exec(first.value);
  if (!match) {
    child.kill('SIGKILL');
    throw new Error(`the SMTP capture server did not start (said ${JSON.stringify(first.value)})`);
  }
  const actualPort = Number(match[1]);
  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    dir,
    messages: () => readCapturedMail(dir),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Every message the capture server wrote into `dir`, oldest first. */
export function readCapturedMail(dir: string): CapturedMail[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CapturedMail);
}
