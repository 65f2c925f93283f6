import { z } from 'zod';
import {
  CONFIG_KEYS,
  REQUIRED_IN_PRODUCTION_BY_APP,
  type ConfigApp,
  DEFAULT_NOTIFIER_TASK_QUEUE,
  DEFAULT_TASK_QUEUE,
} from '@warm-handover/contracts';
import { DEV_WEBHOOK_SECRET_KEY } from '@warm-handover/persistence';
import { parseTrustedIssuers, type TrustedIssuerConfig } from './trusted-issuers.config';
import { OTLP_PROTOCOLS } from './tracing/tracing';
import { parseAllowedHosts } from './webhook-allowlist';

export { DEV_WEBHOOK_SECRET_KEY };

const hostPort = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** Shorter HS256 keys are guessable offline from any token (RFC 7518 §3.2 asks for 256 bits). */
const MIN_JWT_SECRET_LENGTH = 32;

/**
 * The JWT_SECRET outside production, so `npm start`, the tests and `npm run token` agree without
 * setup. Public by definition: with NODE_ENV=production it is refused.
 */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-of-warm-handover-never-use-in-production';

/** The NOTICE_LINK_SECRET outside production; public like DEV_JWT_SECRET, and refused in production. */
export const DEV_NOTICE_LINK_SECRET = 'dev-only-notice-link-secret-of-warm-handover-never-in-production';

/**
 * The SUBJECT_PSEUDONYM_KEY outside production: the key of the pseudonyms that stand for people
 * in events. Public like DEV_JWT_SECRET, and refused in production.
 */
export const DEV_SUBJECT_PSEUDONYM_KEY = 'dev-only-subject-pseudonym-key-of-warm-handover-never-in-production';

/** Values never echoed in a config error: they would end up in logs (an SMTP URL may hold a password). */
const SECRET_KEYS: ReadonlySet<string> = new Set([
  'JWT_SECRET',
  'NOTICE_LINK_SECRET',
  'SMTP_URL',
  'SUBJECT_PSEUDONYM_KEY',
  // Entries may hold a login client's secret.
  'OIDC_ISSUERS',
  'WEBHOOK_SECRET_KEY',
  'OPERATOR_TOKEN',
]);

const seconds = (what: string) =>
  z.coerce
    .number({ error: `must be a number of seconds (${what})` })
    .int('must be a whole number')
    .min(1, 'must be at least 1');

