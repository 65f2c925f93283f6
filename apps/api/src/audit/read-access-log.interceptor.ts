import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { catchError, concatMap, from, type Observable, switchMap, throwError } from 'rxjs';
import { type ReadAccess, ReadAccessLog, type ReadOutcome } from '@warm-handover/persistence';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { toProblem } from '../http/problem-details.filter';

/**
 * Registered globally: every GET by a signed-in caller is recorded in the read access log, the
 * answered ones and the refused ones alike, and so is every command refused as "not found" for a
 * case (an attempt to act on a case the caller takes no part in), so a new endpoint is logged without doing anything.
 * The case is the route's `:caseId`, else a `?caseId=` filter, else the `caseId` of the JSON
 * answer (a handover, a lead negotiation); name the parameter `caseId` in a new case route and
 * it is filled in.
 *
 * An answered read of a case is sent only after its log line is stored: a case read that cannot
 * be logged is not served (the database being down answers 503). Requests without a valid token are refused
 * before anything is read; they appear only in the HTTP log, as there is no one to name.
 */
@Injectable()
export class ReadAccessLogInterceptor implements NestInterceptor {
  constructor(
    private readonly log: ReadAccessLog,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(ReadAccessLogInterceptor.name);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!request.actor) return next.handle();
    const read = (status: number, body?: unknown) => readOf(request, response, status, body);
    // A command on a case the caller takes no part in is refused as "not found", like a read of
    // it: that attempt is on record too, so an organisation probing others' cases shows up.
    if (request.method !== 'GET') {
      return next.handle().pipe(
        catchError((error: unknown) => {
          const status = toProblem(error, request.originalUrl).status;
          const entry = read(status);
          if (status !== 404 || entry.caseId === undefined) return throwError(() => error);
          return from(
            this.log
              .record(entry)
              .catch((err: unknown) =>
                this.logger.warn({ err }, 'could not record a refused command in the access log'),
              ),
          ).pipe(switchMap(() => throwError(() => error)));
        }),
      );
    }
    return next.handle().pipe(
      catchError((error: unknown) =>
        from(
          this.log
            .record(read(toProblem(error, request.originalUrl).status))
            .catch((err: unknown) => this.logger.warn({ err }, 'could not record a refused read in the access log')),
        ).pipe(switchMap(() => throwError(() => error))),
      ),
      concatMap(async (body: unknown) => {
        const entry = read(response.statusCode, body);
        // Case data is served only once its read is on record; a read of no case (the directory,
        // the health of the service) is still answered when the log cannot be written.
        await this.log.record(entry).catch((err: unknown) => {
          if (entry.caseId !== undefined) throw err;
          this.logger.warn({ err }, 'could not record a read of no case in the access log');
        });
        return body;
      }),
    );
  }
}

function readOf(request: AuthenticatedRequest, response: Response, status: number, body: unknown): ReadAccess {
  const actor = request.actor!;
  const answered = body !== null && typeof body === 'object' ? (body as { caseId?: unknown }).caseId : undefined;
  const sent =
    request.body !== null && typeof request.body === 'object'
      ? (request.body as { caseId?: unknown }).caseId
      : undefined;
  const caseId = [request.params.caseId, request.query.caseId, answered, sent].find((c) => typeof c === 'string');
  const format = formatOf(response.getHeader('content-type')) ?? queryFormat(request) ?? 'json';
  return {
    subject: actor.subject,
    organisation: actor.organisation,
    role: actor.role,
    route: (request.route as { path?: string } | undefined)?.path ?? request.path,
    path: request.originalUrl,
    ...(caseId ? { caseId } : {}),
    format,
    status,
    outcome: outcomeOf(status),
  };
}

function outcomeOf(status: number): ReadOutcome {
  if (status < 400) return 'allowed';
  if (status === 401 || status === 403 || status === 404) return 'denied';
  return status < 500 ? 'invalid' : 'failed';
}

const FORMATS: Record<string, string> = {
  'text/csv': 'csv',
  'text/html': 'html',
  'application/pdf': 'pdf',
  'application/json': 'json',
};

function formatOf(contentType: unknown): string | undefined {
  return typeof contentType === 'string' ? FORMATS[contentType.split(';')[0]!.trim()] : undefined;
}

function queryFormat(request: AuthenticatedRequest): string | undefined {
  const format = request.query.format;
  return typeof format === 'string' && format !== '' ? format.slice(0, 20) : undefined;
}
