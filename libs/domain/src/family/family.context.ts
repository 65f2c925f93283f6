import { foldCaseFacts, responsibleOrganisationsNow } from '../case/case.facts';
import { leadsAt } from '../lead/leads.projection';
import type { LeadEvent, LeadRegionMismatch } from '../lead/lead.events';
import { ladderOf } from '../organisations/directory';
import type { LadderStep } from '../organisations/organisation';
import type { FamilyContext } from './family.decider';

/**
 * What the family's rules need from the case, read from the case's events as they stand at
 * `now`: parties, who is responsible for a child, the lead per chain, the children, the open
 * handovers, and each organisation's ladder from the directory.
 */
export function familyContextOf(
  caseId: string,
  caseEvents: readonly { type: string; data: unknown }[],
  now: string,
): FamilyContext {
  const facts = foldCaseFacts(caseEvents);
  const leads = leadsAt(
    caseId,
    caseEvents.filter((e) => e.type.startsWith('Lead')) as (LeadEvent | LeadRegionMismatch)[],
    now,
  );
  const parties = [...facts.parties.keys()];
  const leadOrgs = [leads.care?.organisation, leads.safety?.organisation].filter((o): o is string => !!o);
  const ladders: Record<string, readonly LadderStep[]> = {};
  for (const organisation of new Set([...parties, ...leadOrgs])) ladders[organisation] = ladderOf(organisation) ?? [];
  return {
    caseId,
    parties,
    responsible: responsibleOrganisationsNow(facts),
    leads: [...new Set(leadOrgs)],
    childIds: [...facts.children.keys()],
    openHandoverIds: [...new Set(facts.openHandoverOfChild.values())],
    ladders,
  };
}
