/**
 * Static checks of docker/compose.yml: no Docker needed, so they run with the unit tests.
 *
 * compose-spec.schema.json is the Compose Specification's JSON schema (Apache-2.0, The Compose
 * Specification Authors), byte for byte as compose-spec/compose-spec has it at commit
 * 58a2548c4a5c81454433d91d4da18210d6dc0e46 (2025-07-20), taken from the npm package
 * dclint@3.1.0 (schemas/compose.schema.json). To update it, replace the file whole.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import Ajv from 'ajv';
import { parse } from 'yaml';

import { issuerDirectoryProblems } from '../../apps/api/src/auth/trusted-issuers';
import { CONFIG_KEYS, REQUIRED_IN_PRODUCTION, type ConfigApp } from '../../libs/contracts/src/config-keys';
import { parseTrustedIssuers } from '../../libs/platform/src/trusted-issuers.config';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface ComposeFile {
  services: Record<string, JsonObject>;
  volumes?: Record<string, Json>;
  [key: string]: Json | undefined;
}

const COMPOSE_PATH = join(__dirname, '../../docker/compose.yml');
const SCHEMA_PATH = join(__dirname, 'compose-spec.schema.json');

/** Services that others wait for with `service_healthy`, or that must report health anyway. */
const SERVICES_WITH_HEALTHCHECK = ['postgresql', 'temporal', 'kafka', 'api'] as const;

function loadCompose(): ComposeFile {
  // Compose resolves `<<` merge keys, which YAML 1.2 leaves off unless asked.
  return parse(readFileSync(COMPOSE_PATH, 'utf8'), { merge: true }) as ComposeFile;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Schema

function compileSpec(): (document: unknown) => string[] {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  // The file names draft-07 as `https://json-schema.org/draft-07/schema`; Ajv registers the
  // same meta-schema only under its canonical id, so point at that one.
  schema['$schema'] = 'http://json-schema.org/draft-07/schema#';
  // The spec declares unions such as ["boolean", "string"] on purpose, and often leaves out
  // `type: object` beside object keywords: its style, which Ajv 8 would otherwise log about.
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
  const validate = ajv.compile(schema);
  return (document) => {
    if (validate(document)) return [];
    return (validate.errors ?? []).map((error) => {
      // Ajv 8 says instancePath, Ajv 6 dataPath.
      const { instancePath, dataPath } = error as { instancePath?: string; dataPath?: string };
      return `${instancePath ?? dataPath ?? ''} ${error.message ?? ''} ${JSON.stringify(error.params)}`.trim();
    });
  };
}

// ---------------------------------------------------------------------------------------------
// Interpolation: only the `${NAME:-default}` / `${NAME-default}` defaults, never the caller's
// environment, so the checks see what a fresh checkout without docker/.env would run.

function withDefaults(value: string): string {
  return value
    .replace(/\$\$/g, '\u0000')
    .replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g,
      (_match, _name: string, fallback?: string) => fallback ?? '',
    )
    .replace(/\u0000/g, '$');
}

