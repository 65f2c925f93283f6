import type { IncomingMessage } from 'node:http';
import pino, { type Logger } from 'pino';

/**
 * Query parameters that are credentials: an acknowledgement link's token (whoever holds it can
 * acknowledge the notice), and the OpenID sign-in's code and state.
 */
export const SENSITIVE_QUERY_PARAMS = ['token', 'code', 'state', 'session_state', 'id_token_hint'] as const;

/** A request URL with the values of SENSITIVE_QUERY_PARAMS replaced, for logs. */
export function redactQuery(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  let changed = false;
  for (const name of SENSITIVE_QUERY_PARAMS) {
    if (params.has(name)) {
      params.set(name, 'redacted');
      changed = true;
    }
  }
  return changed ? `${url.slice(0, at)}?${params.toString()}` : url;
}

/** pino-http's request serializer, applied after the standard one: no credential in `url`. */
export function serializeRequest<T extends { url?: string }>(req: T): T {
  return typeof req.url === 'string' ? { ...req, url: redactQuery(req.url) } : req;
}

/**
 * Structured JSON logs. Fields that could carry personal data are redacted by path as a second
 * line of defence; events and logs reference cases and children by pseudonymous ids only.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  // The session cookie the API sets after a browser sign-in.
  'res.headers["set-cookie"]',
  '*.name',
  '*.bsn',
  '*.address',
  '*.email',
  '*.phone',
  // Acknowledgement link tokens and sign-in codes ride in query strings (see redactQuery); the
  // form on the acknowledgement page posts back with the link, token and all, as its Referer.
  ...SENSITIVE_QUERY_PARAMS.map((param) => `req.query.${param}`),
  'req.headers.referer',
];

export function createLogger(app: string, level: string): Logger {
  return pino({ name: `warm-handover-${app}`, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}

/** The request log of an app (nestjs-pino's pinoHttp options). */
export function httpLoggerOptions(app: string, level: string) {
  return {
    name: `warm-handover-${app}`,
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest },
    // Health probes every few seconds would drown the request log.
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/health/live' },
  };
}
