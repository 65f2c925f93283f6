import { timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** The header an operator sends with OPERATOR_TOKEN (as on the api's /health). */
export const OPERATOR_TOKEN_HEADER = 'x-operator-token';

/** One dependency's state, as the api's readiness reports it (terminus' shape). */
export interface ReadinessCheck {
  readonly status: 'up' | 'down';
  readonly [detail: string]: unknown;
}

export type ReadinessChecks = () => Promise<Record<string, ReadinessCheck>>;

/**
 * A registry for one app's metrics, every series labelled with the app, with Node.js's own
 * (event loop lag, heap, GC, CPU) alongside.
 */
export function createMetricsRegistry(app: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Whether the request carries OPERATOR_TOKEN, as X-Operator-Token or as a bearer token (what
 * Prometheus sends with `authorization: {credentials_file: …}`). Without the setting: nobody.
 */
export function isOperator(expected: string, headers: IncomingHttpHeaders): boolean {
  if (!expected) return false;
  const header = headers[OPERATOR_TOKEN_HEADER];
  const bearer = /^Bearer (.+)$/i.exec(headers.authorization ?? '')?.[1];
  const given = (Array.isArray(header) ? header[0] : header) ?? bearer;
  if (!given) return false;
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A loopback address with a free port for the Temporal Core's Prometheus exporter; its text is
 * served on the app's own /metrics (see scrapeText), so each app is one scrape target.
 */
export async function freeLoopbackAddress(): Promise<string> {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return `127.0.0.1:${port}`;
}

/** The metrics text at http://address/metrics; empty (and no error) while it cannot be read. */
export async function scrapeText(address: string | undefined): Promise<string> {
  if (!address) return '';
  try {
    const res = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? await res.text() : '';
  } catch {
    return '';
  }
}

/** The full exposition of a registry plus extra text (another exporter's), newline-separated. */
export async function metricsText(registry: Registry, extra: () => Promise<string>): Promise<string> {
  const [own, more] = await Promise.all([registry.metrics(), extra()]);
  return more ? `${own.trimEnd()}\n${more}` : own;
}

export interface OpsServerOptions {
  readonly app: string;
  /** 0: any free port (logged). */
  readonly port: number;
  readonly operatorToken: string;
  readonly registry: Registry;
  /** Text of another exporter to serve with the registry (the Temporal Core's). */
  readonly extraMetrics?: () => Promise<string>;
  readonly readiness: ReadinessChecks;
  readonly logger: Logger;
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 3_000;

/**
 * The worker's and notifier's operations listener, with the api's shape: GET /health/live (the
 * process answers), GET /health (readiness: {status:"ok"} or 503 {status:"error"}; what each
 * dependency reports only for an operator) and GET /metrics (Prometheus text, operators only).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { registry, operatorToken, logger } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { status: 'error', detail: 'only GET' });
    const operator = isOperator(operatorToken, req.headers);
    if (path === '/health/live') return send(200, { status: 'ok' });
    if (path === '/health') {
      void checkAll(options.readiness).then(
        (checks) => {
          const up = Object.values(checks).every((c) => c.status === 'up');
          send(
            up ? 200 : 503,
            operator ? { status: up ? 'ok' : 'error', details: checks } : { status: up ? 'ok' : 'error' },
          );
        },
        () => send(503, { status: 'error' }),
      );
      return;
    }
    if (path === '/metrics') {
      // Counts and timings only, but of a public-sector service: operators only, as /health's details.
      if (!operator) return send(404, { status: 'error', detail: 'not found' });
      void metricsText(registry, options.extraMetrics ?? (() => Promise.resolve(''))).then(
        (text) => send(200, text, registry.contentType),
        (error: unknown) => {
          logger.warn({ err: error }, 'metrics could not be collected');
          send(500, { status: 'error' });
        },
      );
      return;
    }
    send(404, { status: 'error', detail: 'not found' });
  });
  server.listen(options.port);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  logger.info({ port, app: options.app }, 'operations endpoints listening (/health/live, /health, /metrics)');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function checkAll(readiness: ReadinessChecks): Promise<Record<string, ReadinessCheck>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('readiness checks timed out')), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([readiness(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
