import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type Client,
  isGrpcDeadlineError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type Actor, type CommandMeta, COMMAND_REFUSED, type CommandRefusalDetails } from '@warm-handover/contracts';
import { CommandRefused } from '@warm-handover/domain';
import { APP_CONFIG, type AppConfig } from '@warm-handover/platform';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { TemporalClientProvider } from './temporal-client.provider';

/** How each refusal code of a decider is answered; the OpenAPI document lists these on every command. */
export const STATUS_TO_HTTP = {
  forbidden: 403,
  'wrong-state': 409,
  invalid: 400,
  'not-found': 404,
  'personal-data': 422,
} as const;
const TITLES = {
  forbidden: 'Not allowed',
  'wrong-state': 'Not possible in the current state',
  invalid: 'The command is not valid',
  'not-found': 'Not found',
  'personal-data': 'This looks like personal data',
} as const;

/**
 * How the API sends commands to workflows: metadata that ties events to the request, a deadline
 * on every call, and one mapping of refusals and outages to problem details for every workflow.
 */
@Injectable()
export class WorkflowCommands {
  constructor(
    private readonly temporal: TemporalClientProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The same Idempotency-Key from the same caller is the same command: Temporal dedupes the
   * update id derived from it, so even a retry that bypasses the stored answer runs once.
   */
  meta(actor: Actor, meta: { idempotencyKey?: string; correlationId: string }): CommandMeta {
    const commandId = meta.idempotencyKey
      ? createHash('sha256')
          .update(JSON.stringify([actor.organisation, actor.subject, meta.idempotencyKey]))
          .digest('hex')
          .slice(0, 32)
      : randomUUID();
    return {
      actor,
      correlationId: meta.correlationId,
      commandId,
      ...(meta.idempotencyKey ? { idempotencyKey: meta.idempotencyKey } : {}),
    };
  }

  /**
   * The id of what a command creates (a handover, a negotiation): the same for every retry of
   * the command, so a retry after a 503 reaches the workflow the first attempt started, and its
   * update (same id) runs there once, instead of creating a second one. A v4-shaped UUID, as the
   * routes expect.
   */
  newId(meta: CommandMeta, purpose?: 'case'): string {
    if (!meta.idempotencyKey) return randomUUID();
    const hex = createHash('sha256')
      .update(`${purpose ? `new-${purpose}-id` : 'new-id'}:${meta.commandId}`)
      .digest('hex');
    const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /**
   * Starts a workflow, or takes the running one of that id: what a retried command finds when
   * its first attempt started the workflow but got no answer. `attached` says which.
   */
  async startOrAttach(
    client: Client,
    workflowType: string,
    workflowId: string,
  ): Promise<{ handle: WorkflowHandle; attached: boolean }> {
    try {
      const handle = await client.workflow.start(workflowType, {
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        workflowId,
      });
      return { handle, attached: false };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      return { handle: client.workflow.getHandle(workflowId), attached: true };
    }
  }

  /**
   * Runs Temporal calls within TEMPORAL_COMMAND_TIMEOUT_MS and turns refusals and outages into
   * problem details. Without a deadline an update waits as long as no worker takes it.
   */
  async run<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    let client: Client;
    try {
      client = await this.temporal.get();
    } catch {
      throw unavailable();
    }
    try {
      return await client.withDeadline(Date.now() + this.config.TEMPORAL_COMMAND_TIMEOUT_MS, () => fn(client));
    } catch (error) {
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(error)) {
        throw notProcessing(this.config.TEMPORAL_COMMAND_TIMEOUT_MS);
      }
      if (
        error instanceof WorkflowUpdateFailedError &&
        error.cause instanceof ApplicationFailure &&
        error.cause.type === COMMAND_REFUSED
      ) {
        const details = (error.cause.details?.[0] ?? { code: 'invalid' }) as CommandRefusalDetails;
        throw refusalProblem(details, error.cause.message);
      }
      if (
        error instanceof ServiceError &&
        !(error instanceof WorkflowNotFoundError) &&
        !(error instanceof WorkflowExecutionAlreadyStartedError)
      ) {
        throw unavailable();
      }
      throw error;
    }
  }
}

/** A decider's refusal as problem details: 403, 409 (with the state and what is allowed) or 400. */
export function refusalProblem(details: CommandRefusalDetails, message: string): ProblemException {
  return new ProblemException({
    type: problemType(details.code),
    title: TITLES[details.code],
    status: STATUS_TO_HTTP[details.code],
    detail: message,
    ...(details.status ? { state: details.status } : {}),
    ...(details.allowed ? { allowed: details.allowed } : {}),
    ...(details.openHandoverId ? { openHandoverId: details.openHandoverId } : {}),
    ...(details.field ? { errors: [{ field: details.field, message }] } : {}),
  });
}

/** Runs a decider in the API (for commands that need no workflow), mapping its refusal. */
export function decideInApi<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (error instanceof CommandRefused) throw refusalProblem({ code: error.code, ...error.details }, error.message);
    throw error;
  }
}

/** No worker took the command in time; it may still run, once, so a retry is safe and needed. */
function notProcessing(timeoutMs: number): ProblemException {
  return new ProblemException({
    type: problemType('unavailable'),
    title: 'Service unavailable',
    status: 503,
    detail: `The workflow service is not processing commands right now (no answer within ${Math.round(timeoutMs / 1000)} s). Retry in a moment with the same Idempotency-Key: the command takes effect at most once, and the retry answers with its outcome.`,
  });
}

export function unavailable(): ProblemException {
  return new ProblemException({
    type: problemType('unavailable'),
    title: 'Service unavailable',
    status: 503,
    detail:
      'The workflow service cannot be reached; nothing was changed. Retry in a moment with the same Idempotency-Key.',
  });
}
