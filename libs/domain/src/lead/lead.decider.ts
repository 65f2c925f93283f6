import { ESCALATION_ROLES, type EscalationLevel } from '../organisations/organisation';
import type { CommandActor } from '../shared/actor';
import { CommandRefused } from '../shared/command-refused';
import type {
  AcceptProposal,
  ConfirmDecision,
  DecideLead,
  EscalateNegotiation,
  LeadCommand,
  OpenNegotiation,
  ProposeLead,
  Renegotiate,
} from './lead.commands';
import type { Acceptance, Chain, LeadEvent, LeadNegotiationOpened } from './lead.events';
import { currentProposal, inDisagreement, type LeadNegotiationState, type LeadNegotiationView } from './lead.state';

const DIRECTOR_LEVEL = (ESCALATION_ROLES.length - 1) as EscalationLevel;
const MAX_TEXT = 2000;

/** An opened negotiation, with the ids every event of it repeats. */
interface Opened {
  readonly state: LeadNegotiationState;
  readonly opened: LeadNegotiationOpened['data'];
  readonly ids: { readonly negotiationId: string; readonly caseId: string; readonly chain: Chain };
}

/**
 * Decides a lead-negotiation command: the events to record, or a refusal saying why and what
 * to do (forbidden 403, wrong-state 409, invalid 400). Pure: time comes in with the command.
 */
export function decideLead(command: LeadCommand, state: LeadNegotiationState): LeadEvent[] {
  if (command.type === 'OpenNegotiation') return open(command, state);
  const negotiation = opened(state);
  if (command.type === 'EscalateNegotiation') return escalate(command, negotiation);
  requireParticipant(command.actor, negotiation.opened.parties);
  switch (command.type) {
    case 'ProposeLead':
      return propose(command, negotiation);
    case 'AcceptProposal':
      return accept(command, negotiation);
    case 'DecideLead':
      return decide(command, negotiation);
    case 'ConfirmDecision':
      return confirm(command, negotiation);
    case 'Renegotiate':
      return renegotiate(command, negotiation);
    default: {
      const unknown: never = command;
      throw new Error(`unknown lead command ${JSON.stringify(unknown)}`);
    }
  }
}

function open(command: OpenNegotiation, state: LeadNegotiationState): LeadEvent[] {
  if (state.status !== 'none') throw wrongState(state, 'open a negotiation');
  const parties = [...new Set(command.parties)];
  if (parties.length < 2 || parties.length !== command.parties.length) {
    throw new CommandRefused('invalid', 'parties must name two or more different organisations of the chain.', {
      field: 'parties',
    });
  }
  if (command.actor.role === 'inspector' || !parties.includes(command.actor.organisation)) {
    throw new CommandRefused(
      'forbidden',
      `Only a party opens a negotiation; you act for ${command.actor.organisation}, the parties are ${parties.join(', ')}.`,
    );
  }
  return [
    {
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
    },
  ];
}

function escalate(command: EscalateNegotiation, { state, opened, ids }: Opened): LeadEvent[] {
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
        recipients: opened.parties.map((organisation) => {
          const step = opened.ladders[organisation]!.find((s) => s.level === level)!;
          return { organisation, role: step.role, title: step.title };
        }),
        escalatedAt: command.now,
      },
    },
  ];
}

