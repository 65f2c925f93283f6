import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface Finding {
  readonly ruleId: string | null;
  readonly message: string;
}

/**
 * The layers import downward only: libraries nothing above them, workflows only libraries, apps
 * libraries and workflows, never scripts, tests or benchmarks; and everyone reaches the
 * infrastructure helpers through their package, `@warm-handover/infra`. The probes are real files
 * in each layer, linted in one run of the project's ESLint (its typed lint takes a while).
 */
describe('lint rule: import zones keep each layer from reaching upward', () => {
  const probes = {
    lib: join(ROOT, 'libs', 'domain', 'src', `zone-probe-${process.pid}.ts`),
    libAllowed: join(ROOT, 'libs', 'persistence', 'src', `zone-probe-allowed-${process.pid}.ts`),
    workflow: join(ROOT, 'workflows', 'src', `zone-probe-${process.pid}.ts`),
    app: join(ROOT, 'apps', 'worker', 'src', `zone-probe-${process.pid}.ts`),
    appAllowed: join(ROOT, 'apps', 'api', 'src', `zone-probe-allowed-${process.pid}.ts`),
    appTest: join(ROOT, 'apps', 'api', 'src', `zone-probe-${process.pid}.int-spec.ts`),
    script: join(ROOT, 'scripts', `zone-probe-${process.pid}.ts`),
  };
  const sources: Record<keyof typeof probes, string> = {
    lib: [
      "import { startApp } from '@warm-handover/infra';",
      "import { meldingWorkflow } from '@warm-handover/workflows';",
      "import { TemporalWorkerService } from '../../../apps/worker/src/temporal/temporal-worker.service';",
      "import { meta } from '../../../test/support/handover-fixtures';",
      'export const probe = [startApp, meldingWorkflow, TemporalWorkerService, meta];',
    ].join('\n'),
    libAllowed: [
      "import { decide } from '@warm-handover/domain/workflow';",
      "import { DEFAULT_TASK_QUEUE } from '@warm-handover/contracts';",
      'export const probe = [decide, DEFAULT_TASK_QUEUE];',
    ].join('\n'),
    workflow: [
      "import { freePort } from '@warm-handover/infra';",
      "import { createSafetyActivities } from '../../apps/worker/src/temporal/safety.activities';",
      'export const probe = [freePort, createSafetyActivities];',
    ].join('\n'),
    app: [
      "import { startKafka } from '@warm-handover/infra';",
      "import { meta } from '../../../test/support/handover-fixtures';",
      "import { withInfra } from '../../../bench/support/infra';",
      'export const probe = [startKafka, meta, withInfra];',
    ].join('\n'),
    appAllowed: [
      "import { EventStore } from '@warm-handover/persistence';",
      "import { meldingWorkflow } from '@warm-handover/workflows';",
      'export const probe = [EventStore, meldingWorkflow];',
    ].join('\n'),
    appTest: [
      "import { freePort } from '@warm-handover/infra';",
      "import { startPostgres } from '../../../../scripts/infra/postgres';",
      "import { createTestDatabase } from '../../../../test/support/database';",
      'export const probe = [freePort, startPostgres, createTestDatabase];',
    ].join('\n'),
    script: [
      "import { startKafka } from './infra/kafka';",
      "import { startPostgres } from '@warm-handover/infra';",
      'export const probe = [startKafka, startPostgres];',
    ].join('\n'),
  };
  let findings: Record<string, Finding[]>;

  beforeAll(() => {
    for (const [name, file] of Object.entries(probes)) {
      writeFileSync(file, `${sources[name as keyof typeof probes]}\n`);
    }
    try {
      const run = spawnSync(
        join(ROOT, 'node_modules', '.bin', 'eslint'),
        ['--format', 'json', ...Object.values(probes)],
        { cwd: ROOT, encoding: 'utf8' },
      );
      const results = JSON.parse(run.stdout) as { filePath: string; messages: Finding[] }[];
      findings = Object.fromEntries(
        Object.entries(probes).map(([name, file]) => [
          name,
          (results.find((r) => relative(file, r.filePath) === '')?.messages ?? []).filter(
            (m) => m.ruleId === 'import-x/no-restricted-paths' || m.ruleId === 'no-restricted-imports',
          ),
        ]),
      );
    } finally {
      for (const file of Object.values(probes)) rmSync(file, { force: true });
    }
  }, 180_000);

  const refusals = (probe: string) => findings[probe]!.map((f) => f.message);

  it('given a library that imports the infrastructure, a workflow, an app and test support, when linted, then each import is refused', () => {
    expect(refusals('lib')).toEqual([
      expect.stringMatching(/Libraries are the bottom layer/),
      expect.stringMatching(/Libraries are the bottom layer/),
      expect.stringMatching(/Libraries are the bottom layer/),
      expect.stringMatching(/Libraries are the bottom layer/),
    ]);
  });

  it('given workflow code that imports the infrastructure or an app, when linted, then both are refused', () => {
    expect(refusals('workflow')).toEqual([
      expect.stringMatching(/Workflows import only libraries/),
      expect.stringMatching(/Workflows import only libraries/),
    ]);
  });

  it('given app code that imports the infrastructure, test support or a benchmark, when linted, then each is refused', () => {
    expect(refusals('app')).toEqual([
      expect.stringMatching(/Apps import libraries and workflows/),
      expect.stringMatching(/Apps import libraries and workflows/),
      expect.stringMatching(/Apps import libraries and workflows/),
    ]);
  });

  it('given an app’s integration spec, when it reaches into scripts/infra by path, then only that import is refused: the package by name and test support are fine', () => {
    expect(refusals('appTest')).toEqual([expect.stringMatching(/by name: @warm-handover\/infra/)]);
  });

  it('given a script that imports ./infra/kafka, when linted, then it is told to import the package by name', () => {
    expect(refusals('script')).toEqual([expect.stringMatching(/by name: @warm-handover\/infra/)]);
  });

  it('given a library that imports libraries and an app that imports libraries and workflows, when linted, then they pass', () => {
    expect(refusals('libAllowed')).toEqual([]);
    expect(refusals('appAllowed')).toEqual([]);
  });
});
