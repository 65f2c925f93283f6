import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../../scripts/infra/postgres';

it('probe', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-'));
  chmodSync(dir, 0o755);
  const pg = await startPostgres({ dataDir: join(dir, 'pg') });
  console.log(pg.url);
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
});
