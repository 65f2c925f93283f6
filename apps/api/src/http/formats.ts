import type { Request } from 'express';
import { stringify } from 'csv-stringify/sync';
import { problemType } from './problem-details';
import { ProblemException } from './problem-details.filter';

/** The export formats and their media types; the first a route lists is its default. */
export const MEDIA_TYPES = {
  json: 'application/json',
  csv: 'text/csv',
  html: 'text/html',
  pdf: 'application/pdf',
} as const;

export type ExportFormat = keyof typeof MEDIA_TYPES;

/**
 * The format an export answers in: `?format=` when given (a link a person can click), else the
 * best match of the Accept header (content negotiation), else the route's first format.
 */
export function negotiateFormat<F extends ExportFormat>(request: Request, offered: readonly [F, ...F[]]): F {
  const asked = request.query.format;
  if (asked !== undefined) {
    const format = offered.find((f) => f === asked);
    if (!format) {
      throw new ProblemException({
        type: problemType('invalid-query'),
        title: 'The query is not valid',
        status: 400,
        detail: `format must be one of ${offered.join(', ')}, got ${JSON.stringify(asked)}.`,
        errors: [{ field: 'format', message: `must be one of ${offered.join(', ')}` }],
      });
    }
    return format;
  }
  const accepted = request.accepts(offered.map((f) => MEDIA_TYPES[f]));
  const format = offered.find((f) => MEDIA_TYPES[f] === accepted);
  if (!format) {
    throw new ProblemException({
      type: problemType('not-acceptable'),
      title: 'No acceptable format',
      status: 406,
      detail: `This export is available as ${offered.map((f) => MEDIA_TYPES[f]).join(', ')}; accept one of them or add ?format=${offered.join('|')}.`,
    });
  }
  return format;
}

/**
 * RFC 4180 CSV with a header row. Cells starting with =, +, -, @, tab or CR are prefixed with
 * a quote, so a spreadsheet opening the export never runs a formula someone typed into a field.
 */
export function toCsv<Row>(
  columns: readonly { readonly header: string; readonly value: (row: Row) => unknown }[],
  rows: readonly Row[],
): string {
  return stringify(
    rows.map((row) => columns.map((c) => cell(c.value(row)))),
    { header: true, columns: columns.map((c) => c.header), escape_formulas: true, record_delimiter: 'windows' },
  );
}

/** Numbers stay numbers, so a negative one is not taken for a formula. */
function cell(value: unknown): string | number {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number') return value;
  return typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}
