import { DEADLINE_POLICY } from '../handover/handover.deadlines';
import type { DeadlineSpec } from '../shared/deadlines';
import { findOrganisation } from '../organisations/directory';
import type { Organisation } from '../organisations/organisation';
import type { OpenNegotiation } from './lead.commands';
import type { Chain, SuggestedLead } from './lead.events';

/** Which kind of organisation negotiates in each chain (R4). */
export const CHAIN_KIND = { care: 'veilig-thuis', safety: 'police' } as const;

/**
 * The chain in which a handover from `from` to `to` makes the case region-crossing (R4): two
 * Veilig Thuis regions (care) or two police units (safety); none otherwise.
 */
export function chainCrossedBy(from: Organisation, to: Organisation): Chain | undefined {
  if (from.id === to.id) return undefined;
  if (from.kind === CHAIN_KIND.care && to.kind === CHAIN_KIND.care) return 'care';
  if (from.kind === CHAIN_KIND.safety && to.kind === CHAIN_KIND.safety) return 'safety';
  return undefined;
}

/** An OpenNegotiation as the negotiation workflow receives it: it computes the deadline itself. */
export type NegotiationOpening = Omit<OpenNegotiation, 'type' | 'now' | 'actor' | 'deadlineAt'>;

/**
 * What opening a negotiation between `parties` says, whoever opens it (a party through the API,
 * or a region-crossing handover's workflow): the default deadlines, every party's ladder frozen,
 * and the suggested lead. All parties must be in the directory.
 */
export function negotiationOpening(input: {
  readonly negotiationId: string;
  readonly caseId: string;
  readonly chain: Chain;
  readonly parties: readonly string[];
  readonly municipality?: string;
  readonly deadlines?: { readonly agreement?: DeadlineSpec; readonly escalationInterval?: DeadlineSpec };
}): NegotiationOpening {
  const { negotiationId, caseId, chain, parties, municipality } = input;
  return {
    negotiationId,
    caseId,
    chain,
    parties,
    ...(municipality ? { municipality } : {}),
    ...suggestion(chain, parties, municipality),
    deadlines: {
      agreement: input.deadlines?.agreement ?? DEADLINE_POLICY.agreement.default,
      escalationInterval: input.deadlines?.escalationInterval ?? DEADLINE_POLICY.escalationInterval.default,
    },
    ladders: Object.fromEntries(parties.map((id) => [id, findOrganisation(id)!.ladder])),
  };
}

/** The stated rule: the region (care) or police unit (safety) where the child lives, if it is a party. */
function suggestion(
  chain: Chain,
  parties: readonly string[],
  municipality?: string,
): { suggestedLead?: SuggestedLead } {
  const place = municipality ? findOrganisation(municipality) : undefined;
  const organisation = chain === 'care' ? place?.veiligThuisRegion : place?.policeUnit;
  if (!organisation || !parties.includes(organisation)) return {};
  return {
    suggestedLead: {
      organisation,
      rule: 'region-where-child-lives',
      basis: `the child lives in ${place!.name}, which lies in the working area of ${findOrganisation(organisation)!.name}`,
    },
  };
}
