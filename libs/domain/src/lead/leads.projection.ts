import type { Acceptance, Chain, DirectorActor, LeadEvent, LeadRegionMismatch } from './lead.events';

export interface ChainLead {
  readonly organisation: string;
  readonly how: 'agreed' | 'decided';
  readonly since: string;
  readonly negotiationId: string;
  readonly round: number;
  /** For a decided lead: the director who decided it. */
  readonly decidedBy?: DirectorActor;
  /** For a decision taken together (issue 11 §6): the other parties' directors who confirmed it. */
  readonly confirmations?: readonly Acceptance[];
}

export interface CaseLeads {
  readonly caseId: string;
  readonly at: string;
  readonly care?: ChainLead;
  readonly safety?: ChainLead;
  /** The negotiation of each chain (GET /lead-negotiations/{id}), once one was opened. */
  readonly negotiations: Partial<Record<Chain, string>>;
  /** The latest mismatch flagged for the leads in force at `at`, if they still mismatch. */
  readonly mismatch?: LeadRegionMismatch['data'];
}

/**
 * The lead in force per chain at a moment, from a case's events in recorded order: the last lead
 * agreed or decided at or before `at` (a re-negotiation keeps it in force until a new one).
 */
export function leadsAt(caseId: string, events: readonly (LeadEvent | LeadRegionMismatch)[], at: string): CaseLeads {
  const t = Date.parse(at);
  const leads: Partial<Record<Chain, ChainLead>> = {};
  let mismatch: LeadRegionMismatch['data'] | undefined;
  const negotiations: Partial<Record<Chain, string>> = {};
  for (const event of events) {
    if (event.type === 'LeadNegotiationOpened' && Date.parse(event.data.openedAt) <= t) {
      negotiations[event.data.chain] = event.data.negotiationId;
    }
    if (event.type === 'LeadAgreed' && Date.parse(event.data.agreedAt) <= t) {
      const d = event.data;
      leads[d.chain] = {
        organisation: d.lead,
        how: 'agreed',
        since: d.agreedAt,
        negotiationId: d.negotiationId,
        round: d.round,
      };
    }
    if (event.type === 'LeadDecided' && Date.parse(event.data.decidedAt) <= t) {
      const d = event.data;
      leads[d.chain] = {
        organisation: d.lead,
        how: 'decided',
        since: d.decidedAt,
        negotiationId: d.negotiationId,
        round: d.round,
        decidedBy: d.decidedBy,
        // Absent on decisions recorded before §6: one director decided alone.
        ...(d.confirmations ? { confirmations: d.confirmations } : {}),
      };
    }
    if (event.type === 'LeadRegionMismatch' && Date.parse(event.data.detectedAt) <= t) mismatch = event.data;
  }
  const stillMismatched =
    mismatch && leads.care?.organisation === mismatch.careLead && leads.safety?.organisation === mismatch.safetyLead;
  return {
    caseId,
    at: new Date(t).toISOString(),
    negotiations,
    ...(leads.care ? { care: leads.care } : {}),
    ...(leads.safety ? { safety: leads.safety } : {}),
    ...(stillMismatched ? { mismatch } : {}),
  };
}
