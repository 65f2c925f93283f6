import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Actor, familyChangedSignal, familyWorkflowId, type RecordedEvent } from '@warm-handover/contracts';
import {
  DEFAULT_FAMILY_POLICY,
  DeadlineError,
  type DeadlineSpec,
  deadlineAt,
  decideFamily,
  type FamilyCommand,
  type FamilyEvent,
  type FamilyPolicy,
  familyContextOf,
  familyStreamId,
  foldFamilyFacts,
  interpretDeadline,
  parseDeadline,
} from '@warm-handover/domain';
import { EventStore } from '@warm-handover/persistence';
import { APP_CONFIG, type AppConfig, deterministicUuid } from '@warm-handover/platform';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { decideInApi, WorkflowCommands } from '../temporal/workflow-commands';
import { CaseAccess } from '../cases/case-access.service';

type Meta = { idempotencyKey?: string; correlationId: string };
type Without<T> = T extends unknown ? Omit<T, 'actor' | 'now' | 'caseId'> : never;
export type FamilyCommandInput = Without<FamilyCommand>;

/**
 * The host of the family's commands (R5, R6, R9): each is decided by the family decider on the
 * case's events and appended to `family-<caseId>` with a guard that decides again under the
 * append lock; then the family workflow is signalled (started if it was not running), so its
 * timers see the change. The ids of what a command creates derive from the Idempotency-Key: a
 * retry finds what the first attempt recorded, answers with it, and signals again.
 */
@Injectable()
export class FamilyService {
  private readonly logger = new Logger(FamilyService.name);

  constructor(
    private readonly store: EventStore,
    private readonly access: CaseAccess,
    private readonly commands: WorkflowCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new id for what a command creates: derived from the Idempotency-Key when there is one. */
  newId(actor: Actor, meta: Meta, purpose: string): string {
    const commandMeta = this.commands.meta(actor, meta);
    return meta.idempotencyKey
      ? deterministicUuid('family', purpose, commandMeta.commandId)
      : this.commands.newId(commandMeta);
  }

  /** The re-assessment deadline of a change, checked like a handover's (durations only in demo mode). */
  policyFor(deadline: DeadlineSpec | undefined): FamilyPolicy {
    if (deadline === undefined) return DEFAULT_FAMILY_POLICY;
    try {
      parseDeadline('reassessment', deadline, this.config.DEMO_MODE);
    } catch (error) {
      if (error instanceof DeadlineError)
        throw new ProblemException({
          type: problemType('invalid-body'),
          title: 'The request body is not valid',
          status: 400,
          detail: `${error.message.replace('deadlines.reassessment', 'deadline')}.`,
          errors: [{ field: 'deadline', message: error.message }],
        });
      throw error;
    }
    return { ...DEFAULT_FAMILY_POLICY, reassessment: deadline };
  }

  async record(
    actor: Actor,
    caseId: string,
    input: FamilyCommandInput,
    meta: Meta,
    policy: FamilyPolicy = DEFAULT_FAMILY_POLICY,
  ): Promise<FamilyEvent[]> {
    const { events } = await this.access.actAs(actor, caseId);
    const already = recordedBefore(events, actor, meta.idempotencyKey);
    if (already.length > 0) {
      await this.signal(caseId);
      return already;
    }
    const now = new Date().toISOString();
    const deps = {
      calendar: (from: string, spec: DeadlineSpec) => deadlineAt(new Date(from), interpretDeadline(spec)).toISOString(),
      policy,
    };
    const command = { ...input, actor, now, caseId } as FamilyCommand;
    const decideOn = (caseEvents: readonly RecordedEvent[]) =>
      decideFamily(command, foldFamilyFacts(caseEvents), familyContextOf(caseId, caseEvents, now), deps);
    const decided = decideInApi(() => decideOn(events));
    const commandMeta = this.commands.meta(actor, meta);
    try {
      await this.store.append(
        familyStreamId(caseId),
        decided.map((event, i) => ({
          eventId: deterministicUuid('family-event', commandMeta.commandId, String(i)),
          type: event.type,
          data: event.data,
          metadata: {
            actor,
            correlationId: meta.correlationId,
            causationId: commandMeta.commandId,
            caseId,
            ...(meta.idempotencyKey ? { idempotencyKey: meta.idempotencyKey } : {}),
          },
        })),
        { guard: { caseId, check: (fresh) => void decideOn(fresh) } },
      );
    } catch (error) {
      decideInApi(() => {
        throw error;
      });
    }
    await this.signal(caseId);
    return decided;
  }

  /** Tells the family workflow to look again, starting it if it is not running. */
  private async signal(caseId: string): Promise<void> {
    await this.commands.run((client) =>
      client.workflow.signalWithStart('familyWorkflow', {
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        workflowId: familyWorkflowId(caseId),
        args: [{ caseId }],
        signal: familyChangedSignal,
        signalArgs: [],
      }),
    );
    this.logger.debug({ caseId }, 'family workflow signalled');
  }
}

/** What a command with this Idempotency-Key recorded before (a retry after a failed signal). */
function recordedBefore(
  events: readonly RecordedEvent[],
  actor: Actor,
  idempotencyKey: string | undefined,
): FamilyEvent[] {
  if (!idempotencyKey) return [];
  return events
    .filter(
      (e) =>
        e.streamId.startsWith('family-') &&
        e.metadata.idempotencyKey === idempotencyKey &&
        e.metadata.actor.subject === actor.subject &&
        e.metadata.actor.organisation === actor.organisation,
    )
    .map((e) => ({ type: e.type, data: e.data }) as FamilyEvent);
}
