import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type Client,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type Actor, type CommandMeta, HANDOVER_REFUSED, type HandoverRefusalDetails } from '@warm-handover/contracts';
import { HandoverRefused } from '@warm-handover/domain';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { TemporalClientProvider } from './temporal-client.provider';

const STATUS_TO_HTTP = { forbidden: 403, 'wrong-state': 409, invalid: 400 } as const;
const TITLES = {
  forbidden: 'Not allowed',
  'wrong-state': 'Not possible in the current state',
  invalid: 'The command is not valid',
} as const;

/**
 * How the API sends commands to workflows: metadata that ties events to the request, and one
 * mapping of refusals and outages to problem details for every workflow.
 */
@Injectable()
export class WorkflowCommands {
  constructor(private readonly temporal: TemporalClientProvider) {}

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

  /** Runs a Temporal call and turns refusals and outages into problem details. */
  async run<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    let client: Client;
    try {
      client = await this.temporal.get();
    } catch {
      throw unavailable();
    }
    try {
      return await fn(client);
    } catch (error) {
      if (
        error instanceof WorkflowUpdateFailedError &&
        error.cause instanceof ApplicationFailure &&
        error.cause.type === HANDOVER_REFUSED
      ) {
        const details = (error.cause.details?.[0] ?? { code: 'invalid' }) as HandoverRefusalDetails;
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
export function refusalProblem(details: HandoverRefusalDetails, message: string): ProblemException {
  return new ProblemException({
    type: problemType(details.code),
    title: TITLES[details.code],
    status: STATUS_TO_HTTP[details.code],
    detail: message,
    ...(details.status ? { state: details.status } : {}),
    ...(details.allowed ? { allowed: details.allowed } : {}),
    ...(details.field ? { errors: [{ field: details.field, message }] } : {}),
  });
}

/** Runs a decider in the API (for commands that need no workflow), mapping its refusal. */
export function decideInApi<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (error instanceof HandoverRefused) throw refusalProblem({ code: error.code, ...error.details }, error.message);
    throw error;
  }
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
