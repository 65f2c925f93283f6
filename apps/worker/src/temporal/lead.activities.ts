import { createHash } from 'node:crypto';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { COMMAND_REFUSED, type LeadActivities, leadWorkflowId, openNegotiationUpdate } from '@warm-handover/contracts';
import { caseStreamId, type Chain, leadRegionMismatch, negotiationOpening } from '@warm-handover/domain';
import type { EventStore } from '@warm-handover/persistence';

/** How activities reach other workflows: the worker's Temporal client and its task queue. */
export interface WorkflowStarter {
  readonly client: Client;
  readonly taskQueue: string;
}

/**
 * Cross-chain alignment (R4): after a lead is reached in one chain, compare it with the other
 * chain's lead in force and record a LeadRegionMismatch on the case when their working areas
 * differ. Idempotent: the event id is derived from what caused the check.
 *
 * Opening the negotiation of a region-crossing handover: started (or found) and given its
 * opening update with ids derived from the handover, so a retried activity opens it once.
 */
export function createLeadActivities(store: EventStore, workflows: WorkflowStarter): LeadActivities {
  return {
    async openRegionCrossingNegotiation({ caseId, chain, parties, handoverId, correlationId }) {
      const workflowId = leadWorkflowId(caseId, chain);
      const handle = await workflows.client.workflow
        .start('leadNegotiationWorkflow', { taskQueue: workflows.taskQueue, workflowId })
        .catch((error: unknown) => {
          if (error instanceof WorkflowExecutionAlreadyStartedError)
            return workflows.client.workflow.getHandle(workflowId);
          throw error;
        });
      try {
        const view = await handle.executeUpdate(openNegotiationUpdate, {
          updateId: uuidFrom(`region-crossing|${handoverId}`),
          args: [
            {
              meta: {
                actor: { subject: 'system:region-crossing', organisation: parties[0], role: 'system' },
                correlationId,
                commandId: uuidFrom(`region-crossing|${handoverId}`),
              },
              open: negotiationOpening({
                negotiationId: uuidFrom(`negotiation|${handoverId}`),
                caseId,
                chain,
                parties,
              }),
            },
          ],
        });
        return view.negotiationId;
      } catch (error) {
        // Opened already (by a party, or by an earlier handover of the case): nothing to do.
        if (
          error instanceof WorkflowUpdateFailedError &&
          error.cause instanceof ApplicationFailure &&
          error.cause.type === COMMAND_REFUSED
        )
          return null;
        throw error;
      }
    },

    async checkLeadAlignment({ caseId, causedBy }) {
      const events = await store.readCase(caseId);
      const leads: Partial<Record<Chain, string>> = {};
      let municipality: string | undefined;
      for (const event of events) {
        const data = event.data as { chain?: Chain; lead?: string; municipality?: string };
        if (event.type === 'LeadNegotiationOpened' && data.municipality) municipality = data.municipality;
        if ((event.type === 'LeadAgreed' || event.type === 'LeadDecided') && data.chain && data.lead)
          leads[data.chain] = data.lead;
      }
      const mismatch = leadRegionMismatch(caseId, leads, municipality, new Date().toISOString());
      if (!mismatch) return false;
      await store.append(caseStreamId(caseId), [
        {
          eventId: uuidFrom(`${caseId}|${causedBy}|${mismatch.data.careLead}|${mismatch.data.safetyLead}`),
          type: mismatch.type,
          data: mismatch.data,
          metadata: {
            actor: { subject: 'system:lead-alignment', organisation: 'warm-handover', role: 'system' },
            correlationId: causedBy,
            caseId,
          },
        },
      ]);
      return true;
    },
  };
}

/** A stable UUID-shaped id from a string, so a retried activity appends the same event. */
function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
