import type { CommandActor } from '../shared/actor';
import { isInspector } from '../shared/actor';
import { CommandRefused } from '../shared/command-refused';
import { pseudonymousIdProblem } from '../shared/pseudonymous-id';
import {
  type CaseOpened,
  type CaseOwnEvent,
  type ChildrenAdded,
  INVOLVEMENT_REASONS,
  type InvolvementReason,
  type PartyInvolved,
} from './case.events';
import { type CaseFacts, responsibleNow } from './case.facts';

/**
 * The case's own rules (R1, R2, need-to-know between organisations), decided on its facts:
 * - a case has explicit parties; an organisation that is not one neither reads nor acts on it,
 *   and is told only "not found", as for a case that does not exist;
 * - every child has exactly one responsible organisation, and only that organisation hands the
 *   child over, in at most one open handover at a time.
 * Pure: the hosts (the case service for the case's own commands, the handover workflow's guarded
 * append for a handover request) read the facts and record what is decided here.
 */

interface Base {
  readonly actor: CommandActor;
  readonly now: string;
  readonly caseId: string;
}

/** Open a new case with its children; the service issues the case id (ids never collide). */
export interface OpenCase extends Base {
  readonly type: 'OpenCase';
  readonly childIds: readonly string[];
}

/** Add children that became known later (born, found); the party adding them is responsible. */
export interface AddChildren extends Base {
  readonly type: 'AddChildren';
  readonly childIds: readonly string[];
}

/** Involve another organisation with a reason; it becomes a party that can read the case. */
export interface InvolveParty extends Base {
  readonly type: 'InvolveParty';
  readonly organisation: string;
  readonly reason: InvolvementReason;
}

export type CaseCommand = OpenCase | AddChildren | InvolveParty;

const MAX_CHILDREN = 20;

export function decideCase(command: CaseCommand, facts: CaseFacts): CaseOwnEvent[] {
  refuseInspectors(command.actor);
  switch (command.type) {
    case 'OpenCase':
      return [opened(command, facts)];
    case 'AddChildren':
      return [added(command, facts)];
    case 'InvolveParty':
      return [involved(command, facts)];
    default: {
      const unknown: never = command;
      throw new Error(`unknown case command ${JSON.stringify(unknown)}`);
    }
  }
}

function opened(command: OpenCase, facts: CaseFacts): CaseOpened {
  if (facts.known) {
    throw new CommandRefused('wrong-state', `Case ${command.caseId} exists already; open a new case without an id.`, {
      status: 'open',
    });
  }
  return {
    type: 'CaseOpened',
    data: {
      caseId: command.caseId,
      openedBy: command.actor.organisation,
      childIds: validChildIds(command.childIds),
      openedAt: command.now,
    },
  };
}

function added(command: AddChildren, facts: CaseFacts): ChildrenAdded {
  requireParty(command.actor, command.caseId, facts);
  const childIds = validChildIds(command.childIds);
  const known = childIds.filter((id) => facts.children.has(id));
  if (known.length > 0) {
    throw new CommandRefused(
      'wrong-state',
      `The case already holds ${known.join(', ')}; add only children it does not know yet.`,
      { field: 'childIds' },
    );
  }
  return {
    type: 'ChildrenAdded',
    data: { caseId: command.caseId, childIds, responsibleOrg: command.actor.organisation, addedAt: command.now },
  };
}

function involved(command: InvolveParty, facts: CaseFacts): PartyInvolved {
  requireParty(command.actor, command.caseId, facts);
  if (!(INVOLVEMENT_REASONS as readonly string[]).includes(command.reason)) {
    throw new CommandRefused('invalid', `reason must be one of ${INVOLVEMENT_REASONS.join(', ')}.`, {
      field: 'reason',
    });
  }
  const current = facts.parties.get(command.organisation);
  if (current?.reasons?.includes(command.reason)) {
    throw new CommandRefused(
      'wrong-state',
      `${command.organisation} is already involved in this case for ${command.reason}; nothing to record.`,
      { field: 'organisation' },
    );
  }
  return {
    type: 'PartyInvolved',
    data: {
      caseId: command.caseId,
      organisation: command.organisation,
      reason: command.reason,
      involvedBy: command.actor.organisation,
      involvedAt: command.now,
    },
  };
}

