import fc from 'fast-check';
import { decide as decideHandover } from '../handover/handover.decider';
import type { HandoverEvent } from '../handover/handover.events';
import { foldHandover, isOpen } from '../handover/handover.state';
import type { HandoverCommand } from '../handover/handover.commands';
import { CommandRefused } from '../shared/command-refused';
import type { CommandActor } from '../shared/actor';
import { admitHandover, type CaseCommand, caseAccessRole, decideCase } from './case.decider';
import type { CaseOwnEvent } from './case.events';
import { type CaseFacts, childResponsibleAt, foldCaseFacts, responsibleNow } from './case.facts';

/**
 * Properties of the case rules over random sequences of commands by random organisations and
 * roles, run through the same deciders the services and workflows use (R1, R2, need-to-know):
 * - every known child has exactly one responsible organisation at every moment since it became
 *   known, past moments included;
 * - responsibility moves only by a start confirmation of a handover whose sender held it;
 * - an organisation that is not a party never changes the case nor reads it;
 * - a child is in at most one open handover.
 */

const CASE = 'case-prop';
const ORGS = ['vt-kennemerland', 'vt-amsterdam-amstelland', 'vt-zuid-limburg', 'gemeente-haarlemmermeer'] as const;
const ROLES = ['professional', 'team-lead', 'inspector'] as const;

const CHILDREN = ['c-1', 'c-2', 'c-3'] as const;
const LADDER = [
  { level: 0, role: 'professional', title: 'Medewerker' },
  { level: 1, role: 'team-lead', title: 'Teamleider' },
  { level: 2, role: 'manager', title: 'Manager' },
  { level: 3, role: 'director', title: 'Bestuurder' },
] as const;

type Step =
  | { kind: 'open'; org: number; role: number; children: number[] }
  | { kind: 'add'; org: number; role: number; child: number }
  | { kind: 'involve'; org: number; role: number; other: number }
  | { kind: 'request'; org: number; role: number; to: number; children: number[] }
  | {
      kind: 'receiver' | 'sender';
      org: number;
      role: number;
      handover: number;
      action: 'receipt' | 'accept' | 'start' | 'reject' | 'withdraw' | 'contact';
    }
  | { kind: 'read'; org: number; role: number };

const index = (n: number) => fc.integer({ min: 0, max: n - 1 });
const childSet = fc.uniqueArray(index(CHILDREN.length), { minLength: 1, maxLength: CHILDREN.length });
/** Inspectors are rarer than professionals and team leads, as in life. */
const role = fc.constantFrom(0, 0, 0, 1, 2);
const action = fc.constantFrom(
  'receipt' as const,
  'accept' as const,
  'start' as const,
  'reject' as const,
  'withdraw' as const,
  'contact' as const,
);
// Weighted towards handovers and involvements, where the rules bite.
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('open' as const), org: index(ORGS.length), role, children: childSet }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      org: index(ORGS.length),
      role,
      child: index(CHILDREN.length),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('involve' as const),
      org: index(ORGS.length),
      role,
      other: index(ORGS.length),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      org: index(ORGS.length),
      role,
      to: index(ORGS.length),
      children: childSet,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom('receiver' as const, 'sender' as const),
      org: index(ORGS.length),
      role,
      handover: index(6),
      action,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('read' as const), org: index(ORGS.length), role }) },
);

