import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { responsibilityMovedUpdate, safetyAgreementWorkflowId, type RecordedEvent } from '@warm-handover/contracts';
import {
  evolveSafetyAgreement,
  findOrganisation,
  type HandoverStarted,
  initialSafetyAgreementState,
  type SafetyAgreementEvent,
} from '@warm-handover/domain';
import { CheckpointStore, EventStore, projectManagementFigures } from '@warm-handover/persistence';
import { APP_CONFIG, type AppConfig } from '@warm-handover/platform';

/** Well under the one second within which the figures must follow an event. */
const POLL_MS = 250;
const MONITOR_CHECKPOINT = 'reactor:monitor-role';

/**
 * Worker-side consumers of the event store for issue 15, each from its own checkpoint:
 * - the management figures' read model (projectManagementFigures), polled every 250 ms;
 * - the monitor role: every started handover reaches the open safety agreements of its case
 *   whose monitor was the sender (responsibilityMoved update, idempotent on event and agreement),
 *   so the role is handed over, kept, or inherited — never lost when the API or worker dies,
 *   since the checkpoint moves only after the update was answered.
 */
@Injectable()
export class SafetyProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopped = false;
  private loops: Promise<void>[] = [];
  private connection: Connection | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(SafetyProjectionsService.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.connection = await Connection.connect({ address: this.config.TEMPORAL_ADDRESS });
    const client = new Client({ connection: this.connection, namespace: this.config.TEMPORAL_NAMESPACE });
    this.loops = [
      this.loop('management figures', () => projectManagementFigures(this.dataSource, this.store)),
      this.loop('monitor role', () => this.moveMonitorRoles(client)),
    ];
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    await this.connection?.close();
  }

  private async loop(name: string, step: () => Promise<number>): Promise<void> {
    while (!this.stopped) {
      try {
        if ((await step()) > 0) continue;
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, `${name}: will retry`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async moveMonitorRoles(client: Client): Promise<number> {
    const after = await this.checkpoints.load(MONITOR_CHECKPOINT);
    const events = await this.store.readAll(after, 100);
    for (const event of events) {
      if (event.type === 'HandoverStarted') await this.moveMonitorRole(client, event);
      await this.checkpoints.save(MONITOR_CHECKPOINT, event.globalPosition);
    }
    return events.length;
  }

  private async moveMonitorRole(client: Client, event: RecordedEvent): Promise<void> {
    const started = event.data as HandoverStarted['data'];
    const caseEvents = await this.store.readCase(started.caseId);
    const agreements = new Map<string, SafetyAgreementEvent[]>();
    // The agreements as they stood when care started: one made later is not moved by it.
    for (const e of caseEvents)
      if (e.streamId.startsWith('safety-') && e.globalPosition < event.globalPosition)
        agreements.set(e.streamId, [
          ...(agreements.get(e.streamId) ?? []),
          { type: e.type, data: e.data } as SafetyAgreementEvent,
        ]);
    const toLadder = findOrganisation(started.toOrg)?.ladder ?? [];
    for (const stream of agreements.values()) {
      const state = stream.reduce(evolveSafetyAgreement, initialSafetyAgreementState);
      if (state.status !== 'open' || state.monitor?.organisation !== started.fromOrg) continue;
      const agreementId = state.agreement!.agreementId;
      try {
        await client.workflow
          .getHandle(safetyAgreementWorkflowId(agreementId))
          .executeUpdate(responsibilityMovedUpdate, {
            updateId: `${event.eventId}:${agreementId}`,
            args: [
              {
                meta: {
                  actor: { subject: 'system:monitor-role', organisation: 'warm-handover', role: 'system' },
                  correlationId: event.metadata.correlationId,
                  commandId: `${event.eventId}:${agreementId}`,
                },
                move: {
                  handoverId: started.handoverId,
                  fromOrg: started.fromOrg,
                  toOrg: started.toOrg,
                  toLadder,
                  startedAt: started.startedAt,
                },
              },
            ],
          });
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
  }
}
