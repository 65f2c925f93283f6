/**
 * `npm run projections:rebuild -- management-figures`: rebuilds a read model from the first
 * event, compares it row by row with the live one the worker keeps, and says whether they are
 * equal (exit 0) or where they differed, after replacing the live rows with the rebuilt ones
 * (exit 1). Reads DATABASE_URL.
 */
import { createDataSource } from './data-source';
import { EventStore } from './event-store/event-store';
import { MANAGEMENT_FIGURES } from './projections/management-figures.projection';
import { rebuildManagementFigures } from './projections/management-figures.projector';

const PROJECTIONS = { [MANAGEMENT_FIGURES]: rebuildManagementFigures } as const;

async function main(): Promise<number> {
  const [name] = process.argv.slice(2);
  const url = process.env.DATABASE_URL;
  const rebuild = name ? PROJECTIONS[name as keyof typeof PROJECTIONS] : undefined;
  if (!rebuild || !url) {
    process.stderr.write(
      `usage: DATABASE_URL=postgres://… npm run projections:rebuild -- <${Object.keys(PROJECTIONS).join('|')}>\n`,
    );
    return 2;
  }
  const dataSource = createDataSource({ url, poolSize: 2, applicationName: 'warm-handover-rebuild' });
  try {
    await dataSource.initialize();
    const report = await rebuild(dataSource, new EventStore(dataSource));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      report.equal
        ? `projections:rebuild: ${name} rebuilt up to event ${report.position} and equal to the live read model\n`
        : `projections:rebuild: ${name} differed from the live read model (see differences); the rebuilt rows replaced it\n`,
    );
    return report.equal ? 0 : 1;
  } catch (error) {
    process.stderr.write(`projections:rebuild: failed: ${(error as Error).message}\n`);
    return 3;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

void main().then((code) => process.exit(code));
