import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Workflow code runs in Temporal's deterministic sandbox; the lint rule is what keeps I/O out.
 * The probe is a real file under workflows/ so the typed lint sees it as the code it guards.
 */
describe('lint rule: workflow code imports only what is deterministic', () => {
  const probe = join(ROOT, 'workflows', 'src', `lint-probe-${process.pid}.ts`);
  afterEach(() => rmSync(probe, { force: true }));

  /** Runs the project's ESLint (its config is an ES module, which Jest cannot load) on the probe. */
  function lint(source: string): string[] {
    writeFileSync(probe, source);
    const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'eslint'), ['--format', 'json', probe], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  }

  it.each([
    ["import { readFileSync } from 'node:fs';", /deterministic/],
    ["import { randomUUID } from 'crypto';", /deterministic/],
    ["import { Injectable } from '@nestjs/common';", /Nest belongs in apps/],
    ["import { DataSource } from 'typeorm';", /Database access belongs in an activity/],
    ["import { Kafka } from 'kafkajs';", /Kafka belongs in the relay/],
    ["import { Worker } from '@temporalio/worker';", /only @temporalio\/workflow/],
    ["import { addWorkingDays } from '@warm-handover/domain';", /Import @warm-handover\/domain\/workflow/],
    ["import type { HandoverState } from '@warm-handover/domain';", /Import @warm-handover\/domain\/workflow/],
  ])('given workflow code with `%s`, when linted, then it is refused', (line, message) => {
    const messages = lint(`${line}\nexport const probe = 1;\n`);
    expect(messages).toEqual([expect.stringMatching(message)]);
  });

  it('given workflow code that imports the workflow SDK, contracts and the slim domain entry, when linted, then it passes', () => {
    const messages = lint(
      "import { sleep } from '@temporalio/workflow';\nimport type { Actor } from '@warm-handover/contracts';\nimport { decide } from '@warm-handover/domain/workflow';\nexport const probe = [sleep, decide] as const;\nexport type P = Actor;\n",
    );
    expect(messages).toEqual([]);
  });
});