function wholeNumber(min: number, max: number) {
  return z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be from ${min} to ${max}`)
    .max(max, `must be from ${min} to ${max}`);
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production'], {
    error: 'must be one of development, test, production',
  }),
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(1, 'must be from 1 to 65535')
    .max(65535, 'must be from 1 to 65535'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: 'must be one of fatal, error, warn, info, debug, trace, silent',
  }),
  DATABASE_URL: z
    .string({ error: 'is required: a postgres:// URL of the application database' })
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL'),
  TEMPORAL_ADDRESS: z.string().regex(hostPort, 'must be host:port of the Temporal frontend, e.g. 127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1, 'must not be empty'),
  TEMPORAL_TASK_QUEUE: z.string().min(1, 'must not be empty'),
  // How long the api waits for a workflow to take a command before answering 503 (the command
  // may be retried with the same Idempotency-Key): long enough for a busy worker, short enough
  // that no client or proxy gives up first.
  TEMPORAL_COMMAND_TIMEOUT_MS: wholeNumber(1000, 120_000),
  // Open workflows the worker keeps in memory, over all its workflow threads; the others are
  // rebuilt from their history when their next task comes. A cached handover costs well under
  // 1 MB of heap (bench/RESULTS.md, workflow-memory), so the default fits a 1 GiB heap.
  TEMPORAL_MAX_CACHED_WORKFLOWS: wholeNumber(2, 100_000),
  // Threads that run workflow code; each has a heap of its own, and a second uses the second core.
  TEMPORAL_WORKFLOW_THREADS: wholeNumber(1, 16),
  // Workflow tasks the worker runs at once (each holds its slot through its local activities).
  TEMPORAL_WORKFLOW_TASK_SLOTS: wholeNumber(2, 2000),
  // At most this many open polls for workflow tasks (and as many for activity tasks); the worker
  // scales between a few and this many by the server's backlog (workflows/src/workflow-bundle.ts).
  TEMPORAL_POLLERS: wholeNumber(2, 500),
  KAFKA_BROKERS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((b) => hostPort.test(b)), 'must be a comma-separated list of host:port'),
  KAFKA_CLIENT_ID: z.string().min(1, 'must not be empty'),
  // Demo and acceptance runs may give deadlines as wall-clock durations ("PT20S") to watch
  // escalation happen live; never in production.
  DEMO_MODE: z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true'),
  // Headless Chromium for the PDF report; without it the PDF answers 503 and the rest works.
  CHROMIUM_PATH: z.string().startsWith('/', 'must be an absolute path to a chromium executable'),
  JWT_SECRET: z
    .string()
    .min(
      MIN_JWT_SECRET_LENGTH,
      `must be at least ${MIN_JWT_SECRET_LENGTH} characters of random text, e.g. from \`openssl rand -base64 48\``,
    ),
  // The issuers the API trusts (JSON array or a file path); parsed by parseTrustedIssuers.
  OIDC_ISSUERS: z.string(),
  // HMAC-SHA256 key of the pseudonym that stands for a person (issuer + sub) in events and logs.
  // Kept outside the event store: whoever holds it can test a guess, nobody else can link.
  SUBJECT_PSEUDONYM_KEY: z
    .string()
    .min(
      MIN_JWT_SECRET_LENGTH,
      `must be at least ${MIN_JWT_SECRET_LENGTH} characters of random text, e.g. from \`openssl rand -base64 48\``,
    ),
  NOTIFIER_TASK_QUEUE: z.string().min(1, 'must not be empty'),
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^/]+/, 'must be an smtp:// or smtps:// URL, e.g. smtp://mail.example:587'),
  NOTICE_FROM: z.email('must be the functional sender address of notices, e.g. meldingen@organisatie.example'),
  // Where the links in a notice point: the API as its recipients reach it.
  PUBLIC_BASE_URL: z
    .url({
      protocol: /^https?$/,
      error: 'must be the http(s):// URL the API is reached at, e.g. https://warm-handover.example',
    })
    .transform((url) => url.replace(/\/+$/, '')),
  NOTICE_LINK_SECRET: z
    .string()
    .min(
      MIN_JWT_SECRET_LENGTH,
      `must be at least ${MIN_JWT_SECRET_LENGTH} characters of random text, e.g. from \`openssl rand -base64 48\``,
    ),
  // Exponential backoff of a failing delivery: first wait, longest wait, attempts before giving up.
  NOTICE_RETRY_INITIAL_SECONDS: seconds('the first wait after a failed delivery'),
  NOTICE_RETRY_MAX_SECONDS: seconds('the longest wait between deliveries'),
  NOTICE_MAX_ATTEMPTS: z.coerce
    .number({ error: 'must be a whole number' })
    .int()
    .min(1, 'must be at least 1')
    .max(50, 'must be at most 50'),
  // AES-256-GCM key of the webhook signing secrets at rest (libs/persistence SecretCipher).
  WEBHOOK_SECRET_KEY: z
    .string()
    .min(
      MIN_JWT_SECRET_LENGTH,
      `must be at least ${MIN_JWT_SECRET_LENGTH} characters of random text, e.g. from \`openssl rand -base64 48\``,
    ),
  // Webhook hosts an operator trusts although they are loopback, private or link-local.
  WEBHOOK_ALLOWED_HOSTS: z.string().transform((value, ctx) => {
    const { entries, problems } = parseAllowedHosts(value);
    for (const problem of problems) ctx.addIssue({ code: 'custom', message: problem });
    return entries;
  }),
  // Acknowledging is not resolving (issue 11): how long an acknowledgement silences the daily
  // repeats of a top-level notice. Whole working days, or an ISO-8601 duration for drills and demos.
  NOTICE_ACK_TIMEOUT: z
    .string()
    .regex(
      /^(?:[1-5]|P(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)$/,
      'must be a whole number of working days from 1 to 5, or an ISO-8601 duration such as "PT30S"',
    )
    .transform((v): number | string => (/^\d+$/.test(v) ? Number(v) : v)),
  // How often an unresolved top-level notice is sent again; a day, shorter only for drills and demos.
  NOTICE_REPEAT_SECONDS: seconds('between the repeats of a top-level notice'),
  // api: requests per window per client address and per signed-in subject (429 beyond).
  RATE_LIMIT_WINDOW_SECONDS: wholeNumber(1, 3600),
  RATE_LIMIT_PER_ADDRESS: wholeNumber(1, 10_000_000),
  RATE_LIMIT_PER_SUBJECT: wholeNumber(1, 10_000_000),
  // api: PDF reports printing or waiting to print; one more is answered 429.
  PDF_QUEUE_LIMIT: wholeNumber(1, 100),
  // worker, notifier: the port of /health/live, /health and /metrics; 0: any free port (logged).
  WORKER_OPS_PORT: wholeNumber(0, 65535),
  NOTIFIER_OPS_PORT: wholeNumber(0, 65535),
  // api: a CSS file of design tokens (rules under .utrecht-theme) that restyles the web app; empty: the Utrecht tokens.
  WEB_THEME_CSS: z.union([
    z.literal(''),
    z.string().startsWith('/', 'must be the absolute path of a CSS file of design tokens (rules under .utrecht-theme)'),
  ]),
  // OpenTelemetry traces over OTLP/HTTP (libs/platform/src/tracing): off while no endpoint is set.
  OTEL_EXPORTER_OTLP_ENDPOINT: z.union([
    z.literal(''),
    z.url({
      protocol: /^https?$/,
      error: 'must be the http(s):// base URL of an OTLP/HTTP receiver, e.g. http://otel-collector:4318',
    }),
  ]),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(OTLP_PROTOCOLS, {
    error: `must be one of ${OTLP_PROTOCOLS.join(', ')} (OTLP over HTTP; gRPC is not built in)`,
  }),
  OTEL_SERVICE_NAME: z.string(),
  OTEL_TRACES_SAMPLER: z.enum(
    [
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ],
    { error: 'must be one of the OpenTelemetry samplers, e.g. parentbased_traceidratio' },
  ),
  OTEL_TRACES_SAMPLER_ARG: z.union([
    z.literal(''),
    z.coerce
      .number({ error: 'must be a number from 0 to 1 (the share of traces kept)' })
      .min(0, 'must be a number from 0 to 1 (the share of traces kept)')
      .max(1, 'must be a number from 0 to 1 (the share of traces kept)'),
  ]),
  // The token operators send (X-Operator-Token, or as a bearer token) to see readiness details
  // and /metrics; empty: nobody sees them.
  OPERATOR_TOKEN: z.union([
    z.literal(''),
    z
      .string()
      .min(
        MIN_JWT_SECRET_LENGTH,
        `must be at least ${MIN_JWT_SECRET_LENGTH} characters of random text, e.g. from \`openssl rand -base64 48\``,
      ),
  ]),
});

