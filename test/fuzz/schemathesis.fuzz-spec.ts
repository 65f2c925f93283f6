import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSchemathesis } from '@warm-handover/infra';
import { providerToken } from '../support/api-client';
import { type RunningService, startService } from '../support/service';
import { validationMismatches } from './schemathesis-report';

/**
 * Schemathesis generates requests from the OpenAPI document (examples, fuzzing, and stateful
 * sequences along its links: POST /cases → GET /cases/{caseId}, POST /handovers → its steps) and
 * checks every answer: no 5xx, only documented statuses and content types, bodies that match
 * their schemas. Once per role, since what a role may do changes the answers.
 */
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
];
/** Cases per operation and phase: enough to reach every documented answer, small enough for CI's 2 cores. */
const MAX_EXAMPLES = Number(process.env.SCHEMATHESIS_MAX_EXAMPLES ?? 5);
/** Fuzzing and the stateful sequences; SCHEMATHESIS_PHASES=examples,coverage,fuzzing,stateful for a long run. */
const PHASES = process.env.SCHEMATHESIS_PHASES ?? 'fuzzing,stateful';
const RUN_TIMEOUT_MS = 150_000;

const ROLES: readonly [organisation: string, role: string][] = [
  ['vt-kennemerland', 'professional'],
  ['vt-kennemerland', 'team-lead'],
  ['vt-amsterdam-amstelland', 'manager'],
  ['vt-amsterdam-amstelland', 'director'],
  ['inspectie-gezondheidszorg-en-jeugd', 'inspector'],
];

describe('the API against its OpenAPI document (schemathesis)', () => {
  let service: RunningService;
  let st: string;
  beforeAll(async () => {
    [st, service] = await Promise.all([ensureSchemathesis(), startService()]);
  });
  afterAll(() => service?.stop());

  it.each(ROLES)(
    'given a token of %s as %s, when schemathesis fuzzes every operation and follows the links, then no server error, no undocumented status or content type, no body that breaks its schema and no request the document allows that the API refuses',
    async (organisation, role) => {
      // Each role's run is bounded (RUN_TIMEOUT_MS); the test waits a little longer for its report.
      const token = await providerToken(organisation, role);
      const child = spawn(
        st,
        [
          '--config-file',
          join(__dirname, 'schemathesis.toml'),
          '--no-color',
          'run',
          `${service.baseUrl}/docs/openapi.json`,
          '--checks',
          CHECKS.join(','),
          '--header',
          `Authorization: Bearer ${token}`,
          '--max-examples',
          String(MAX_EXAMPLES),
          '--phases',
          PHASES,
          '--workers',
          '2',
          '--seed',
          '16',
          '--suppress-health-check',
          'too_slow,filter_too_much',
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          // Schemathesis keeps a cache (.schemathesis/) where it runs: in the tiers' scratch directory.
          cwd: process.env.WARM_HANDOVER_TEST_TMP ?? tmpdir(),
          env: { ...process.env, PYTHONPATH: __dirname, SCHEMATHESIS_HOOKS: 'hooks' },
          // A run that outlives its test is stopped with it, not left to slow the next one.
          timeout: RUN_TIMEOUT_MS,
        },
      );
      const output: string[] = [];
      child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      const report = output.join('');
      if (code !== 0) throw new Error(`schemathesis as ${role}@${organisation} exited ${code}:\n${report}`);
      expect(report).toMatch(/passed/);
      // Rules no JSON Schema can state (relative to the moment of the request, or between two
      // fields) are obeyed by the hooks, as a client would (hooks.py); every other rule is the
      // document's to state (README "Documenting an endpoint").
      const mismatches = validationMismatches(report);
      if (mismatches.length > 0) {
        throw new Error(
          `schemathesis as ${role}@${organisation}: the document allows requests these operations refuse (schema mismatch); make their schemas exact, or, for a rule no schema can state, teach it to test/fuzz/hooks.py:\n  ${mismatches.join('\n  ')}\n\n${report}`,
        );
      }
    },
    RUN_TIMEOUT_MS + 20_000,
  );
});