function environmentOf(service: JsonObject): Map<string, string | null> {
  const environment = service['environment'];
  const result = new Map<string, string | null>();
  if (Array.isArray(environment)) {
    for (const entry of environment) {
      const text = String(entry);
      const equals = text.indexOf('=');
      if (equals === -1) result.set(text, null);
      else result.set(text.slice(0, equals), withDefaults(text.slice(equals + 1)));
    }
  } else if (isObject(environment)) {
    for (const [key, value] of Object.entries(environment)) {
      result.set(key, value === null ? null : withDefaults(String(value)));
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Checks. Each returns a list of problems, empty when all is well, so a failure names them all.

function configKeyProblems(compose: ComposeFile, app: ConfigApp): string[] {
  const service = compose.services[app];
  if (!service) return [`service ${app} is missing`];
  const known: readonly string[] = CONFIG_KEYS[app];
  const environment = environmentOf(service);
  const problems: string[] = [];
  for (const key of environment.keys()) {
    if (!known.includes(key)) problems.push(`${app}: ${key} is not one of the app's config keys`);
  }
  for (const key of REQUIRED_IN_PRODUCTION) {
    const value = environment.get(key);
    if (value === undefined || value === null || value === '') problems.push(`${app}: required ${key} is not set`);
  }
  if (environment.get('NODE_ENV') !== 'production') problems.push(`${app}: NODE_ENV is not production`);
  return problems;
}

function dependsOnTargets(service: JsonObject): Map<string, string> {
  const dependsOn = service['depends_on'];
  const targets = new Map<string, string>();
  if (Array.isArray(dependsOn)) {
    for (const name of dependsOn) targets.set(String(name), 'service_started');
  } else if (isObject(dependsOn)) {
    for (const [name, options] of Object.entries(dependsOn)) {
      targets.set(name, isObject(options) ? String(options['condition'] ?? 'service_started') : 'service_started');
    }
  }
  return targets;
}

function hasHealthcheck(service: JsonObject | undefined): boolean {
  const healthcheck = service?.['healthcheck'];
  if (!isObject(healthcheck) || healthcheck['disable'] === true) return false;
  const test = healthcheck['test'];
  if (Array.isArray(test)) return test.length > 0 && test[0] !== 'NONE';
  return typeof test === 'string' && test.trim() !== '';
}

function dependencyProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const names = Object.keys(compose.services);
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [target, condition] of dependsOnTargets(service)) {
      if (!names.includes(target)) problems.push(`${name} depends on ${target}, which is not a service`);
      else if (target === name) problems.push(`${name} depends on itself`);
      else if (condition === 'service_healthy' && !hasHealthcheck(compose.services[target])) {
        problems.push(`${name} waits for ${target} to be healthy, but ${target} has no healthcheck`);
      }
    }
  }
  // A cycle would leave `docker compose up` waiting forever.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      problems.push(`dependency cycle: ${[...path.slice(path.indexOf(name)), name].join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    const service = compose.services[name];
    for (const target of service ? dependsOnTargets(service).keys() : []) {
      if (target in compose.services) visit(target, [...path, name]);
    }
    state.set(name, 'done');
  };
  for (const name of names) visit(name, []);
  return problems;
}

function volumeProblems(compose: ComposeFile): string[] {
  const declared = Object.keys(compose.volumes ?? {});
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    const volumes = service['volumes'];
    for (const volume of Array.isArray(volumes) ? volumes : []) {
      let source: string | undefined;
      if (typeof volume === 'string') {
        const parts = volume.split(':');
        source = parts.length > 1 ? parts[0] : undefined;
      } else if (isObject(volume) && volume['type'] === 'volume' && typeof volume['source'] === 'string') {
        source = volume['source'];
      }
      // Paths (./x, /x, ~/x) are bind mounts; anything else names a volume.
      if (source !== undefined && !/^[./~]/.test(source) && !declared.includes(source)) {
        problems.push(`${name} mounts volume ${source}, which is not declared under volumes`);
      }
    }
  }
  return problems;
}

interface Binding {
  service: string;
  hostIp: string;
  port: number;
  protocol: string;
}

function portRange(text: string): number[] {
  const [from, to = from] = text.split('-').map(Number);
  if (from === undefined || to === undefined || !Number.isInteger(from) || !Number.isInteger(to)) return [];
  return Array.from({ length: to - from + 1 }, (_unused, index) => from + index);
}

/** Host ports a service publishes; ports Docker picks at random cannot collide and are left out. */
function publishedBindings(name: string, service: JsonObject): Binding[] {
  const bindings: Binding[] = [];
  const ports = service['ports'];
  for (const entry of Array.isArray(ports) ? ports : []) {
    if (isObject(entry)) {
      const published = entry['published'];
      if (published === undefined || published === null || published === '') continue;
      for (const port of portRange(withDefaults(String(published)))) {
        bindings.push({
          service: name,
          hostIp: String(entry['host_ip'] ?? ''),
          port,
          protocol: String(entry['protocol'] ?? 'tcp'),
        });
      }
      continue;
    }
    const [mapping = '', protocol = 'tcp'] = withDefaults(String(entry)).split('/');
    let hostIp = '';
    let rest = mapping;
    const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(mapping);
    if (bracketed) {
      hostIp = bracketed[1] ?? '';
      rest = bracketed[2] ?? '';
    }
    const parts = rest.split(':');
    if (!bracketed && parts.length === 3) hostIp = parts.shift() ?? '';
    if (parts.length !== 2 || parts[0] === '') continue;
    for (const port of portRange(parts[0] ?? '')) bindings.push({ service: name, hostIp, port, protocol });
  }
  return bindings;
}

