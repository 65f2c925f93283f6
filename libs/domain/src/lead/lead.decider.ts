import { ESCALATION_ROLES, type EscalationLevel } from '../organisations/organisation';
import { CommandRefused } from '../shared/command-refused';
import type { LeadCommand, OpenNegotiation } from './lead.commands';
import type { Acceptance, LeadEvent } from './lead.events';
import { currentProposal, inDisagreement, type LeadNegotiationState } from './lead.state';

const DIRECTOR_LEVEL = (ESCALATION_ROLES.length - 1) as EscalationLevel;
const MAX_TEXT = 2000;

/** Refusals reuse the handover's codes: forbidden 403, wrong-state 409, invalid 400. */
const refuse = CommandRefused;

/**
 * Decides a lead-negotiation command: the events to record, or a refusal saying why and what
 * to do. Pure: time comes in with the command.
 */
export function decideLead(command: LeadCommand, state: LeadNegotiationState): LeadEvent[] {
  if (command.type === 'OpenNegotiation') return [opened(command, state)];
  const opened_ = state.opened;
  if (!opened_)
    throw new refuse('wrong-state', 'There is no negotiation yet; open one first.', {
      status: 'none',
      allowed: ['OpenNegotiation'],
    });
  const ids = { negotiationId: opened_.negotiationId, caseId: opened_.caseId, chain: opened_.chain };
  if (command.type === 'EscalateNegotiation') {
    if (state.status !== 'open') throw wrongState(state, 'escalate');
    const level = Math.min(state.escalation.level + 1, DIRECTOR_LEVEL) as EscalationLevel;
    return [
      {
        type: 'LeadNegotiationEscalated',
        data: {
          ...ids,
          round: state.round,
          level,
          reason: inDisagreement(state) ? 'disagreement' : 'silence',
          dueAt: state.deadlineAt!,
          repeat: state.escalation.level === DIRECTOR_LEVEL ? state.escalation.repeat + 1 : 0,
          recipients: opened_.parties.map((organisation) => {
            const step = opened_.ladders[organisation]!.find((s) => s.level === level)!;
            return { organisation, role: step.role, title: step.title };
          }),
          escalatedAt: command.now,
        },
      },
    ];
  }

  const actor = command.actor;
  if (actor.role === 'inspector')
    throw new refuse('forbidden', 'Inspectors read negotiations; they cannot take part in them.');
  if (!opened_.parties.includes(actor.organisation)) {
    throw new refuse(
      'forbidden',
      `Only the parties (${opened_.parties.join(', ')}) take part in this negotiation; you act for ${actor.organisation}.`,
    );
  }

  switch (command.type) {
    case 'ProposeLead': {
      if (state.status !== 'open') throw wrongState(state, 'propose a lead');
      requireParty(opened_.parties, command.lead, 'lead');
      const current = currentProposal(state);
      const counter =
        current !== undefined && current.proposedBy !== actor.organisation && current.lead !== command.lead;
      return [
        {
          type: 'LeadProposed',
          data: {
            ...ids,
            proposalId: command.proposalId,
            round: state.round,
            lead: command.lead,
            proposedBy: actor.organisation,
            proposer: { subject: actor.subject, role: actor.role },
            rationale: text('rationale', command.rationale),
            counter,
            proposedAt: command.now,
          },
        },
      ];
    }
    case 'AcceptProposal': {
      if (state.status !== 'open') throw wrongState(state, 'accept a proposal');
      const current = currentProposal(state);
      if (!current)
        throw new refuse('wrong-state', 'There is no proposal to accept yet; propose a lead first.', {
          status: 'open',
          allowed: ['ProposeLead'],
        });
      if (current.proposalId !== command.proposalId) {
        throw new refuse(
          'wrong-state',
          `Proposal ${command.proposalId} is no longer the current one; the current proposal is ${current.proposalId} (${current.lead}).`,
          {
            status: 'open',
            allowed: ['AcceptProposal', 'ProposeLead'],
          },
        );
      }
      const already = [current.proposedBy, ...state.acceptances.map((a) => a.organisation)];
      if (already.includes(actor.organisation)) {
        throw new refuse(
          'wrong-state',
          `${actor.organisation} has already accepted this proposal; waiting for ${opened_.parties.filter((p) => !already.includes(p)).join(', ')}.`,
          { status: 'open' },
        );
      }
      const acceptance: Acceptance = {
        organisation: actor.organisation,
        subject: actor.subject,
        role: actor.role,
        at: command.now,
      };
      const accepted: LeadEvent = {
        type: 'LeadProposalAccepted',
        data: { ...ids, proposalId: current.proposalId, round: state.round, acceptance },
      };
      const everyone = [...already, actor.organisation];
      if (!opened_.parties.every((p) => everyone.includes(p))) return [accepted];
      const proposal = state.proposals.find((p) => p.proposalId === current.proposalId)!;
      const proposerAcceptance: Acceptance = {
        organisation: proposal.proposedBy,
        subject: proposal.proposer.subject,
        role: proposal.proposer.role,
        at: proposal.proposedAt,
      };
      return [
        accepted,
        {
          type: 'LeadAgreed',
          data: {
            ...ids,
            round: state.round,
            lead: current.lead,
            proposalId: current.proposalId,
            acceptances: [proposerAcceptance, ...state.acceptances, acceptance],
            agreedAt: command.now,
          },
        },
      ];
    }
    case 'DecideLead': {
      if (state.status !== 'open') throw wrongState(state, 'decide the lead');
      if (actor.role !== 'director')
        throw new refuse('forbidden', 'Only a director (bestuurder) of a party may decide the lead.');
      if (state.escalation.level < DIRECTOR_LEVEL) {
        throw new refuse(
          'wrong-state',
          `Escalation has reached level ${state.escalation.level}; a director may decide only once it has reached the directors (level ${DIRECTOR_LEVEL}).`,
          {
            status: 'open',
            allowed: ['ProposeLead', 'AcceptProposal'],
          },
        );
      }
      requireParty(opened_.parties, command.lead, 'lead');
      return [
        {
          type: 'LeadDecided',
          data: {
            ...ids,
            round: state.round,
            lead: command.lead,
            decidedBy: { organisation: actor.organisation, subject: actor.subject, role: actor.role },
            rationale: text('rationale', command.rationale),
            decidedAt: command.now,
          },
        },
      ];
    }
    case 'Renegotiate': {
      if (state.status === 'open' || !state.lead) throw wrongState(state, 're-negotiate');
      return [
        {
          type: 'LeadRenegotiationOpened',
          data: {
            ...ids,
            round: state.round + 1,
            reason: text('reason', command.reason),
            openedBy: actor.organisation,
            leadInForce: state.lead.organisation,
            deadlineAt: command.deadlineAt,
            openedAt: command.now,
          },
        },
      ];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown lead command ${JSON.stringify(unknown)}`);
    }
  }
}

function opened(command: OpenNegotiation, state: LeadNegotiationState): LeadEvent {
  if (state.status !== 'none') throw wrongState(state, 'open a negotiation');
  const parties = [...new Set(command.parties)];
  if (parties.length < 2 || parties.length !== command.parties.length) {
    throw new refuse('invalid', 'parties must name two or more different organisations of the chain.', {
      field: 'parties',
    });
  }
  if (command.actor.role === 'inspector' || !parties.includes(command.actor.organisation)) {
    throw new refuse(
      'forbidden',
      `Only a party opens a negotiation; you act for ${command.actor.organisation}, the parties are ${parties.join(', ')}.`,
    );
  }
  return {
    type: 'LeadNegotiationOpened',
    data: {
      negotiationId: command.negotiationId,
      caseId: command.caseId,
      chain: command.chain,
      parties,
      ...(command.municipality ? { municipality: command.municipality } : {}),
      ...(command.suggestedLead ? { suggestedLead: command.suggestedLead } : {}),
      deadlines: command.deadlines,
      deadlineAt: command.deadlineAt,
      ladders: command.ladders,
      openedAt: command.now,
    },
  };
}

function wrongState(state: LeadNegotiationState, what: string): CommandRefused {
  const allowed =
    state.status === 'open'
      ? ['ProposeLead', 'AcceptProposal', 'DecideLead']
      : state.status === 'none'
        ? ['OpenNegotiation']
        : ['Renegotiate'];
  const now =
    state.status === 'open'
      ? 'it is open: propose, accept, or (at director level) decide'
      : state.status === 'none'
        ? 'it has not been opened'
        : `the lead is ${state.status} (${state.lead?.organisation}); re-negotiate to change it`;
  return new CommandRefused('wrong-state', `You cannot ${what} now: ${now}.`, { status: state.status, allowed });
}

function requireParty(parties: readonly string[], organisation: string, field: string): void {
  if (!parties.includes(organisation)) {
    throw new CommandRefused(
      'invalid',
      `${field} must be one of the parties (${parties.join(', ')}), got ${organisation}.`,
      { field },
    );
  }
}

function text(field: string, value: string): string {
  const trimmed = (value ?? '').trim();
  if (!trimmed)
    throw new CommandRefused('invalid', `${field} is required: say why, in a sentence, without personal data.`, {
      field,
    });
  if (trimmed.length > MAX_TEXT)
    throw new CommandRefused('invalid', `${field} is longer than ${MAX_TEXT} characters.`, { field });
  return trimmed;
}