export type AppConfig = Omit<z.infer<typeof schema>, 'OIDC_ISSUERS'> & {
  /** The identity providers the API trusts (see trusted-issuers.config.ts). */
  readonly OIDC_ISSUERS: readonly TrustedIssuerConfig[];
};

const DEFAULTS: Record<string, string> = {
  NODE_ENV: 'development',
  PORT: '3000',
  LOG_LEVEL: 'info',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: DEFAULT_TASK_QUEUE,
  TEMPORAL_COMMAND_TIMEOUT_MS: '10000',
  TEMPORAL_MAX_CACHED_WORKFLOWS: '5000',
  TEMPORAL_WORKFLOW_THREADS: '2',
  TEMPORAL_WORKFLOW_TASK_SLOTS: '100',
  TEMPORAL_POLLERS: '20',
  KAFKA_BROKERS: '',
  KAFKA_CLIENT_ID: 'warm-handover',
  DEMO_MODE: 'false',
  JWT_SECRET: DEV_JWT_SECRET,
  OIDC_ISSUERS: '',
  SUBJECT_PSEUDONYM_KEY: DEV_SUBJECT_PSEUDONYM_KEY,
  CHROMIUM_PATH: '/usr/bin/chromium',
  NOTIFIER_TASK_QUEUE: DEFAULT_NOTIFIER_TASK_QUEUE,
  // The capture server `npm start` runs; see scripts/smtp-capture.ts.
  SMTP_URL: 'smtp://127.0.0.1:2525',
  NOTICE_FROM: 'meldingen@warm-handover.example',
  PUBLIC_BASE_URL: 'http://localhost:3000',
  NOTICE_LINK_SECRET: DEV_NOTICE_LINK_SECRET,
  // About an hour of trying in all: 30 s, 1, 2, 4, 8, 16, 32 min.
  NOTICE_RETRY_INITIAL_SECONDS: '30',
  NOTICE_RETRY_MAX_SECONDS: '3600',
  NOTICE_MAX_ATTEMPTS: '8',
  WEBHOOK_SECRET_KEY: DEV_WEBHOOK_SECRET_KEY,
  WEBHOOK_ALLOWED_HOSTS: '',
  NOTICE_ACK_TIMEOUT: '1',
  NOTICE_REPEAT_SECONDS: '86400',
  // Far above what a team, the test suites or the benchmarks send; a flood is what they stop.
  RATE_LIMIT_WINDOW_SECONDS: '60',
  RATE_LIMIT_PER_ADDRESS: '20000',
  RATE_LIMIT_PER_SUBJECT: '10000',
  // Each print takes a core for a second or two; a longer queue only makes everyone wait.
  PDF_QUEUE_LIMIT: '4',
  OPERATOR_TOKEN: '',
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
  OTEL_SERVICE_NAME: '',
  OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  OTEL_TRACES_SAMPLER_ARG: '',
  WORKER_OPS_PORT: '0',
  NOTIFIER_OPS_PORT: '0',
  WEB_THEME_CSS: '',
};