/** What a handover request needs from its case. */
export interface HandoverAdmission {
  readonly actor: CommandActor;
  readonly caseId: string;
  readonly handoverId: string;
  readonly fromOrg: string;
  readonly childIds: readonly string[];
  /** True when the request registers a new case (the service issued its id just now). */
  readonly opensCase: boolean;
}

/**
 * May this handover be requested in this case? Refuses:
 * - a case the sender takes no part in (not-found: it must not learn the case exists), or a new
 *   case whose id is taken (cannot happen with issued ids, but two cases never merge);
 * - a child whose responsible organisation is another one (R1: only the responsible organisation
 *   hands a child over);
 * - a child that is already in an open handover (named, so the caller can look it up).
 * A child the case does not know yet becomes known with the sender responsible.
 */
export function admitHandover(admission: HandoverAdmission, facts: CaseFacts): void {
  refuseInspectors(admission.actor);
  if (admission.opensCase) {
    if (facts.known)
      throw new CommandRefused(
        'wrong-state',
        `Case ${admission.caseId} exists already; leave out caseId to open a new one.`,
      );
  } else {
    requireParty(admission.actor, admission.caseId, facts);
  }
  const childIds = validChildIds(admission.childIds);
  for (const childId of childIds) {
    const responsible = responsibleNow(facts, childId);
    if (responsible !== undefined && responsible !== admission.fromOrg) {
      throw new CommandRefused(
        'forbidden',
        `Only the organisation responsible for child ${childId} hands it over, and that is ${responsible}, not ${admission.fromOrg}. Ask ${responsible} to request the handover.`,
        { field: 'childIds' },
      );
    }
    const open = facts.openHandoverOfChild.get(childId);
    if (open !== undefined && open !== admission.handoverId) {
      throw new CommandRefused(
        'wrong-state',
        `Child ${childId} is already in open handover ${open}; a child is in one handover at a time. Wait for it to start, or withdraw it first (POST /handovers/${open}/withdrawal).`,
        { status: 'child-in-open-handover', openHandoverId: open, field: 'childIds' },
      );
    }
  }
}

/** Which part an organisation has in a case: its parties read and act; inspectors read only. */
export type CaseAccessRole = 'party' | 'inspector' | 'none';

export function caseAccessRole(actor: CommandActor, facts: CaseFacts): CaseAccessRole {
  if (!facts.known) return 'none';
  if (isInspector(actor)) return 'inspector';
  return facts.parties.has(actor.organisation) ? 'party' : 'none';
}

/** The refusal every non-party gets, the same as for a case that does not exist. */
export function caseNotFound(caseId: string): CommandRefused {
  return new CommandRefused(
    'not-found',
    `No case ${caseId} that your organisation takes part in. Check the case id; a party of the case can involve your organisation.`,
  );
}

function requireParty(actor: CommandActor, caseId: string, facts: CaseFacts): void {
  if (caseAccessRole(actor, facts) !== 'party') throw caseNotFound(caseId);
}

function refuseInspectors(actor: CommandActor): void {
  if (isInspector(actor)) throw new CommandRefused('forbidden', 'Inspectors read cases; they cannot change them.');
}

function validChildIds(childIds: readonly string[]): string[] {
  if (childIds.length === 0)
    throw new CommandRefused('invalid', 'childIds must name at least one (pseudonymous) child.', { field: 'childIds' });
  if (childIds.length > MAX_CHILDREN)
    throw new CommandRefused('invalid', `childIds names more than ${MAX_CHILDREN} children.`, { field: 'childIds' });
  for (const id of childIds) {
    const problem = pseudonymousIdProblem('childIds', id);
    if (problem) throw new CommandRefused('personal-data', problem, { field: 'childIds' });
  }
  if (new Set(childIds).size !== childIds.length)
    throw new CommandRefused('invalid', 'childIds names a child twice; name each child once.', { field: 'childIds' });
  return [...childIds];
}
