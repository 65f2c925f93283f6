import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { progress } from './cache';
import { resolveMavenClasspath } from './maven';
import { freePort, startProcess, waitForPort, type ManagedProcess } from './process';

/** Newest Apache Kafka 4.x on Maven Central; its broker runs on Java 17. */
export const KAFKA_VERSION = '4.4.0';
/**
 * kafka_2.13 brings log4j-core but no SLF4J binding, and Kafka's own classes log through SLF4J 1.7:
 * without this bridge (same version as the log4j-core Kafka pulls in) the broker logs nothing.
 */
const LOG4J_VERSION = '2.25.5';

const READY_TIMEOUT_MS = 120_000;
/** Partitions of __consumer_offsets; the readiness probe checks each (see PROBE_GROUPS). */
const OFFSETS_PARTITIONS = 5;

export interface KafkaBroker {
  /** bootstrap servers for clients, "127.0.0.1:PORT" */
  readonly brokers: string;
  readonly port: number;
  readonly controllerPort: number;
  /** Graceful shutdown (SIGTERM: Kafka flushes and closes its logs). */
  stop(): Promise<void>;
  /** SIGKILL, for fault drills; the next start recovers the logs. */
  kill(): Promise<void>;
  /** Stops and starts again on the same ports and data dir; topics and messages survive. */
  restart(): Promise<void>;
}

export interface KafkaOptions {
  /** Holds server.properties, the KRaft metadata and topic logs, and kafka.log (broker output). */
  readonly dataDir: string;
  readonly port?: number;
  readonly controllerPort?: number;
}