function propose(command: ProposeLead, { state, opened, ids }: Opened): LeadEvent[] {
  if (state.status !== 'open') throw wrongState(state, 'propose a lead');
  requireParty(opened.parties, command.lead, 'lead');
  const actor = command.actor;
  const current = currentProposal(state);
  const counter = current !== undefined && current.proposedBy !== actor.organisation && current.lead !== command.lead;
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

function accept(command: AcceptProposal, { state, opened, ids }: Opened): LeadEvent[] {
  if (state.status !== 'open') throw wrongState(state, 'accept a proposal');
  const actor = command.actor;
  const current = currentProposal(state);
  if (!current)
    throw new CommandRefused('wrong-state', 'There is no proposal to accept yet; propose a lead first.', {
      status: 'open',
      allowed: ['ProposeLead'],
    });
  if (current.proposalId !== command.proposalId) {
    throw new CommandRefused(
      'wrong-state',
      `Proposal ${command.proposalId} is no longer the current one; the current proposal is ${current.proposalId} (${current.lead}).`,
      { status: 'open', allowed: ['AcceptProposal', 'ProposeLead'] },
    );
  }
  const already = [current.proposedBy, ...state.acceptances.map((a) => a.organisation)];
  if (already.includes(actor.organisation)) {
    throw new CommandRefused(
      'wrong-state',
      `${actor.organisation} has already accepted this proposal; waiting for ${opened.parties.filter((p) => !already.includes(p)).join(', ')}.`,
      { status: 'open' },
    );
  }
  const acceptance = acceptanceBy(actor, command.now);
  const accepted: LeadEvent = {
    type: 'LeadProposalAccepted',
    data: { ...ids, proposalId: current.proposalId, round: state.round, acceptance },
  };
  const everyone = [...already, actor.organisation];
  if (!opened.parties.every((p) => everyone.includes(p))) return [accepted];
  const proposerAcceptance: Acceptance = {
    organisation: current.proposedBy,
    subject: current.proposer.subject,
    role: current.proposer.role,
    at: current.proposedAt,
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

/**
 * A director's decision at the top. Under §6 it is that party's decision until every other
 * party's director confirms it; before §6 (replayed negotiations) it put the lead in force alone.
 */
function decide(command: DecideLead, { state, opened, ids }: Opened): LeadEvent[] {
  if (state.status !== 'open') throw wrongState(state, 'decide the lead');
  const actor = command.actor;
  requireDirector(actor, 'decide the lead');
  if (state.escalation.level < DIRECTOR_LEVEL) {
    throw new CommandRefused(
      'wrong-state',
      `Escalation has reached level ${state.escalation.level}; a director may decide only once it has reached the directors (level ${DIRECTOR_LEVEL}).`,
      { status: 'open', allowed: ['ProposeLead', 'AcceptProposal'] },
    );
  }
  requireParty(opened.parties, command.lead, 'lead');
  const rationale = text('rationale', command.rationale);
  const decidedBy = { organisation: actor.organisation, subject: actor.subject, role: actor.role };
  if (!command.confirmationRequired) {
    return [
      {
        type: 'LeadDecided',
        data: { ...ids, round: state.round, lead: command.lead, decidedBy, rationale, decidedAt: command.now },
      },
    ];
  }
  const pending = state.decision;
  if (pending?.decidedBy.organisation === actor.organisation) {
    throw new CommandRefused(
      'wrong-state',
      `Your director's decision for ${pending.lead} waits for confirmation by the directors of ${pending.awaiting.filter((p) => !pending.confirmations.some((c) => c.organisation === p)).join(', ')}; it stands until they confirm it or take their own decision.`,
      { status: 'open', allowed: ['ProposeLead', 'AcceptProposal'] },
    );
  }
  if (pending && pending.lead === command.lead) {
    throw new CommandRefused(
      'wrong-state',
      `The director of ${pending.decidedBy.organisation} already decided for ${pending.lead}; confirm that decision (POST /lead-negotiations/{id}/decision-confirmations with decisionId ${pending.decisionId}) instead of deciding the same again.`,
      { status: 'open', allowed: ['ConfirmDecision', 'DecideLead'] },
    );
  }
  return [
    {
      type: 'LeadDecisionTaken',
      data: {
        ...ids,
        decisionId: command.decisionId,
        round: state.round,
        lead: command.lead,
        decidedBy,
        rationale,
        counter: pending !== undefined,
        awaiting: opened.parties.filter((p) => p !== actor.organisation),
        decidedAt: command.now,
      },
    },
  ];
}

/** Another party's director confirms the open decision; the last confirmation puts the lead in force. */
function confirm(command: ConfirmDecision, { state, ids }: Opened): LeadEvent[] {
  if (state.status !== 'open') throw wrongState(state, 'confirm a decision');
  const actor = command.actor;
  requireDirector(actor, 'confirm a decision at the top');
  const pending = state.decision;
  if (!pending) {
    throw new CommandRefused(
      'wrong-state',
      'There is no decision at the top to confirm; once escalation reached the directors, a director decides first.',
      { status: 'open', allowed: ['ProposeLead', 'AcceptProposal', 'DecideLead'] },
    );
  }
  if (pending.decisionId !== command.decisionId) {
    throw new CommandRefused(
      'wrong-state',
      `Decision ${command.decisionId} is no longer the open one; the open decision is ${pending.decisionId} (${pending.lead}, by ${pending.decidedBy.organisation}).`,
      { status: 'open', allowed: ['ConfirmDecision', 'DecideLead'] },
    );
  }
  const confirmedBy = pending.confirmations.map((c) => c.organisation);
  const waitingFor = pending.awaiting.filter((p) => !confirmedBy.includes(p));
  if (!waitingFor.includes(actor.organisation)) {
    throw new CommandRefused(
      'wrong-state',
      pending.decidedBy.organisation === actor.organisation
        ? `This is your own director's decision; it waits for the directors of ${waitingFor.join(', ')}.`
        : `${actor.organisation} has already confirmed this decision; it waits for the directors of ${waitingFor.join(', ')}.`,
      { status: 'open' },
    );
  }
  const confirmation = acceptanceBy(actor, command.now);
  const confirmed: LeadEvent = {
    type: 'LeadDecisionConfirmed',
    data: { ...ids, decisionId: pending.decisionId, round: state.round, confirmation },
  };
  if (waitingFor.length > 1) return [confirmed];
  return [
    confirmed,
    {
      type: 'LeadDecided',
      data: {
        ...ids,
        round: state.round,
        lead: pending.lead,
        decidedBy: pending.decidedBy,
        rationale: pending.rationale,
        decidedAt: command.now,
        decisionId: pending.decisionId,
        confirmations: [...pending.confirmations, confirmation],
      },
    },
  ];
}

function renegotiate(command: Renegotiate, { state, ids }: Opened): LeadEvent[] {
  if (state.status === 'open' || !state.lead) throw wrongState(state, 're-negotiate');
  return [
    {
      type: 'LeadRenegotiationOpened',
      data: {
        ...ids,
        round: state.round + 1,
        reason: text('reason', command.reason),
        openedBy: command.actor.organisation,
        leadInForce: state.lead.organisation,
        deadlineAt: command.deadlineAt,
        openedAt: command.now,
      },
    },
  ];
}

function opened(state: LeadNegotiationState): Opened {
  const data = state.opened;
  if (!data)
    throw new CommandRefused('wrong-state', 'There is no negotiation yet; open one first.', {
      status: 'none',
      allowed: ['OpenNegotiation'],
    });
  return { state, opened: data, ids: { negotiationId: data.negotiationId, caseId: data.caseId, chain: data.chain } };
}

function requireParticipant(actor: CommandActor, parties: readonly string[]): void {
  if (actor.role === 'inspector')
    throw new CommandRefused('forbidden', 'Inspectors read negotiations; they cannot take part in them.');
  if (!parties.includes(actor.organisation)) {
    throw new CommandRefused(
      'forbidden',
      `Only the parties (${parties.join(', ')}) take part in this negotiation; you act for ${actor.organisation}.`,
    );
  }
}

function requireDirector(actor: CommandActor, what: string): void {
  if (actor.role !== 'director')
    throw new CommandRefused('forbidden', `Only a director (bestuurder) of a party may ${what}.`);
}

function acceptanceBy(actor: CommandActor, at: string): Acceptance {
  return { organisation: actor.organisation, subject: actor.subject, role: actor.role, at };
}

function wrongState(state: LeadNegotiationState, what: string): CommandRefused {
  const allowed =
    state.status === 'open'
      ? ['ProposeLead', 'AcceptProposal', 'DecideLead', 'ConfirmDecision']
      : state.status === 'none'
        ? ['OpenNegotiation']
        : ['Renegotiate'];
  const now =
    state.status === 'open'
      ? 'it is open: propose, accept, or (at director level) decide and confirm'
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

/** What a director of a party may do at the top of a negotiation now (issue 11 §6). */
export interface TopDecisionsOpen {
  /** The leads this director may decide for now: none before escalation reached the directors. */
  readonly decide: readonly string[];
  /** The open decision this director may confirm, if it waits for this director's organisation. */
  readonly confirm?: { readonly decisionId: string; readonly lead: string; readonly decidedBy: string };
}

/**
 * The decisions at the top `actor` may take now, by the same rules as `decideLead` (so a page
 * offers only what the decider would accept): a director of a party, once escalation reached the
 * directors, decides for any party but the one an open decision already names, unless that open
 * decision is the director's own; and confirms an open decision of another party's director that
 * still waits for the actor's organisation.
 */
export function topDecisionsOpenTo(
  actor: CommandActor,
  negotiation: Pick<LeadNegotiationView, 'status' | 'parties' | 'escalation' | 'pendingDecision'>,
): TopDecisionsOpen {
  const none: TopDecisionsOpen = { decide: [] };
  if (actor.role !== 'director' || negotiation.status !== 'open' || !negotiation.parties.includes(actor.organisation))
    return none;
  if (negotiation.escalation.level < DIRECTOR_LEVEL) return none;
  const pending = negotiation.pendingDecision;
  const ownPending = pending?.decidedBy.organisation === actor.organisation;
  return {
    decide: ownPending ? [] : negotiation.parties.filter((p) => p !== pending?.lead),
    ...(pending && !ownPending && pending.waitingFor.includes(actor.organisation)
      ? {
          confirm: {
            decisionId: pending.decisionId,
            lead: pending.lead,
            decidedBy: pending.decidedBy.organisation,
          },
        }
      : {}),
  };
}
