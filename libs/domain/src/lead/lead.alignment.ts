import { findOrganisation } from '../organisations/directory';
import type { Chain, LeadRegionMismatch } from './lead.events';

/**
 * R4: "the lead of police and Veilig Thuis is better placed within the same working area".
 * A Veilig Thuis lead whose region lies outside the police lead's unit is flagged, with the
 * leads and the municipality as recipients, and a re-negotiation is offered.
 */
export function leadRegionMismatch(
  caseId: string,
  leads: Partial<Record<Chain, string>>,
  municipality: string | undefined,
  now: string,
): LeadRegionMismatch | undefined {
  const careLead = leads.care;
  const safetyLead = leads.safety;
  if (!careLead || !safetyLead) return undefined;
  const careLeadPoliceUnit = findOrganisation(careLead)?.policeUnit;
  if (!careLeadPoliceUnit || careLeadPoliceUnit === safetyLead) return undefined;
  return {
    type: 'LeadRegionMismatch',
    data: {
      caseId,
      careLead,
      careLeadPoliceUnit,
      safetyLead,
      recipients: [careLead, safetyLead, ...(municipality ? [municipality] : [])].map((organisation) => ({
        organisation,
        role: 'professional',
      })),
      suggestedAction: 'renegotiate',
      detectedAt: now,
    },
  };
}
