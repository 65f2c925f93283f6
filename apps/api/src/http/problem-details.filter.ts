import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, problemType } from './problem-details';

/** An error that already knows its problem details (domain errors map to these, once). */
export class ProblemException extends HttpException {
  /** `headers` go out with the problem, e.g. Retry-After of a 429 or 503. */
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem, problem.status);
  }
}

const TITLES: Record<number, [slug: string, title: string, detail: string]> = {
  400: ['bad-request', 'The request is not valid', 'Correct the request and send it again.'],
  401: ['unauthenticated', 'Authentication required', 'Send a valid bearer token in the Authorization header.'],
  403: ['forbidden', 'Not allowed', 'Your organisation or role may not do this.'],
  404: ['not-found', 'Not found', 'Check the path and the id in it.'],
  405: ['method-not-allowed', 'Method not allowed', 'See /docs for the methods this path accepts.'],
  409: ['conflict', 'Conflict with the current state', 'Read the current state and decide again.'],
  413: ['payload-too-large', 'Request body too large', 'Send a smaller body.'],
  415: ['unsupported-media-type', 'Unsupported media type', 'Send the body as application/json.'],
  422: ['unprocessable', 'The request cannot be processed', 'Check the ids the request refers to.'],
  503: ['unavailable', 'Service unavailable', 'A dependency is down; retry later with the same Idempotency-Key.'],
};

/**
 * The problem details an error is answered with: what the filter sends, and what the idempotency
 * interceptor stores for a refused command. Pure, so both compute the same answer.
 */
export function toProblem(exception: unknown, instance: string): ProblemDetails {
  return { ...problemOf(exception), instance };
}

/** True for errors nobody anticipated (answered 500 without internals, logged with their stack). */
function isUnexpected(exception: unknown, problem: ProblemDetails): boolean {
  return !(exception instanceof HttpException) && problem.status >= 500 && !isDatabaseUnreachable(exception);
}

/**
 * Node's network errors and PostgreSQL's connection_exception class (08…) and shutdown codes
 * (57P01 admin, 57P02 crash, 57P03 cannot connect now): the database is not there, the request
 * itself may be fine.
 */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
/** What node-postgres says when its connection dies or a pool cannot connect in time. */
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** True when PostgreSQL could not be reached; TypeORM keeps the driver's error as `driverError`. */
function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const { code, message, driverError, cause, errors } = error as Record<string, unknown>;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  if (typeof message === 'string' && UNREACHABLE_MESSAGES.test(message)) return true;
  // Connecting to a host name with several addresses fails with an AggregateError of each attempt.
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnreachable(e, depth + 1))) return true;
  return isDatabaseUnreachable(driverError, depth + 1) || isDatabaseUnreachable(cause, depth + 1);
}

function problemOf(exception: unknown): ProblemDetails {
  if (exception instanceof ProblemException) return exception.problem;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const [slug, title, advice] = TITLES[status] ?? ['http-error', exception.name, ''];
    const body = exception.getResponse();
    const given = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    let detail = Array.isArray(given) ? given.join('; ') : typeof given === 'string' ? given : title;
    // Nest wraps body-parser's JSON syntax errors in a BadRequestException with the parser's message.
    if (
      status === 400 &&
      (exception.cause instanceof SyntaxError || /\bin JSON at position\b|JSON input/.test(detail))
    ) {
      detail = `The body is not valid JSON (${detail})`;
    }
    // A failed health check (terminus) says which dependency is down; the problem keeps that.
    const details = (body as { details?: unknown } | null)?.details;
    return {
      type: problemType(slug),
      title,
      status,
      detail: advice ? `${detail}. ${advice}` : detail,
      ...(details !== null && typeof details === 'object' ? { details } : {}),
    };
  }
  // body-parser errors (malformed JSON, body too large) carry a status of their own.
  const status = (exception as { status?: unknown; type?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const [slug, title, advice] = TITLES[status] ?? ['bad-request', 'The request is not valid', ''];
    const detail =
      (exception as { type?: unknown }).type === 'entity.parse.failed'
        ? `The body is not valid JSON. ${advice}`
        : `${(exception as Error).message}. ${advice}`;
    return { type: problemType(slug), title, status, detail };
  }
  // PostgreSQL cannot store a NUL character or an invalid byte sequence: the request's fault.
  const failed = exception as { code?: unknown; driverError?: { code?: unknown } } | null;
  const sqlState = failed?.driverError?.code ?? failed?.code;
  if (sqlState === '22021' || sqlState === '22P05') {
    return {
      type: problemType('bad-request'),
      title: 'The request is not valid',
      status: HttpStatus.BAD_REQUEST,
      detail:
        'The request contains a character that cannot be stored, such as NUL (\\u0000). Remove it and send the request again.',
    };
  }
  if (isDatabaseUnreachable(exception)) {
    return {
      type: problemType('unavailable'),
      title: 'Service unavailable',
      status: HttpStatus.SERVICE_UNAVAILABLE,
      detail:
        'The database cannot be reached right now. Retry in a moment; send a command again with the same Idempotency-Key, so it runs at most once.',
    };
  }
  return {
    type: problemType('internal'),
    title: 'Internal error',
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    detail: 'Something went wrong on our side. Retry later; if it persists, tell the operator the time of the request.',
  };
}

/**
 * Every error leaves the API as RFC 9457 problem details with a detail that says what to do.
 * Unexpected errors are logged with their stack and answered without internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext(ProblemDetailsFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = toProblem(exception, request.originalUrl);
    if (isUnexpected(exception, problem)) this.logger.error({ err: exception }, 'unhandled error');
    else if (problem.status === 503 && !(exception instanceof HttpException))
      this.logger.warn({ err: (exception as Error).message }, 'database unreachable; answered 503');
    // RFC 9110 §15.5.2: a 401 names the scheme that would be accepted.
    if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="warm-handover"');
    if (exception instanceof ProblemException) {
      for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    }
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).json(problem);
  }
}
