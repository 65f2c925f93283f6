import { Injectable } from '@nestjs/common';
import {
  type Actor,
  makeSafetyAgreementUpdate,
  meldingCommandUpdate,
  type MeldingCommandInput,
  meldingWorkflowId,
  receiveMeldingUpdate,
  type RecordedEvent,
  safetyAgreementCommandUpdate,
  type SafetyAgreementCommandInput,
  safetyAgreementWorkflowId,
} from '@warm-handover/contracts';
import {
  breachAddressees,
  evolveMelding,
  evolveSafetyAgreement,
  findOrganisation,
  initialMeldingState,
  initialSafetyAgreementState,
  type MeldingEvent,
  type MeldingView,
  type SafetyAgreementEvent,
  type SafetyAgreementView,
  toMeldingView,
  toSafetyAgreementView,
} from '@warm-handover/domain';
import { EventStore } from '@warm-handover/persistence';
import { CaseAccess } from '../cases/case-access.service';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { WorkflowCommands } from '../temporal/workflow-commands';
import type { MakeSafetyAgreementDto, MonitoringResultDto, ReceiveMeldingDto } from './safety.dto';

type Meta = { idempotencyKey?: string; correlationId: string };

/**
 * Safety agreements (R7) and reports to Veilig Thuis (R8): access through CaseAccess, rules in
 * the deciders, commands to each agreement's and each report's own workflow; reads fold the
 * stream's events.
 */
@Injectable()
export class SafetyService {
  constructor(
    private readonly commands: WorkflowCommands,
    private readonly store: EventStore,
    private readonly access: CaseAccess,
  ) {}

  async makeAgreement(
    actor: Actor,
    caseId: string,
    body: MakeSafetyAgreementDto,
    meta: Meta,
  ): Promise<SafetyAgreementView> {
    const view = await this.access.actAs(actor, caseId);
    const monitorOrg = findOrganisation(body.monitor.organisation);
    if (!monitorOrg)
      throw unprocessable(
        `No organisation ${body.monitor.organisation} in the directory. Use ids from GET /organisations.`,
      );
    // Not a mistake in the request but the case as it stands (409): involve it, then name it.
    if (!view.facts.parties.has(monitorOrg.id))
      throw new ProblemException({
        type: problemType('wrong-state'),
        title: 'Not possible in the current state',
        status: 409,
        detail: `${monitorOrg.id} takes no part in case ${caseId}, so it could not record results. Involve it first (POST /cases/${caseId}/involvements), then name it monitor.`,
      });
    const commandMeta = this.commands.meta(actor, meta);
    const agreementId = this.commands.newId(commandMeta);
    return this.commands.run(async (client) => {
      const { handle } = await this.commands.startOrAttach(
        client,
        'safetyAgreementWorkflow',
        safetyAgreementWorkflowId(agreementId),
      );
      return handle.executeUpdate(makeSafetyAgreementUpdate, {
        updateId: commandMeta.commandId,
        args: [
          {
            meta: commandMeta,
            make: {
              agreementId,
              caseId,
              code: body.code,
              ...(body.description !== undefined ? { description: body.description } : {}),
              memberIds: body.memberIds,
              monitor: { organisation: monitorOrg.id, role: body.monitor.role, ladder: monitorOrg.ladder },
              ...(body.moments ? { moments: body.moments } : {}),
              ...(body.rhythm ? { rhythm: { ...body.rhythm } } : {}),
            },
          },
        ],
      });
    });
  }

  async recordResult(
    actor: Actor,
    agreementId: string,
    body: MonitoringResultDto,
    meta: Meta,
  ): Promise<SafetyAgreementView> {
    const { events, case: view } = await this.access.safetyAgreement(actor, agreementId, 'act');
    const agreement = foldAgreement(events);
    const now = new Date().toISOString();
    const to = breachAddressees(view.caseId, view.events, agreement.memberIds, now);
    return this.agreementCommand(
      actor,
      agreementId,
      {
        type: 'RecordMonitoringResult',
        moment: body.moment,
        outcome: body.outcome,
        effects: body.effects.map((e) => ({ memberId: e.memberId, effect: e.effect })),
        checkedOn: body.checkedOn ?? now.slice(0, 10),
        responsibleOrg: to.responsibleOrg,
        leadOrgs: to.leadOrgs,
        breachRecipients: to.recipients,
      },
      meta,
    );
  }

