import { createServer } from 'node:net';

/** A start-up failure that says what failed and what to do about it. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * Fails with what to do when something already listens on 127.0.0.1:port: `what` is the part of
 * warm-handover that needs it, `setting` the environment variable that moves it elsewhere.
 */
export async function requireFreePort(port: number, what: string, setting: string): Promise<void> {
  const problem = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(undefined)));
  });
  if (!problem) return;
  if (problem.code === 'EADDRINUSE') {
    throw new StartupError(
      `port ${port}, which ${what} needs, is already in use by another process (an earlier npm start still running?). ` +
        `Stop that process (\`lsof -i :${port}\` or \`ss -ltnp 'sport = :${port}'\` shows which one), or choose another port with ${setting}=<port>.`,
    );
  }
  if (problem.code === 'EACCES') {
    throw new StartupError(
      `port ${port}, which ${what} needs, may not be used by this user; choose one above 1024 with ${setting}=<port>.`,
    );
  }
  throw new StartupError(
    `port ${port}, which ${what} needs, cannot be opened (${problem.code ?? problem.message}); choose another with ${setting}=<port>.`,
  );
}

/**
 * A thrown value as a sentence for a person: never `undefined`. Some libraries reject with a
 * bare value, an Error without a message, or an object; each still says what failed.
 */
export function describeStartupError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error.message.trim();
    if (message) return code && !message.includes(code) ? `${message} (${code})` : message;
    return `${error.name}${code ? ` ${code}` : ''} without a message${error.stack ? `\n${error.stack}` : ''}`;
  }
  if (error === undefined || error === null) return 'a step failed without saying why (see the lines above)';
  if (typeof error === 'string') return error.trim() || 'a step failed without saying why (see the lines above)';
  try {
    return JSON.stringify(error) ?? typeof error;
  } catch {
    return `a step failed with an unprintable ${typeof error}`;
  }
}
