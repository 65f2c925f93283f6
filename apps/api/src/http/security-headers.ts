import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The API's own pages (the case report, the acknowledgement form) run no script and load
 * nothing: styles are inline (the report is one self-contained printable page), images only
 * data: URLs, forms post back to this API. Nothing may frame any answer (clickjacking of the
 * acknowledgement button).
 */
export const PAGE_CSP = {
  'default-src': ["'none'"],
  'style-src': ["'unsafe-inline'"],
  'img-src': ['data:'],
  'form-action': ["'self'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** Swagger UI (/docs) loads its own scripts and styles from this API and reads docs/openapi.json. */
export const DOCS_CSP = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The web app (/app): its style sheets and its one script are files of this API, never inline;
 * the script reads the worklist and its event stream from here; forms post back here.
 */
export const WEB_CSP = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Security headers on every answer (helmet): a strict Content-Security-Policy, X-Frame-Options
 * DENY, nosniff, no referrer, HSTS, and the cross-origin isolation headers. /docs gets the one
 * relaxation Swagger UI needs: scripts of this API; /app its own script and style sheets.
 */
export function securityHeaders(): RequestHandler {
  const options = (directives: Record<string, string[]>) =>
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    });
  const pages = options(PAGE_CSP);
  const docs = options(DOCS_CSP);
  const web = options(WEB_CSP);
  return (req, res, next) =>
    (req.path === '/docs' || req.path.startsWith('/docs/')
      ? docs
      : req.path === '/app' || req.path.startsWith('/app/')
        ? web
        : pages)(req, res, next);
}