function portCollisions(compose: ComposeFile): string[] {
  const wildcard = (ip: string) => ip === '' || ip === '0.0.0.0' || ip === '::';
  const bindings = Object.entries(compose.services).flatMap(([name, service]) => publishedBindings(name, service));
  const problems: string[] = [];
  bindings.forEach((a, index) => {
    for (const b of bindings.slice(index + 1)) {
      const sameAddress = a.hostIp === b.hostIp || wildcard(a.hostIp) || wildcard(b.hostIp);
      if (a.port === b.port && a.protocol === b.protocol && sameAddress) {
        problems.push(`${a.service} and ${b.service} both publish host port ${a.port}/${a.protocol}`);
      }
    }
  });
  return problems;
}

/** The addresses the apps are given must name services of this file. */
function endpointProblems(compose: ComposeFile, app: ConfigApp): string[] {
  const service = compose.services[app];
  if (!service) return [`service ${app} is missing`];
  const environment = environmentOf(service);
  const problems: string[] = [];
  const checkHostPort = (key: string, address: string) => {
    const [, host, port] = /^([A-Za-z0-9._-]+):(\d+)$/.exec(address.trim()) ?? [];
    if (host === undefined || port === undefined) {
      problems.push(`${app}: ${key} entry "${address}" is not host:port`);
    } else if (!(host in compose.services)) {
      problems.push(`${app}: ${key} names ${host}, which is not a service`);
    }
  };

  const databaseUrl = environment.get('DATABASE_URL');
  if (databaseUrl) {
    try {
      const url = new URL(databaseUrl);
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
        problems.push(`${app}: DATABASE_URL is not a postgres:// URL`);
      }
      checkHostPort('DATABASE_URL', `${url.hostname}:${url.port || '5432'}`);
    } catch {
      problems.push(`${app}: DATABASE_URL is not a URL`);
    }
  }
  const temporalAddress = environment.get('TEMPORAL_ADDRESS');
  if (temporalAddress) checkHostPort('TEMPORAL_ADDRESS', temporalAddress);
  const brokers = environment.get('KAFKA_BROKERS');
  if (brokers) for (const broker of brokers.split(',')) checkHostPort('KAFKA_BROKERS', broker);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Observability: the Prometheus configuration and rules, and the Grafana provisioning. promtool
// is not at hand, so the rules are checked for the structure Prometheus requires.

const DOCKER_DIR = join(__dirname, '../../docker');
const readYaml = (path: string) => parse(readFileSync(join(DOCKER_DIR, path), 'utf8')) as Json;

/** Every metric name the apps define with prom-client (`name: 'warm_handover_…'`) or by hand. */
function exportedMetricNames(): Set<string> {
  const names = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry === 'node_modules' || entry === 'dist') continue;
      if (statSync(path).isDirectory()) visit(path);
      else if (path.endsWith('.ts') && !/\.(spec|int-spec)\.ts$/.test(path))
        for (const [, name] of readFileSync(path, 'utf8').matchAll(/name: '((?:warm_handover|http)_\w+)'/g))
          names.add(name!);
    }
  };
  visit(join(__dirname, '../../apps'));
  return names;
}

/** warm_handover_* names in a PromQL expression (suffixes of histograms and counters removed). */
function ownMetricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b(warm_handover_\w+|http_request_duration_seconds)\w*/g)].map((m) =>
    m[0].replace(/_(bucket|count|sum)$/, ''),
  );
}

