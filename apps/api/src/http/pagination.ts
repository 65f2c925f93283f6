import type { Request, Response } from 'express';
import { problemType } from './problem-details';
import { ProblemException } from './problem-details.filter';

/**
 * Cursor pagination of every list: `?limit=&cursor=`. The cursor is opaque to clients (base64url
 * of where the last page ended: a position or an id, never a page number, so an insert between
 * two pages neither repeats nor skips an entry). An answer with more to come says where to go on:
 * `next` (the cursor) in a JSON object answer, and always a `Link: <…>; rel="next"` header, so a
 * list answered as a bare JSON array keeps its shape.
 */
export interface PageRequest {
  readonly limit: number;
  /** Where the previous page ended, as the list encoded it; absent on the first page. */
  readonly after?: string;
}

export interface Page<T> {
  readonly items: T[];
  /** The cursor of the next page, or null on the last. */
  readonly next: string | null;
}

export function pageRequest(
  limit: string | undefined,
  cursor: string | undefined,
  bounds: { readonly max: number; readonly default?: number },
): PageRequest {
  const size = limit === undefined ? (bounds.default ?? bounds.max) : Number(limit);
  if (!/^\d{1,7}$/.test(limit ?? '1') || !Number.isInteger(size) || size < 1 || size > bounds.max) {
    throw invalid('limit', `must be a whole number from 1 to ${bounds.max}`);
  }
  if (cursor === undefined) return { limit: size };
  return { limit: size, after: decodeCursor(cursor) };
}

/** What a cursor looks like: base64url, never longer than any list writes one. */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,400}$/;

export function encodeCursor(after: string): string {
  return Buffer.from(JSON.stringify({ a: after }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    if (!CURSOR_PATTERN.test(cursor)) throw new Error('not base64url');
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { a?: unknown };
    if (typeof parsed.a !== 'string') throw new Error('no position');
    return parsed.a;
  } catch {
    throw invalid('cursor', 'must be the `next` cursor of an earlier answer of this list, unchanged');
  }
}

/** The position a positional list's cursor holds; a cursor of another list is a 400. */
export function cursorPosition(request: PageRequest): number | undefined {
  if (request.after === undefined) return undefined;
  if (!/^\d{1,15}$/.test(request.after)) {
    throw invalid('cursor', 'must be the `next` cursor of an earlier answer of this list, unchanged');
  }
  return Number(request.after);
}

/** One page of a list already in memory, in its order; `keyOf` names an entry for the cursor. */
export function pageOf<T>(items: readonly T[], keyOf: (item: T) => string, request: PageRequest): Page<T> {
  let start = 0;
  if (request.after !== undefined) {
    const at = items.findIndex((item) => keyOf(item) === request.after);
    if (at < 0) throw invalid('cursor', 'names an entry this list no longer has; start again without a cursor');
    start = at + 1;
  }
  const page = items.slice(start, start + request.limit);
  const more = start + request.limit < items.length;
  return { items: page, next: more && page.length > 0 ? encodeCursor(keyOf(page.at(-1)!)) : null };
}

/** Sets `Link: <this path with the next cursor>; rel="next"` when there is a next page. */
export function linkNext(request: Request, response: Response, next: string | null, limit: number): void {
  if (next === null) return;
  const url = new URL(request.originalUrl, 'http://api.invalid');
  url.searchParams.set('limit', String(limit));
  url.searchParams.set('cursor', next);
  response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
}

function invalid(field: string, message: string): ProblemException {
  return new ProblemException({
    type: problemType('invalid-query'),
    title: 'The query is not valid',
    status: 400,
    detail: `${field} ${message}.`,
    errors: [{ field, message }],
  });
}
