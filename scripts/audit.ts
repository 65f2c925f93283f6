/**
 * Tamper evidence of the event store, from the command line (see the README, Tamper evidence):
 *
 *   npm run audit:verify [-- --head <file>]   walk the hash chain and report the first problem
 *   npm run audit:head [-- --out <file>]      export the chain's head, for an outside party to keep
 *
 * Reads DATABASE_URL. verify prints progress on stderr during long runs and its verdict on stdout;
 * with --head it also checks that a head exported earlier is still in the chain. Exit codes:
 * 0 intact (or head exported), 1 tampered, 2 wrong usage or the database could not be read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type ChainVerdict,
  createDataSource,
  exportChainHead,
  type ExportedHead,
  verifyChain,
} from '@warm-handover/persistence';

const USAGE = `usage: npm run audit:verify [-- --head <file>]
       npm run audit:head [-- --out <file>]
  DATABASE_URL must name the application database, e.g. for \`npm start\`:
  DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5433/warm_handover npm run audit:verify`;

const PROGRESS_EVERY_MS = 2000;

class UsageError extends Error {}

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new UsageError(`DATABASE_URL is not set.\n${USAGE}`);
  return url;
}

function readHead(file: string): Pick<ExportedHead, 'globalPosition' | 'hash'> & Partial<ExportedHead> {
  let head: Partial<ExportedHead>;
  try {
    head = JSON.parse(readFileSync(file, 'utf8')) as Partial<ExportedHead>;
  } catch (error) {
    throw new UsageError(
      `Cannot read the exported head ${file}: ${error instanceof Error ? error.message : String(error)}. ` +
        'Give the JSON file that `npm run audit:head` wrote.',
    );
  }
  if (
    !Number.isSafeInteger(head.globalPosition) ||
    typeof head.hash !== 'string' ||
    !/^[0-9a-f]{64}$/i.test(head.hash)
  ) {
    throw new UsageError(
      `${file} is not an exported head: it needs "globalPosition" (a whole number) and "hash" (64 hex digits), as \`npm run audit:head\` writes them.`,
    );
  }
  return head as ExportedHead;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function report(verdict: ChainVerdict, head: Partial<ExportedHead> | undefined, seconds: number): void {
  const count = verdict.checked.toLocaleString('en');
  if (verdict.intact) {
    const at = verdict.head
      ? `the head is position ${verdict.head.globalPosition}, hash ${verdict.head.hash}, recorded at ${verdict.head.recordedAt}`
      : 'the store is empty';
    say(`INTACT: ${count} events checked in ${seconds.toFixed(1)} s; ${at}.`);
    if (head)
      say(
        `The head exported${head.exportedAt ? ` at ${head.exportedAt}` : ''} (position ${head.globalPosition}) is still in the chain: nothing up to it was rewritten.`,
      );
    return;
  }
  const problem = verdict.problem!;
  say(`TAMPERED: ${problem.kind} at position ${problem.position} (found by the ${problem.check} check).`);
  say(problem.message);
  say(`What to do: ${problem.whatToDo}`);
  say(`${count} events before it checked out.`);
}

async function verify(headFile: string | undefined): Promise<number> {
  const head = headFile === undefined ? undefined : readHead(headFile);
  const dataSource = createDataSource({ url: databaseUrl(), poolSize: 2, applicationName: 'warm-handover-audit' });
  await dataSource.initialize();
  try {
    const started = Date.now();
    let lastShown = started;
    const verdict = await verifyChain(dataSource, {
      ...(head ? { exportedHead: head } : {}),
      onProgress: ({ checked, headPosition }) => {
        if (Date.now() - lastShown < PROGRESS_EVERY_MS) return;
        lastShown = Date.now();
        const share = headPosition > 0 ? ` (${Math.min(100, Math.floor((checked / headPosition) * 100))}%)` : '';
        process.stderr.write(
          `checked ${checked.toLocaleString('en')} events, up to position ${headPosition}${share}…\n`,
        );
      },
    });
    report(verdict, head, (Date.now() - started) / 1000);
    return verdict.intact ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

async function exportHead(out: string | undefined): Promise<number> {
  const dataSource = createDataSource({ url: databaseUrl(), poolSize: 1, applicationName: 'warm-handover-audit' });
  await dataSource.initialize();
  try {
    const head = await exportChainHead(dataSource);
    if (!head) throw new UsageError('The event store is empty: there is no head to export yet.');
    const json = `${JSON.stringify(head, null, 2)}\n`;
    if (out) {
      writeFileSync(out, json);
      process.stderr.write(
        `Head at position ${head.globalPosition} written to ${out}. Hand it to a party outside your control; check it later with npm run audit:verify -- --head ${out}\n`,
      );
    } else process.stdout.write(json);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { head: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const { positionals, values } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || rest.length > 0) throw new UsageError(USAGE);
  if (command === 'verify' && values.out === undefined) return verify(values.head);
  if (command === 'head' && values.head === undefined) return exportHead(values.out);
  throw new UsageError(USAGE);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(
        `Could not read the event store: ${reason}\nCheck DATABASE_URL and that the apps have migrated the database (they do at start).\n`,
      );
    }
    process.exit(2);
  },
);
