import pino, { type Logger } from 'pino';

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
];

export function createLogger(app: string, level: string): Logger {
  return pino({ name: `warm-handover-${app}`, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
