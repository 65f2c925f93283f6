/**
 * `npm run erase -- <caseId>`: an erasure request for a case's free text (reasons, rationales).
 * Deletes the texts from free_texts; the events keep their references, so the hash chain still
 * verifies, and they read as "[gewist]". Reads DATABASE_URL.
 */
import { createDataSource } from './data-source';
import { FreeTextEraser } from './free-texts/free-texts';

async function main(): Promise<number> {
  const [caseId] = process.argv.slice(2);
  const url = process.env.DATABASE_URL;
  if (!caseId || !url) {
    process.stderr.write('usage: DATABASE_URL=postgres://… npm run erase -- <caseId>\n');
    return 2;
  }
  const dataSource = createDataSource({ url, poolSize: 1, applicationName: 'warm-handover-erase' });
  try {
    await dataSource.initialize();
    const erased = await new FreeTextEraser(dataSource).eraseCase(caseId);
    process.stdout.write(`erase: ${erased} free text(s) of ${caseId} erased; the events now read "[gewist]"\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`erase: failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

void main().then((code) => process.exit(code));
