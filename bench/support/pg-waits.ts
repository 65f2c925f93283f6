import { Client } from 'pg';

export interface WaitSampler {
  /** Stops sampling; returns "what the backends were doing" as shares of all samples, largest first. */
  stop(): Promise<string>;
}

/**
 * A sampling profile of PostgreSQL's side of a load (pg_stat_statements is not available): every
 * `intervalMs`, what each backend of `applicationName` is doing by pg_stat_activity: running, waiting on a
 * lock (Lock:advisory is the append lock), on the WAL flush of a commit (IO:WalSync), or for its client
 * (Client:ClientRead, "idle in transaction" = a round trip inside a transaction).
 */
export async function sampleWaits(url: string, applicationName: string, intervalMs = 10): Promise<WaitSampler> {
  const client = new Client({ connectionString: url, application_name: 'bench-sampler' });
  await client.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ what: string; n: string }>(
        `SELECT state || ' ' || coalesce(wait_event_type || ':' || wait_event, 'running') AS what, count(*) AS n
           FROM pg_stat_activity WHERE application_name = $1 GROUP BY 1`,
        [applicationName],
      );
      samples += 1;
      for (const row of rows) counts.set(row.what, (counts.get(row.what) ?? 0) + Number(row.n));
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.end();
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const perBackend = samples > 0 ? total / samples : 0;
      return (
        `${perBackend.toFixed(1)} backends on average; ` +
        [...counts]
          .sort((a, b) => b[1] - a[1])
          .filter(([, n]) => n / total >= 0.01)
          .map(([what, n]) => `${what} ${((100 * n) / total).toFixed(0)}%`)
          .join(', ')
      );
    },
  };
}
