import { createHash } from 'node:crypto';
import type { LeadActivities } from '@warm-handover/contracts';
import { caseStreamId, type Chain, leadRegionMismatch } from '@warm-handover/domain';
import type { EventStore } from '@warm-handover/persistence';

/**
 * Cross-chain alignment (R4): after a lead is reached in one chain, compare it with the other
 * chain's lead in force and record a LeadRegionMismatch on the case when their working areas
 * differ. Idempotent: the event id is derived from what caused the check.
 */
export function createLeadActivities(store: EventStore): LeadActivities {
  return {
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