/**
 * The public development values: used only when NODE_ENV is explicitly development or test.
 * With NODE_ENV unset or production the app refuses them, so a forgotten NODE_ENV fails closed.
 */
const DEV_SECRETS: readonly (readonly [string, string])[] = [
  ['JWT_SECRET', DEV_JWT_SECRET],
  ['SUBJECT_PSEUDONYM_KEY', DEV_SUBJECT_PSEUDONYM_KEY],
  ['NOTICE_LINK_SECRET', DEV_NOTICE_LINK_SECRET],
  ['WEBHOOK_SECRET_KEY', DEV_WEBHOOK_SECRET_KEY],
];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration, the app did not start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads and validates the settings an app uses from the environment, once, at boot. Every bad
 * value is reported at once, each with what to do about it. Empty strings count as unset.
 */
export function loadConfig(app: ConfigApp, env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Only the keys this app reads come from the environment (see CONFIG_KEYS); the rest keep defaults.
  const reads = new Set<string>(CONFIG_KEYS[app]);
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const given = reads.has(key) ? env[key] : undefined;
    raw[key] = given !== undefined && given !== '' ? given : DEFAULTS[key];
  }
  const problems: string[] = [];
  const development = env.NODE_ENV === 'development' || env.NODE_ENV === 'test';
  if (!development && env.NODE_ENV !== 'production') {
    for (const [key, devValue] of DEV_SECRETS) {
      if (reads.has(key) && raw[key] === devValue) {
        problems.push(
          `${key} is the public development value, used only with NODE_ENV=development or test (NODE_ENV is ${env.NODE_ENV ? JSON.stringify(env.NODE_ENV) : 'not set'}); set NODE_ENV=development for local use, or set ${key} to random text`,
        );
      }
    }
  }
  if (raw.NODE_ENV === 'production') {
    for (const key of REQUIRED_IN_PRODUCTION_BY_APP[app]) {
      if (!env[key]) problems.push(`${key} is required when NODE_ENV=production (no local default is assumed)`);
    }
    if (reads.has('JWT_SECRET') && env.JWT_SECRET) {
      problems.push(
        'JWT_SECRET is refused when NODE_ENV=production: shared-secret tokens are for development only; remove it and configure OIDC_ISSUERS',
      );
    }
    if (reads.has('SUBJECT_PSEUDONYM_KEY') && env.SUBJECT_PSEUDONYM_KEY === DEV_SUBJECT_PSEUDONYM_KEY) {
      problems.push(
        'SUBJECT_PSEUDONYM_KEY is the public development key, refused when NODE_ENV=production; set a random one',
      );
    }
    if (reads.has('NOTICE_LINK_SECRET') && env.NOTICE_LINK_SECRET === DEV_NOTICE_LINK_SECRET) {
      problems.push(
        'NOTICE_LINK_SECRET is the public development secret, refused when NODE_ENV=production; set a random one',
      );
    }
    if (reads.has('WEBHOOK_SECRET_KEY') && env.WEBHOOK_SECRET_KEY === DEV_WEBHOOK_SECRET_KEY) {
      problems.push(
        'WEBHOOK_SECRET_KEY is the public development key, refused when NODE_ENV=production; set a random one',
      );
    }
    if (raw.DEMO_MODE === 'true') {
      problems.push('DEMO_MODE=true is refused when NODE_ENV=production: demo deadlines are wall-clock seconds');
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      const value = raw[key];
      const got = SECRET_KEYS.has(key) ? `${value?.length ?? 0} characters` : JSON.stringify(value);
      problems.push(`${key} ${issue.message}${value !== undefined ? ` (got ${got})` : ''}`);
    }
  }
  const { issuers, problems: issuerProblems } = parseTrustedIssuers(raw.OIDC_ISSUERS ?? '', {
    // The development identity settings (http issuers, "*" organisations) need an explicit development NODE_ENV.
    production: !development,
  });
  problems.push(...issuerProblems.map((p) => `OIDC_ISSUERS ${p}`));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return { ...parsed.data, OIDC_ISSUERS: issuers };
}