/** Directory of the broker's jars (Maven Central, through ~/.m2), for `java -cp '<dir>/*'`. */
export function ensureKafkaClasspath(): Promise<string> {
  return resolveMavenClasspath(`kafka-${KAFKA_VERSION}`, [
    { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: KAFKA_VERSION },
    { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j-impl', version: LOG4J_VERSION },
  ]);
}

/**
 * Starts a single-node Kafka (combined KRaft broker + controller) on 127.0.0.1 with its data in
 * `dataDir`, and resolves once clients can use it without retrying (see waitUntilReady). A dataDir
 * that is already formatted keeps its topics and messages; the ports may differ from the previous run.
 */
export async function startKafka(options: KafkaOptions): Promise<KafkaBroker> {
  const lib = await ensureKafkaClasspath();
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, 'kraft');
  mkdirSync(logDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const controllerPort = options.controllerPort ?? (await freePort());
  const brokers = `127.0.0.1:${port}`;

  // Rewritten on every start (ports may change); the formatted storage in logDir is what persists.
  const config = join(dataDir, 'server.properties');
  writeFileSync(config, serverProperties(logDir, port, controllerPort));
  const log4jConfig = join(dataDir, 'log4j2.properties');
  writeFileSync(log4jConfig, LOG4J2_PROPERTIES);
  const logFile = join(dataDir, 'kafka.log');
  const jvmArgs = [
    '-Xmx512m',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4jConfig}`,
    // Log4j's own shutdown hook would stop logging halfway through Kafka's shutdown, hiding
    // whether it completed; Kafka's logs flush on each line anyway.
    '-Dlog4j2.shutdownHookEnabled=false',
    '-cp',
    join(lib, '*'),
  ];

  if (!existsSync(join(logDir, 'meta.properties'))) {
    progress('kafka', `formatting KRaft storage in ${logDir}…`);
    await formatStorage(jvmArgs, config, logFile);
  }

  const launch = async (): Promise<ManagedProcess> => {
    const proc = startProcess('kafka', 'java', [...jvmArgs, 'kafka.Kafka', config], { logFile, cwd: dataDir });
    const alive = () => proc.child.exitCode === null && proc.child.signalCode === null;
    try {
      await waitForPort('127.0.0.1', port, READY_TIMEOUT_MS, 'Kafka', alive);
      await waitUntilReady(brokers, alive);
    } catch (err) {
      await proc.kill();
      throw new Error(`${(err as Error).message}\n--- last lines of ${logFile} ---\n${tail(logFile, 40)}`);
    }
    return proc;
  };

  const started = Date.now();
  let proc = await launch();
  progress(
    'kafka',
    `Kafka ${KAFKA_VERSION} ready on ${brokers} in ${Math.round((Date.now() - started) / 1000)} s (log: ${logFile})`,
  );
  return {
    brokers,
    port,
    controllerPort,
    // A controlled shutdown of a single node takes a few seconds; give it time before SIGKILL.
    stop: () => proc.stop(30_000),
    kill: () => proc.kill(),
    async restart() {
      await proc.stop(30_000);
      proc = await launch();
    },
  };
}

function serverProperties(logDir: string, port: number, controllerPort: number): string {
  return `# Generated by scripts/infra/kafka.ts on every start; edits are overwritten.
node.id=1
process.roles=broker,controller
# A static single-voter quorum: unlike a --standalone (dynamic) one, it keeps no controller
# address in the metadata log, so a later run may pick other ports for the same data dir.
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=${logDir}

num.partitions=3
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
# One node: every internal topic must make do with a single replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# The default 50 partitions per internal topic make the first consumer group or transaction
# wait while they are all created; a test broker needs few.
offsets.topic.num.partitions=${OFFSETS_PARTITIONS}
transaction.state.log.num.partitions=5
# After a kill, the controller refuses the restarted broker until the old session expires
# (default 9 s); a shorter session makes fault drills restart in seconds.
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=5000

# Small segments keep a test broker's disk use and restart recovery small.
log.segment.bytes=1048576
log.retention.hours=168
`;
}

/**
 * Broker output goes to stdout, which startProcess writes to kafka.log; nothing reaches our
 * console. INFO keeps startup and shutdown visible; the per-request loggers stay at WARN.
 */
const LOG4J2_PROPERTIES = `status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
# Each component dumps its full configuration (hundreds of lines) at INFO.
logger.config.name = org.apache.kafka.common.config.AbstractConfig
logger.config.level = WARN
`;

async function formatStorage(jvmArgs: readonly string[], config: string, logFile: string): Promise<void> {
  const args = [...jvmArgs, 'kafka.tools.StorageTool', 'format', '--config', config, '--cluster-id', clusterId()];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((done) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', (err) => done({ code: -1, output: `could not run java: ${err.message}` }));
    child.once('exit', (c) => done({ code: c, output: out }));
  });
  writeFileSync(logFile, output, { flag: 'a' });
  if (code !== 0) throw new Error(`Kafka StorageTool format failed (exit ${code}):\n${output.slice(-3000)}`);
}

/** A Kafka Uuid: 16 random bytes, base64url; like Uuid.randomUuid(), never starting with '-'. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * The port opens before the broker has caught up with the metadata log and registered; then the
 * group coordinator still loads (on a fresh broker: creates) __consumer_offsets, and the broker has
 * no block of producer ids yet. Until then clients get "coordinator is loading" errors: consumers
 * crash and restart, idempotent producers log errors and retry. Ready means a metadata request
 * answers, every offsets partition serves its groups, and an idempotent producer gets its id.
 */
async function waitUntilReady(brokers: string, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const kafka = new Kafka({
    clientId: 'warm-handover-infra-probe',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  // kafkajs refuses an idempotent producer without retries; the loop below does the waiting.
  const producer = kafka.producer({ idempotent: true, retry: { retries: 1 } });
  let lastError: unknown;
  try {
    for (;;) {
      try {
        await admin.connect();
        await admin.listTopics();
        await admin.describeGroups(PROBE_GROUPS);
        await producer.connect();
        return;
      } catch (err) {
        lastError = err;
      }
      if (!alive()) throw new Error('Kafka exited before it was ready');
      if (Date.now() > deadline)
        throw new Error(`Kafka was not ready within ${READY_TIMEOUT_MS} ms: ${String(lastError)}`);
      await sleep(250);
    }
  } finally {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
}

/**
 * One group id per __consumer_offsets partition, chosen the way the broker maps groups to
 * partitions (Java's String.hashCode, made non-negative, modulo the partition count).
 */
const PROBE_GROUPS: string[] = (() => {
  const byPartition = new Map<number, string>();
  for (let i = 0; byPartition.size < OFFSETS_PARTITIONS; i++) {
    const group = `warm-handover-ready-probe-${i}`;
    let hash = 0;
    for (const char of group) hash = (Math.imul(31, hash) + char.charCodeAt(0)) | 0;
    const partition = (hash === -2147483648 ? 0 : Math.abs(hash)) % OFFSETS_PARTITIONS;
    if (!byPartition.has(partition)) byPartition.set(partition, group);
  }
  return [...byPartition.values()];
})();

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** `npx tsx scripts/infra/kafka.ts [dataDir]`: runs a broker until Ctrl-C (temp dir if none given). */
async function main(): Promise<void> {
  const given = process.argv[2];
  const dataDir = given ?? mkdtempSync(join(tmpdir(), 'warm-handover-kafka-'));
  const kafka = await startKafka({ dataDir });
  process.stdout.write(`${kafka.brokers}\n`);
  progress('kafka', `data in ${dataDir}; Ctrl-C to stop`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    progress('kafka', 'stopping…');
    await kafka.stop();
    if (!given) rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
