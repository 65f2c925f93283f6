import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags, ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { Actor } from '@warm-handover/contracts';
import { type ChainHead, exportChainHead, type ExportedHead, verifyChain } from '@warm-handover/persistence';
import { CurrentActor } from '../auth/current-actor.decorator';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { ApiAnswer } from '../openapi/answers';
import { ApiProblems } from '../openapi/problem-responses';

/**
 * Tamper evidence over HTTP (see libs/persistence/src/audit): the chain's head, for an outside
 * party to keep, and a verification of the whole chain.
 *
 * Who may call: the head, an inspector (the inspectorate reconstructs cases across organisations,
 * R10) and a director (bestuurder) of any organisation, who answers for the record and may deposit
 * heads with an outside party; the verification, an inspector only, since it reads the whole store.
 *
 * A verification of a large store takes minutes: it streams NDJSON, one progress line at most
 * every PROGRESS_EVERY_MS and the verdict last, so proxies and clients see it alive; it stops when
 * the client goes away; and one API process runs one verification at a time.
 */
const AUDITOR_ROLES: readonly string[] = ['inspector', 'director'];
/**
 * A verification reads every event of every organisation and keeps a core and the database busy
 * for minutes: the inspectorate's check, not an organisation's.
 */
const VERIFIER_ROLES: readonly string[] = ['inspector'];
const PROGRESS_EVERY_MS = 1000;
const NDJSON = 'application/x-ndjson';

@ApiTags('audit')
@ApiBearerAuth()
@ApiProblems({ 403: 'The caller is not an inspector (or, for the head, a director)' })
@Controller('audit')
export class ChainController {
  private verifying = false;

  constructor(private readonly dataSource: DataSource) {}

  @Get('head')
  @ApiOperation({
    summary: 'The hash chain’s head: position, hash and recording time of the newest event (inspector, director)',
    description:
      'Keep it outside this organisation’s control (e.g. with the inspectorate); GET /audit/verify?headPosition=&headHash= later proves the history up to it was not rewritten.',
  })
  @ApiAnswer(200, 'ExportedHead', 'The head of the hash chain, to hand to an outside party')
  @ApiProblems({ 404: 'Nothing is recorded yet, so there is no head (`empty-store`)' })
  async head(@CurrentActor() actor: Actor): Promise<ExportedHead> {
    requireAuditor(actor);
    const head = await exportChainHead(this.dataSource);
    if (!head) {
      throw new ProblemException({
        type: problemType('empty-store'),
        title: 'Nothing recorded yet',
        status: 404,
        detail: 'The event store is empty, so there is no head to export yet; export one after the first event.',
      });
    }
    return head;
  }

  @Get('verify')
  @ApiOperation({
    summary:
      'Walk the hash chain and report the first event that was changed, removed, inserted or reordered (inspector)',
    description:
      'Streams NDJSON: {"type":"progress",checked,position,headPosition} lines while it runs, then {"type":"verdict",intact,checked,head,problem?,durationMs}. The HTTP status is 200 whatever the verdict; read "intact". With headPosition and headHash (from GET /audit/head) it also checks that head is still in the chain.',
  })
  @ApiProduces(NDJSON)
  // Both or neither: one object parameter spread over the query (form style, exploded), so the
  // document can say so as exportedHeadOf does.
  @ApiQuery({
    name: 'head',
    required: false,
    style: 'form',
    explode: true,
    schema: {
      type: 'object',
      properties: {
        headPosition: { type: 'string', pattern: '^\\d{1,15}$', description: 'globalPosition of an exported head' },
        headHash: { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: 'hash of that exported head' },
      },
      required: ['headPosition', 'headHash'],
      additionalProperties: false,
    },
    description: '`headPosition=&headHash=` of an exported head (GET /audit/head), both or neither',
  })
  @ApiProblems({
    400: 'headPosition or headHash is not valid, or only one of them is given',
    429: 'A verification is already running in this API process, or too many requests',
  })
  @ApiResponse({
    status: 200,
    description: 'NDJSON: progress lines, then the verdict',
    content: { 'application/x-ndjson': { schema: { type: 'string' } } },
  })
  async verify(
    @CurrentActor() actor: Actor,
    @Res() response: Response,
    // The whole query, not its two fields one by one: the document describes them as the one
    // `head` parameter above, both or neither.
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    requireRole(actor, VERIFIER_ROLES, 'Only an inspector may verify the hash chain of the event store');
    const exportedHead = exportedHeadOf(query.headPosition, query.headHash);
    if (this.verifying) {
      response.setHeader('Retry-After', '30');
      throw new ProblemException({
        type: problemType('verification-running'),
        title: 'A verification is already running',
        status: 429,
        detail:
          'One verification of the hash chain runs at a time; wait until the running one gives its verdict and ask again.',
      });
    }
    this.verifying = true;
    const stop = new AbortController();
    // The client went away (closed the connection, or gave up): stop walking the chain. The
    // response's 'close' says so; the request's fires as soon as its (empty) body was read.
    response.on('close', () => stop.abort());
    // The status line goes out with the first line of the stream: an error before it (the
    // database is down) is still answered with problem details.
    const send = (line: object) => {
      if (!response.headersSent) response.status(200).type(NDJSON).setHeader('Cache-Control', 'no-store');
      response.write(`${JSON.stringify(line)}\n`);
    };
    try {
      const started = Date.now();
      let lastSent = 0;
      const verdict = await verifyChain(this.dataSource, {
        signal: stop.signal,
        ...(exportedHead ? { exportedHead } : {}),
        onProgress: (progress) => {
          if (Date.now() - lastSent < PROGRESS_EVERY_MS) return;
          lastSent = Date.now();
          send({ type: 'progress', ...progress });
        },
      });
      send({ type: 'verdict', ...verdict, durationMs: Date.now() - started });
      response.end();
    } catch (error) {
      if (stop.signal.aborted) return;
      if (!response.headersSent) throw error;
      send({
        type: 'error',
        detail: 'The verification stopped before its verdict because the database could not be read; ask again later.',
      });
      response.end();
    } finally {
      this.verifying = false;
    }
  }
}

function requireAuditor(actor: Actor): void {
  requireRole(actor, AUDITOR_ROLES, 'Only an inspector or a director may read the hash chain of the event store');
}

function requireRole(actor: Actor, roles: readonly string[], who: string): void {
  if (roles.includes(actor.role)) return;
  throw new ProblemException({
    type: problemType('forbidden'),
    title: 'Not allowed',
    status: 403,
    detail: `${who}; your role is ${actor.role}. Ask ${roles.length > 1 ? 'one of them' : 'the inspectorate'}.`,
  });
}

function exportedHeadOf(
  position: string | undefined,
  hash: string | undefined,
): Pick<ChainHead, 'globalPosition' | 'hash'> | undefined {
  if (position === undefined && hash === undefined) return undefined;
  const errors = [
    ...(position !== undefined && /^\d{1,15}$/.test(position)
      ? []
      : [{ field: 'headPosition', message: 'must be the globalPosition of an exported head, a whole number' }]),
    ...(hash !== undefined && /^[0-9a-fA-F]{64}$/.test(hash)
      ? []
      : [{ field: 'headHash', message: 'must be the hash of an exported head, 64 hex digits' }]),
  ];
  if (errors.length > 0) {
    throw new ProblemException({
      type: problemType('invalid-query'),
      title: 'The query is not valid',
      status: 400,
      detail: 'Give both headPosition and headHash as GET /audit/head returned them, or neither.',
      errors,
    });
  }
  return { globalPosition: Number(position), hash: hash! };
}