  async agreementCommand(
    actor: Actor,
    agreementId: string,
    command: SafetyAgreementCommandInput,
    meta: Meta,
  ): Promise<SafetyAgreementView> {
    await this.access.safetyAgreement(actor, agreementId, 'act');
    if (command.type === 'TransferMonitorRole') {
      const org = findOrganisation(command.to.organisation);
      if (!org) throw unprocessable(`No organisation ${command.to.organisation} in the directory.`);
      command = { ...command, to: { ...command.to, ladder: org.ladder } };
    }
    const commandMeta = this.commands.meta(actor, meta);
    return this.commands.run((client) =>
      client.workflow.getHandle(safetyAgreementWorkflowId(agreementId)).executeUpdate(safetyAgreementCommandUpdate, {
        updateId: commandMeta.commandId,
        args: [{ meta: commandMeta, command }],
      }),
    );
  }

  async agreement(actor: Actor, agreementId: string): Promise<SafetyAgreementView & { history: RecordedEvent[] }> {
    const { events } = await this.access.safetyAgreement(actor, agreementId);
    return { ...foldAgreement(events), history: events };
  }

  async agreementsOfCase(actor: Actor, caseId: string): Promise<SafetyAgreementView[]> {
    const events = await this.access.caseEvents(actor, caseId);
    return byStream(events, 'safety-').map(foldAgreement);
  }

  async receiveMelding(actor: Actor, caseId: string, body: ReceiveMeldingDto, meta: Meta): Promise<MeldingView> {
    await this.access.actAs(actor, caseId);
    const org = findOrganisation(actor.organisation);
    if (org?.kind !== 'veilig-thuis')
      throw new ProblemException({
        type: problemType('forbidden'),
        title: 'Not allowed',
        status: 403,
        detail: 'Only a Veilig Thuis organisation records a report (melding) it received.',
      });
    const commandMeta = this.commands.meta(actor, meta);
    const meldingId = this.commands.newId(commandMeta);
    return this.commands.run(async (client) => {
      const { handle } = await this.commands.startOrAttach(client, 'meldingWorkflow', meldingWorkflowId(meldingId));
      return handle.executeUpdate(receiveMeldingUpdate, {
        updateId: commandMeta.commandId,
        args: [
          {
            meta: commandMeta,
            receive: {
              meldingId,
              caseId,
              reporterKind: body.reporterKind,
              receivedAt: body.receivedAt ? new Date(body.receivedAt).toISOString() : new Date().toISOString(),
              ladder: org.ladder,
            },
          },
        ],
      });
    });
  }

  async meldingCommand(
    actor: Actor,
    meldingId: string,
    command: MeldingCommandInput,
    meta: Meta,
  ): Promise<MeldingView> {
    await this.access.melding(actor, meldingId, 'act');
    const commandMeta = this.commands.meta(actor, meta);
    return this.commands.run((client) =>
      client.workflow.getHandle(meldingWorkflowId(meldingId)).executeUpdate(meldingCommandUpdate, {
        updateId: commandMeta.commandId,
        args: [{ meta: commandMeta, command }],
      }),
    );
  }

  async melding(actor: Actor, meldingId: string): Promise<MeldingView & { history: RecordedEvent[] }> {
    const { events } = await this.access.melding(actor, meldingId);
    return { ...foldMelding(events), history: events };
  }

  async meldingenOfCase(actor: Actor, caseId: string): Promise<MeldingView[]> {
    const events = await this.access.caseEvents(actor, caseId);
    return byStream(events, 'melding-').map(foldMelding);
  }
}

function byStream(events: readonly RecordedEvent[], prefix: string): RecordedEvent[][] {
  const streams = new Map<string, RecordedEvent[]>();
  for (const e of events)
    if (e.streamId.startsWith(prefix)) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
  return [...streams.values()];
}

function foldAgreement(events: readonly RecordedEvent[]): SafetyAgreementView {
  const state = events
    .map((e) => ({ type: e.type, data: e.data }) as SafetyAgreementEvent)
    .reduce(evolveSafetyAgreement, initialSafetyAgreementState);
  return toSafetyAgreementView(state)!;
}

function foldMelding(events: readonly RecordedEvent[]): MeldingView {
  const state = events
    .map((e) => ({ type: e.type, data: e.data }) as MeldingEvent)
    .reduce(evolveMelding, initialMeldingState);
  return toMeldingView(state, new Date().toISOString())!;
}

function unprocessable(detail: string): ProblemException {
  return new ProblemException({
    type: problemType('unknown-organisation'),
    title: 'Cannot be processed',
    status: 422,
    detail,
  });
}
