/**
 * The standard OpenTelemetry settings every app checks at start (the SDK reads them, and the
 * rest of the OTEL_* family, from the environment itself): off unless an endpoint is set.
 */
export const TRACING_KEYS = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_SERVICE_NAME',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
] as const;

/**
 * The environment variables each app reads, by name. The apps' config loaders and the
 * deployment files (docker/compose.yml, checked by test/docker/compose.spec.ts) both use this
 * list, so a renamed or new setting cannot drift between the code and its deployments.
 */
export const CONFIG_KEYS = {
  api: [
    'NODE_ENV',
    'PORT',
    'LOG_LEVEL',
    'DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'TEMPORAL_NAMESPACE',
    'TEMPORAL_TASK_QUEUE',
    'TEMPORAL_COMMAND_TIMEOUT_MS',
    'KAFKA_BROKERS',
    'KAFKA_CLIENT_ID',
    'JWT_SECRET',
    'OIDC_ISSUERS',
    'SUBJECT_PSEUDONYM_KEY',
    'PUBLIC_BASE_URL',
    'DEMO_MODE',
    'CHROMIUM_PATH',
    'NOTICE_LINK_SECRET',
    'WEBHOOK_SECRET_KEY',
    'WEBHOOK_ALLOWED_HOSTS',
    'RATE_LIMIT_WINDOW_SECONDS',
    'RATE_LIMIT_PER_ADDRESS',
    'RATE_LIMIT_PER_SUBJECT',
    'PDF_QUEUE_LIMIT',
    'OPERATOR_TOKEN',
    'WEB_THEME_CSS',
    // OpenTelemetry traces (README "Tracing"): the SDK reads these itself; the app checks them.
    ...TRACING_KEYS,
  ],
  worker: [
    'NODE_ENV',
    'LOG_LEVEL',
    'DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'TEMPORAL_NAMESPACE',
    'TEMPORAL_TASK_QUEUE',
    'TEMPORAL_MAX_CACHED_WORKFLOWS',
    'TEMPORAL_WORKFLOW_THREADS',
    'TEMPORAL_WORKFLOW_TASK_SLOTS',
    'TEMPORAL_POLLERS',
    'KAFKA_BROKERS',
    'KAFKA_CLIENT_ID',
    'WORKER_OPS_PORT',
    'OPERATOR_TOKEN',
    // OpenTelemetry traces (README "Tracing"): the SDK reads these itself; the app checks them.
    ...TRACING_KEYS,
  ],
  notifier: [
    'NODE_ENV',
    'LOG_LEVEL',
    'DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'TEMPORAL_NAMESPACE',
    'NOTIFIER_TASK_QUEUE',
    'TEMPORAL_WORKFLOW_TASK_SLOTS',
    'TEMPORAL_POLLERS',
    'KAFKA_BROKERS',
    'KAFKA_CLIENT_ID',
    'SMTP_URL',
    'NOTICE_FROM',
    'PUBLIC_BASE_URL',
    'NOTICE_LINK_SECRET',
    'NOTICE_RETRY_INITIAL_SECONDS',
    'NOTICE_RETRY_MAX_SECONDS',
    'NOTICE_MAX_ATTEMPTS',
    'WEBHOOK_SECRET_KEY',
    'WEBHOOK_ALLOWED_HOSTS',
    'NOTICE_ACK_TIMEOUT',
    'NOTICE_REPEAT_SECONDS',
    'NOTIFIER_OPS_PORT',
    'OPERATOR_TOKEN',
    // OpenTelemetry traces (README "Tracing"): the SDK reads these itself; the app checks them.
    ...TRACING_KEYS,
  ],
} as const;

/** An app that has its own config: `api`, `worker` or `notifier`. */
export type ConfigApp = keyof typeof CONFIG_KEYS;

/** A config key one app reads; without a type argument, a key any app reads. */
export type ConfigKey<TApp extends ConfigApp = ConfigApp> = (typeof CONFIG_KEYS)[TApp][number];

/**
 * Keys without a safe default: with NODE_ENV=production an app must refuse to start when one
 * is missing rather than fall back to a local address. Every app reads all of them.
 */
export const REQUIRED_IN_PRODUCTION = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'KAFKA_BROKERS'] as const;

export type RequiredInProductionKey = (typeof REQUIRED_IN_PRODUCTION)[number];

/**
 * What each app must be given explicitly with NODE_ENV=production: the shared keys above plus
 * the secrets only that app reads. The api trusts the identity providers of OIDC_ISSUERS
 * (shared-secret tokens are refused in production), pseudonymises people with
 * SUBJECT_PSEUDONYM_KEY and sends browsers back to PUBLIC_BASE_URL after sign-in; the worker
 * serves no HTTP and reads none of them. The notifier signs the
 * acknowledgement links the api verifies (NOTICE_LINK_SECRET), and must know where mail goes and
 * where its links point.
 */
export const REQUIRED_IN_PRODUCTION_BY_APP = {
  api: [
    ...REQUIRED_IN_PRODUCTION,
    'OIDC_ISSUERS',
    'SUBJECT_PSEUDONYM_KEY',
    'PUBLIC_BASE_URL',
    'NOTICE_LINK_SECRET',
    'WEBHOOK_SECRET_KEY',
  ],
  worker: REQUIRED_IN_PRODUCTION,
  notifier: [...REQUIRED_IN_PRODUCTION, 'SMTP_URL', 'PUBLIC_BASE_URL', 'NOTICE_LINK_SECRET', 'WEBHOOK_SECRET_KEY'],
} as const satisfies { readonly [TApp in ConfigApp]: readonly ConfigKey<TApp>[] };