interface World {
  events: (HandoverEvent | CaseOwnEvent)[];
  handoverIds: string[];
  clock: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Runs one step through the deciders; a refusal leaves the world as it was. */
function run(world: World, s: Step): { refused?: CommandRefused; actor: CommandActor } {
  world.clock += 60 * 60 * 1000;
  const now = iso(world.clock);
  const actor: CommandActor = { subject: `ps-${s.org}`, organisation: ORGS[s.org]!, role: ROLES[s.role]! };
  const facts = foldCaseFacts(world.events);
  try {
    switch (s.kind) {
      case 'open':
      case 'add':
      case 'involve': {
        const command: CaseCommand =
          s.kind === 'open'
            ? { type: 'OpenCase', actor, now, caseId: CASE, childIds: s.children.map((c) => CHILDREN[c]!) }
            : s.kind === 'add'
              ? { type: 'AddChildren', actor, now, caseId: CASE, childIds: [CHILDREN[s.child]!] }
              : {
                  type: 'InvolveParty',
                  actor,
                  now,
                  caseId: CASE,
                  organisation: ORGS[s.other]!,
                  reason: 'municipality',
                };
        world.events.push(...decideCase(command, facts));
        break;
      }
      case 'request': {
        const handoverId = `h-${world.handoverIds.length + 1}`;
        const childIds = s.children.map((c) => CHILDREN[c]!);
        admitHandover(
          { actor, caseId: CASE, handoverId, fromOrg: actor.organisation, childIds, opensCase: !facts.known },
          facts,
        );
        const command: HandoverCommand = {
          type: 'RequestHandover',
          actor,
          now,
          handoverId,
          caseId: CASE,
          childIds,
          fromOrg: actor.organisation,
          toOrg: ORGS[s.to]!,
          reason: 'family-moved',
          safetyAgreementRefs: [],
          deadlines: { receipt: 1, start: 10, escalationInterval: 1 },
          receiptDueAt: iso(world.clock + 86_400_000),
          startDueAt: iso(world.clock + 10 * 86_400_000),
          ladders: { directoryVersion: 'test', from: LADDER, to: LADDER },
        };
        world.events.push(...decideHandover(command, foldHandover([])));
        world.handoverIds.push(handoverId);
        break;
      }
      case 'receiver':
      case 'sender': {
        const handoverId = world.handoverIds[s.handover % Math.max(world.handoverIds.length, 1)];
        if (!handoverId) throw new CommandRefused('not-found', 'no such handover');
        // The API admits only parties of the case to a handover's commands (CaseAccess.handover).
        if (caseAccessRole(actor, facts) !== 'party') throw new CommandRefused('not-found', 'not a party');
        const own = world.events.filter(
          (e): e is HandoverEvent => 'handoverId' in e.data && e.data.handoverId === handoverId,
        );
        const state = foldHandover(own);
        const command: HandoverCommand =
          s.action === 'receipt'
            ? { type: 'AcknowledgeReceipt', actor, now }
            : s.action === 'accept'
              ? { type: 'AcceptHandover', actor, now, plannedStartDate: now.slice(0, 10) }
              : s.action === 'start'
                ? { type: 'ConfirmStart', actor, now, startedAt: iso(world.clock - 30 * 60 * 1000), startedBy: 'p' }
                : s.action === 'reject'
                  ? { type: 'RejectHandover', actor, now, reason: 'no capacity' }
                  : s.action === 'withdraw'
                    ? { type: 'WithdrawHandover', actor, now, reason: 'family stays' }
                    : { type: 'ReportContactFailure', actor, now, reason: 'no show' };
        world.events.push(...decideHandover(command, state));
        break;
      }
      case 'read':
        if (caseAccessRole(actor, facts) === 'none') throw new CommandRefused('not-found', 'not a party');
        break;
    }
    return { actor };
  } catch (error) {
    if (error instanceof CommandRefused) return { refused: error, actor };
    throw error;
  }
}

function checkInvariants(world: World, facts: CaseFacts): void {
  for (const child of facts.children.values()) {
    // Exactly one period in force at every moment from when the child became known.
    expect(child.periods[0]!.since).toBe(child.knownSince);
    child.periods.forEach((period, i) => {
      const next = child.periods[i + 1];
      if (next) expect(period.until).toBe(next.since);
      else expect(period.until).toBeUndefined();
    });
    for (let t = Date.parse(child.knownSince); t <= world.clock; t += 30 * 60 * 1000) {
      const inForce = child.periods.filter(
        (p) => Date.parse(p.since) <= t && (p.until === undefined || t < Date.parse(p.until)),
      );
      expect(inForce).toHaveLength(1);
      expect(childResponsibleAt(child, iso(t))).toBe(inForce[0]);
    }
    // Responsibility moves only by a start of care, in a handover whose sender held the child.
    child.periods.slice(1).forEach((period, i) => {
      expect(period.reason).toBe('care-started-after-handover');
      const handover = facts.handovers.get(period.handoverId!);
      expect(handover?.fromOrg).toBe(child.periods[i]!.organisation);
      expect(handover?.toOrg).toBe(period.organisation);
      expect(handover?.childIds).toContain(child.childId);
    });
  }
  // At most one open handover per child, counted from the handovers' own states.
  const openPerChild = new Map<string, number>();
  for (const id of world.handoverIds) {
    const state = foldHandover(
      world.events.filter((e): e is HandoverEvent => 'handoverId' in e.data && e.data.handoverId === id),
    );
    if (isOpen(state))
      for (const child of state.request!.childIds) openPerChild.set(child, (openPerChild.get(child) ?? 0) + 1);
  }
  for (const count of openPerChild.values()) expect(count).toBeLessThanOrEqual(1);
}

describe('case rules, over random sequences of commands by random organisations and roles', () => {
  it('keep every child with exactly one responsible organisation, move it only by a started handover from its holder, keep non-parties out, and one open handover per child', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const world: World = { events: [], handoverIds: [], clock: Date.parse('2026-11-02T08:00:00Z') };
        for (const s of steps) {
          const before = foldCaseFacts(world.events);
          const eventsBefore = world.events.length;
          const wasParty = before.parties.has(ORGS[s.org]!);
          const { refused, actor } = run(world, s);
          const after = foldCaseFacts(world.events);
          // A non-party (or an inspector) never changes a known case.
          if (before.known && (!wasParty || actor.role === 'inspector')) {
            expect(world.events.length).toBe(eventsBefore);
            if (s.kind !== 'read' || actor.role !== 'inspector') expect(refused).toBeDefined();
          }
          // A non-party never reads a case: the answer is the one a missing case gets.
          if (s.kind === 'read' && before.known && !wasParty && actor.role !== 'inspector')
            expect(refused?.code).toBe('not-found');
          // Only the responsible organisation hands a child over.
          const requested = world.events.slice(eventsBefore).find((e) => e.type === 'HandoverRequested');
          if (requested?.type === 'HandoverRequested')
            for (const child of requested.data.childIds) {
              const holder = responsibleNow(before, child);
              if (holder) expect(requested.data.fromOrg).toBe(holder);
            }
          checkInvariants(world, after);
        }
      }),
      { numRuns: 500 },
    );
  });
});