function balanced(expr: string): boolean {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  let quoted = false;
  for (const ch of expr) {
    if (ch === '"') quoted = !quoted;
    if (quoted) continue;
    if ('([{'.includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0 && !quoted;
}

const DURATION = /^\d+(ms|s|m|h|d|w|y)$/;

/** The problems of a Prometheus rules file, as Prometheus would refuse it or operators miss it. */
function rulesProblems(rules: Json, exported: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (!isObject(rules) || !Array.isArray(rules['groups'])) return ['no groups list'];
  const names = new Set<string>();
  for (const group of rules['groups']) {
    if (!isObject(group) || typeof group['name'] !== 'string' || !Array.isArray(group['rules'])) {
      problems.push(`a group without a name or rules: ${JSON.stringify(group)}`);
      continue;
    }
    for (const rule of group['rules']) {
      if (!isObject(rule)) {
        problems.push(`${group['name']}: a rule that is not a mapping`);
        continue;
      }
      const alert = rule['alert'];
      const where = `${group['name']}/${String(alert)}`;
      if (typeof alert !== 'string' || !/^[A-Z][A-Za-z0-9]+$/.test(alert))
        problems.push(`${where}: alert is not a name`);
      else if (names.has(alert)) problems.push(`${where}: alert named twice`);
      else names.add(alert);
      const known = new Set(['alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);
      for (const key of Object.keys(rule)) if (!known.has(key)) problems.push(`${where}: unknown key ${key}`);
      const expr = rule['expr'];
      if (typeof expr !== 'string' || expr.trim() === '') problems.push(`${where}: expr is empty`);
      else {
        if (!balanced(expr)) problems.push(`${where}: unbalanced brackets or quotes in ${expr}`);
        for (const metric of ownMetricsIn(expr))
          if (!exported.has(metric)) problems.push(`${where}: ${metric} is not a metric the apps export`);
      }
      if (rule['for'] !== undefined && !DURATION.test(String(rule['for'])))
        problems.push(`${where}: for is not a duration`);
      const labels = rule['labels'];
      if (!isObject(labels) || !['warning', 'critical'].includes(String(labels['severity'])))
        problems.push(`${where}: labels.severity is not warning or critical`);
      const annotations = rule['annotations'];
      if (!isObject(annotations) || typeof annotations['summary'] !== 'string')
        problems.push(`${where}: annotations.summary is missing`);
    }
  }
  return problems;
}

describe('docker/compose.yml', () => {
  const validate = compileSpec();
  let compose: ComposeFile;

  beforeAll(() => {
    compose = loadCompose();
  });

  /** A copy of the compose file to break without touching the one other tests read. */
  const copy = (): ComposeFile => structuredClone(compose);

  describe('compose spec', () => {
    it('given the compose file, when validated against the compose spec, then it has no errors', () => {
      expect(validate(compose)).toEqual([]);
    });

    it.each<[string, (broken: ComposeFile) => void, string]>([
      [
        'a misspelt service key',
        (broken) => {
          const postgresql = broken.services['postgresql']!;
          postgresql['healtcheck'] = postgresql['healthcheck']!;
          delete postgresql['healthcheck'];
        },
        'healtcheck',
      ],
      [
        'a misspelt depends_on condition',
        (broken) => {
          broken.services['api']!['depends_on'] = { postgresql: { condition: 'service_healty' } };
        },
        'condition',
      ],
      [
        'a misspelt top-level key',
        (broken) => {
          broken['volume'] = broken.volumes ?? {};
          delete broken.volumes;
        },
        'volume',
      ],
    ])(
      'given the compose file with %s, when validated against the compose spec, then it is rejected',
      (_what, breakIt, mentioned) => {
        const broken = copy();
        breakIt(broken);

        const errors = validate(broken);

        expect(errors).not.toEqual([]);
        expect(errors.join('\n')).toContain(mentioned);
      },
    );
  });

  describe('app configuration', () => {
    it.each<ConfigApp>(['api', 'worker', 'notifier'])(
      'given the %s service, when its environment is compared with the config keys, then every key is known and every required key is set',
      (app) => {
        expect(configKeyProblems(compose, app)).toEqual([]);
      },
    );

    it('given the example issuers file the api mounts by default, when read as OIDC_ISSUERS in production, then Entra ID and Keycloak entries are valid', () => {
      const { issuers, problems } = parseTrustedIssuers(join(__dirname, '../../docker/oidc-issuers.example.json'), {
        production: true,
      });
      expect([...problems, ...issuerDirectoryProblems(issuers)]).toEqual([]);
      expect(issuers.map((i) => i.name)).toEqual(['vt-kennemerland-entra', 'keycloak-broker']);
    });

    it('given the apps, when their database settings are read, then each connects as a runtime role, after the one-shot migrate job that runs as the owner', () => {
      const userOf = (app: string) => new URL(environmentOf(compose.services[app]!).get('DATABASE_URL')!).username;
      expect({ api: userOf('api'), worker: userOf('worker'), notifier: userOf('notifier') }).toEqual({
        api: 'warm_handover_app',
        worker: 'warm_handover_app',
        notifier: 'warm_handover_notifier',
      });
      const migrate = compose.services['migrate']!;
      expect(new URL(environmentOf(migrate).get('MIGRATION_DATABASE_URL')!).username).toBe('warm_handover');
      expect(JSON.stringify(migrate['command'])).toContain('migrate.cli.js');
      for (const app of ['api', 'worker', 'notifier']) {
        expect(dependsOnTargets(compose.services[app]!).get('migrate')).toBe('service_completed_successfully');
      }
    });

    it('given the api service, when its PORT is read, then that container port is published and health-checked', () => {
      const api = compose.services['api']!;
      const port = environmentOf(api).get('PORT');

      expect(port).toBe('3000');
      expect(publishedBindings('api', api).map((binding) => binding.port)).toContain(Number(port));
      expect(JSON.stringify(api['healthcheck'])).toContain(`:${port}/health`);
    });

    it.each<ConfigApp>(['api', 'worker', 'notifier'])(
      'given the %s service, when its backend addresses are read, then each names a service of this file',
      (app) => {
        expect(endpointProblems(compose, app)).toEqual([]);
      },
    );

    it('given a worker with a misspelt key and no DATABASE_URL, when compared with the config keys, then both are reported', () => {
      const broken = copy();
      const environment = broken.services['worker']!['environment'] as JsonObject;
      environment['DATABASE_URI'] = environment['DATABASE_URL']!;
      delete environment['DATABASE_URL'];

      expect(configKeyProblems(broken, 'worker')).toEqual([
        "worker: DATABASE_URI is not one of the app's config keys",
        'worker: required DATABASE_URL is not set',
      ]);
    });

    it('given an api whose KAFKA_BROKERS names an unknown host, when its addresses are read, then that host is reported', () => {
      const broken = copy();
      (broken.services['api']!['environment'] as JsonObject)['KAFKA_BROKERS'] = 'kafka:9092,kafak:9092';

      expect(endpointProblems(broken, 'api')).toEqual(['api: KAFKA_BROKERS names kafak, which is not a service']);
    });
  });

  describe('service wiring', () => {
    it('given the compose file, when depends_on is resolved, then every target exists, is acyclic and has a healthcheck where one is awaited', () => {
      expect(dependencyProblems(compose)).toEqual([]);
    });

    it.each(SERVICES_WITH_HEALTHCHECK)(
      'given the %s service, when its definition is read, then it has a healthcheck',
      (name) => {
        expect(hasHealthcheck(compose.services[name])).toBe(true);
      },
    );

    it('given the compose file, when the named volumes are resolved, then each is declared', () => {
      expect(volumeProblems(compose)).toEqual([]);
    });

    it('given the compose file, when the published host ports are collected, then no two services share one', () => {
      expect(portCollisions(compose)).toEqual([]);
    });

    it('given a dependency on a misspelt service, when depends_on is resolved, then the missing target is reported', () => {
      const broken = copy();
      broken.services['worker']!['depends_on'] = { kafak: { condition: 'service_healthy' } };

      expect(dependencyProblems(broken)).toEqual(['worker depends on kafak, which is not a service']);
    });

    it('given two services publishing the same host port, when the ports are collected, then the collision is reported', () => {
      const broken = copy();
      broken.services['temporal-ui']!['ports'] = ['3000:8080'];

      expect(portCollisions(broken)).toEqual(['temporal-ui and api both publish host port 3000/tcp']);
    });
  });

  describe('temporal UI', () => {
    it('given the Temporal UI, when its settings are read, then it is read-only, behind sign-in and published on localhost only', () => {
      const ui = compose.services['temporal-ui']!;
      const environment = ui['environment'] as JsonObject;
      expect(environment).toMatchObject({
        TEMPORAL_DISABLE_WRITE_ACTIONS: 'true',
        TEMPORAL_BATCH_ACTIONS_DISABLED: 'true',
        TEMPORAL_AUTH_ENABLED: 'true',
        TEMPORAL_AUTH_TYPE: 'oidc',
      });
      for (const key of ['TEMPORAL_AUTH_PROVIDER_URL', 'TEMPORAL_AUTH_CLIENT_ID', 'TEMPORAL_AUTH_CLIENT_SECRET'])
        expect(String(environment[key])).toMatch(/^\$\{TEMPORAL_UI_AUTH_\w+:\?/);
      const bindings = publishedBindings('temporal-ui', ui);
      expect(bindings.length).toBeGreaterThan(0);
      expect(bindings.every((b) => b.hostIp === '127.0.0.1')).toBe(true);
    });
  });

  describe('observability', () => {
    const exported = exportedMetricNames();
    const bindSources = (name: string) =>
      ((compose.services[name]!['volumes'] ?? []) as Json[])
        .map((v) => String(v).split(':'))
        .filter(([source]) => source!.startsWith('./'))
        .map(([source, target]) => ({ source: join(DOCKER_DIR, source!), target: target! }));

    it('given the prometheus and grafana services, when read, then their mounted files exist and they are published on localhost only', () => {
      for (const name of ['prometheus', 'grafana']) {
        const service = compose.services[name];
        expect({ name, present: service !== undefined }).toEqual({ name, present: true });
        const mounts = bindSources(name);
        expect(mounts.length).toBeGreaterThan(0);
        for (const { source } of mounts)
          expect({ source, exists: existsSync(source) }).toEqual({ source, exists: true });
        const bindings = publishedBindings(name, service!);
        expect(bindings.length).toBeGreaterThan(0);
        expect(bindings.every((b) => b.hostIp === '127.0.0.1')).toBe(true);
      }
    });

    it('given the Prometheus configuration, when read, then it scrapes the api, worker and notifier on their ports with the operator token, and loads the mounted rules', () => {
      const config = readYaml('prometheus/prometheus.yml') as JsonObject;
      const jobs = new Map(
        (config['scrape_configs'] as JsonObject[]).map((job) => [String(job['job_name']), job] as const),
      );
      const ports = {
        api: environmentOf(compose.services['api']!).get('PORT'),
        worker: environmentOf(compose.services['worker']!).get('WORKER_OPS_PORT'),
        notifier: environmentOf(compose.services['notifier']!).get('NOTIFIER_OPS_PORT'),
      };
      for (const [app, port] of Object.entries(ports)) {
        const job = jobs.get(app);
        expect({ app, job: job !== undefined, port: port !== undefined && port !== null }).toEqual({
          app,
          job: true,
          port: true,
        });
        const targets = JSON.stringify([job!['static_configs'], job!['dns_sd_configs']]);
        expect({ app, scraped: targets.includes(`${app}:${port}`) || targets.includes(`"port":${port}`) }).toEqual({
          app,
          scraped: true,
        });
        expect((job!['authorization'] as JsonObject)['credentials_file']).toBe('/tmp/operator-token');
        // The apps answer /metrics only to the operator token, so each must have one.
        expect(environmentOf(compose.services[app]!).get('OPERATOR_TOKEN')).toBeDefined();
      }
      const mounted = bindSources('prometheus').map((m) => m.target);
      for (const file of config['rule_files'] as string[]) expect(mounted).toContain(file);
    });

    it('given the alert rules, when parsed, then each is well formed, uses metrics the apps export, and the alerts operators need are there', () => {
      const rules = readYaml('prometheus/alerts.yml');
      expect(rulesProblems(rules, exported)).toEqual([]);
      const alerts = ((rules as JsonObject)['groups'] as JsonObject[]).flatMap((g) =>
        (g['rules'] as JsonObject[]).map((r) => r['alert']),
      );
      expect(alerts).toEqual(
        expect.arrayContaining(['NoticeUndeliverableAtTop', 'OutboxRelayLagging', 'NoWorkerPolling']),
      );
    });

    it('given a rule with a misspelt metric, unbalanced brackets and no severity, when checked, then each is reported', () => {
      const broken = {
        groups: [
          { name: 'g', rules: [{ alert: 'Broken', expr: 'max(warm_handover_relay_lagg_seconds > 1', labels: {} }] },
        ],
      };
      expect(rulesProblems(broken, exported)).toEqual([
        'g/Broken: unbalanced brackets or quotes in max(warm_handover_relay_lagg_seconds > 1',
        'g/Broken: warm_handover_relay_lagg_seconds is not a metric the apps export',
        'g/Broken: labels.severity is not warning or critical',
        'g/Broken: annotations.summary is missing',
      ]);
    });

    it('given the Grafana provisioning, when read, then the dashboard is loaded from the mounted folder, on the provisioned data source, over exported metrics', () => {
      const datasources = readYaml('grafana/provisioning/datasources/prometheus.yml') as JsonObject;
      const [source] = datasources['datasources'] as JsonObject[];
      expect(source).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
      const providers = readYaml('grafana/provisioning/dashboards/warm-handover.yml') as JsonObject;
      const path = ((providers['providers'] as JsonObject[])[0]!['options'] as JsonObject)['path'];
      const mount = bindSources('grafana').find((m) => m.target === path);
      expect(mount).toBeDefined();
      const dashboard = JSON.parse(readFileSync(join(mount!.source, 'warm-handover.json'), 'utf8')) as JsonObject;
      const panels = dashboard['panels'] as JsonObject[];
      expect(panels.length).toBeGreaterThan(5);
      for (const panel of panels) {
        expect((panel['datasource'] as JsonObject)['uid']).toBe(source!['uid']);
        for (const target of panel['targets'] as JsonObject[]) {
          const expr = String(target['expr']);
          expect({ expr, balanced: balanced(expr) }).toEqual({ expr, balanced: true });
          for (const metric of ownMetricsIn(expr))
            expect({ metric, exported: exported.has(metric) }).toEqual({ metric, exported: true });
        }
      }
    });

    it('given the apps, when their tracing settings are read, then each exports OTLP/HTTP to the collector, which forwards traces to Jaeger, published on localhost only', () => {
      for (const app of ['api', 'worker', 'notifier'] as const) {
        const environment = environmentOf(compose.services[app]!);
        expect({ app, endpoint: environment.get('OTEL_EXPORTER_OTLP_ENDPOINT') }).toEqual({
          app,
          endpoint: 'http://otel-collector:4318',
        });
        expect(environment.get('OTEL_EXPORTER_OTLP_PROTOCOL')).toBe('http/protobuf');
        // Tracing is never something an app waits for.
        expect(dependsOnTargets(compose.services[app]!).has('otel-collector')).toBe(false);
      }
      const [mount] = bindSources('otel-collector');
      expect(mount && existsSync(mount.source)).toBe(true);
      const config = readYaml('otel-collector/config.yaml') as JsonObject;
      const http = (((config['receivers'] as JsonObject)['otlp'] as JsonObject)['protocols'] as JsonObject)['http'];
      expect((http as JsonObject)['endpoint']).toBe('0.0.0.0:4318');
      const traces = ((config['service'] as JsonObject)['pipelines'] as JsonObject)['traces'] as JsonObject;
      expect(traces['receivers']).toEqual(['otlp']);
      for (const exporter of traces['exporters'] as string[]) {
        const endpoint = String(((config['exporters'] as JsonObject)[exporter] as JsonObject)['endpoint']);
        expect({ exporter, target: endpoint.split(':')[0] }).toEqual({ exporter, target: 'jaeger' });
      }
      for (const name of ['otel-collector', 'jaeger']) {
        const bindings = publishedBindings(name, compose.services[name]!);
        expect({ name, localOnly: bindings.length > 0 && bindings.every((b) => b.hostIp === '127.0.0.1') }).toEqual({
          name,
          localOnly: true,
        });
      }
      const jaeger = (readYaml('grafana/provisioning/datasources/jaeger.yml') as JsonObject)[
        'datasources'
      ] as JsonObject[];
      expect(jaeger[0]).toMatchObject({ type: 'jaeger', url: 'http://jaeger:16686' });
    });

    it('given the worker and the notifier, when their healthchecks are read, then each asks readiness on its ops port', () => {
      for (const [app, key] of [
        ['worker', 'WORKER_OPS_PORT'],
        ['notifier', 'NOTIFIER_OPS_PORT'],
      ] as const) {
        const port = environmentOf(compose.services[app]!).get(key);
        const test = JSON.stringify((compose.services[app]!['healthcheck'] as JsonObject)['test']);
        expect({ app, test: test.includes(`127.0.0.1:${port}/health`) }).toEqual({ app, test: true });
      }
    });
  });
});
