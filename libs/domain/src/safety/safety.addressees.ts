import { foldCaseFacts, responsibleOrganisationsNow } from '../case/case.facts';
import type { LeadEvent, LeadRegionMismatch } from '../lead/lead.events';
import { leadsAt } from '../lead/leads.projection';
import { ladderOf } from '../organisations/directory';
import { ESCALATION_ROLES, type EscalationLevel } from '../organisations/organisation';
import type { LadderRecipient } from '../shared/ladders';

/**
 * Who hears at once of a safety agreement not kept (R7): the organisation(s) responsible now for
 * the children the agreement protects (their professional and team lead), and the lead of each
 * chain (its professional). From the case's events, as they stand when the result is recorded.
 */
export function breachAddressees(
  caseId: string,
  caseEvents: readonly { readonly type: string; readonly data: unknown }[],
  memberIds: readonly string[],
  now: string,
): { responsibleOrg: string; leadOrgs: string[]; recipients: LadderRecipient[] } {
  const facts = foldCaseFacts(caseEvents);
  const children = memberIds.filter((id) => facts.children.has(id));
  const responsible = responsibleOrganisationsNow(facts, children.length > 0 ? children : undefined);
  const leads = leadsAt(caseId, caseEvents as readonly (LeadEvent | LeadRegionMismatch)[], now);
  const leadOrgs = [...new Set([leads.care?.organisation, leads.safety?.organisation].filter((o): o is string => !!o))];
  const rung = (organisation: string, level: EscalationLevel): LadderRecipient => {
    const role = ESCALATION_ROLES[level];
    return { organisation, role, title: ladderOf(organisation)?.find((s) => s.level === level)?.title ?? role };
  };
  const recipients: LadderRecipient[] = [];
  for (const organisation of responsible) recipients.push(rung(organisation, 0), rung(organisation, 1));
  for (const organisation of leadOrgs) if (!responsible.includes(organisation)) recipients.push(rung(organisation, 0));
  return { responsibleOrg: responsible[0] ?? '', leadOrgs, recipients };
}
