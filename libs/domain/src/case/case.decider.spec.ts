import type { HandoverEvent } from '../handover/handover.events';
import { CommandRefused, type RefusalCode } from '../shared/command-refused';
import { admitHandover, type CaseCommand, caseAccessRole, decideCase, type HandoverAdmission } from './case.decider';
import type { CaseOwnEvent } from './case.events';
import { foldCaseFacts, responsibilityByChildAt, responsibleNow, followUpResolved } from './case.facts';

const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';
const ZL = 'vt-zuid-limburg';
const GEM = 'gemeente-haarlemmermeer';
const actor = (organisation: string, role = 'professional') => ({ subject: `ps-${organisation}`, organisation, role });
const at = (day: number, hour = 9) =>
  `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;

type Event = HandoverEvent | CaseOwnEvent;
const opened = (childIds: string[], by = KEN): Event => ({
  type: 'CaseOpened',
  data: { caseId: 'c', openedBy: by, childIds, openedAt: at(2) },
});
const requested = (handoverId: string, childIds: string[], fromOrg = KEN, toOrg = AMS, day = 3): Event =>
  ({
    type: 'HandoverRequested',
    data: { handoverId, caseId: 'c', childIds, fromOrg, toOrg, requestedAt: at(day) },
  }) as unknown as HandoverEvent;
const started = (handoverId: string, fromOrg = KEN, toOrg = AMS, day = 5): Event => ({
  type: 'HandoverStarted',
  data: { handoverId, caseId: 'c', fromOrg, toOrg, startedAt: at(day), startedBy: 'p', confirmedAt: at(day, 12) },
});
const rejected = (handoverId: string, day = 4): Event => ({
  type: 'HandoverRejected',
  data: { handoverId, caseId: 'c', reason: 'geen plek', rejectedAt: at(day) },
});

/** Given/When/Then over the case decider: the events a command adds, or its refusal. */
function given(events: readonly Event[]) {
  const facts = foldCaseFacts(events);
  const refusalOf = (fn: () => unknown): CommandRefused => {
    try {
      fn();
    } catch (error) {
      if (error instanceof CommandRefused) return error;
      throw error;
    }
    throw new Error('expected a refusal, but the command was accepted');
  };
  return {
    when: (command: CaseCommand) => ({
      then: (expected: Partial<CaseOwnEvent>[]) => expect(decideCase(command, facts)).toMatchObject(expected),
      thenRefused: (code: RefusalCode, message?: RegExp) => {
        const refused = refusalOf(() => decideCase(command, facts));
        expect(refused.code).toBe(code);
        if (message) expect(refused.message).toMatch(message);
      },
    }),
    whenRequested: (admission: Omit<HandoverAdmission, 'caseId'>) => ({
      thenAdmitted: () => expect(() => admitHandover({ caseId: 'c', ...admission }, facts)).not.toThrow(),
      thenRefused: (code: RefusalCode, message?: RegExp) => {
        const refused = refusalOf(() => admitHandover({ caseId: 'c', ...admission }, facts));
        expect(refused.code).toBe(code);
        if (message) expect(refused.message).toMatch(message);
        return refused;
      },
    }),
  };
}

describe('case decider', () => {
  it('given no case, when an organisation opens one with two children, then it is the first party and responsible for both', () => {
    given([])
      .when({ type: 'OpenCase', actor: actor(KEN), now: at(2), caseId: 'c', childIds: ['k1', 'k2'] })
      .then([{ type: 'CaseOpened', data: { caseId: 'c', openedBy: KEN, childIds: ['k1', 'k2'], openedAt: at(2) } }]);
    const facts = foldCaseFacts([opened(['k1', 'k2'])]);
    expect(responsibleNow(facts, 'k1')).toBe(KEN);
    expect(responsibleNow(facts, 'k2')).toBe(KEN);
    expect([...facts.parties.keys()]).toEqual([KEN]);
  });

  it('given a case, when someone opens it again under its id, then it is refused: two cases never merge', () => {
    given([opened(['k1'])])
      .when({ type: 'OpenCase', actor: actor(ZL), now: at(3), caseId: 'c', childIds: ['k9'] })
      .thenRefused('wrong-state');
  });

  it('given a case, when an outsider adds a child or involves someone, then it is not found', () => {
    given([opened(['k1'])])
      .when({ type: 'AddChildren', actor: actor(ZL), now: at(3), caseId: 'c', childIds: ['k9'] })
      .thenRefused('not-found', /No case c that your organisation takes part in/);
    given([opened(['k1'])])
      .when({ type: 'InvolveParty', actor: actor(ZL), now: at(3), caseId: 'c', organisation: ZL, reason: 'other' })
      .thenRefused('not-found');
  });

  it('given a case, when a party involves the municipality, then the municipality is a party that may read it', () => {
    const involved: Event = {
      type: 'PartyInvolved',
      data: { caseId: 'c', organisation: GEM, reason: 'municipality', involvedBy: KEN, involvedAt: at(3) },
    };
    given([opened(['k1'])])
      .when({
        type: 'InvolveParty',
        actor: actor(KEN),
        now: at(3),
        caseId: 'c',
        organisation: GEM,
        reason: 'municipality',
      })
      .then([involved]);
    expect(caseAccessRole(actor(GEM), foldCaseFacts([opened(['k1']), involved]))).toBe('party');
    expect(caseAccessRole(actor(ZL), foldCaseFacts([opened(['k1']), involved]))).toBe('none');
    expect(caseAccessRole(actor(ZL, 'inspector'), foldCaseFacts([opened(['k1'])]))).toBe('inspector');
  });

  it('given a child id that is a BSN, when a case is opened with it, then it is refused as personal data', () => {
    given([])
      .when({ type: 'OpenCase', actor: actor(KEN), now: at(2), caseId: 'c', childIds: ['111222333'] })
      .thenRefused('personal-data', /BSN/);
  });

  it('given an inspector, when it opens a case, then it is forbidden', () => {
    given([])
      .when({
        type: 'OpenCase',
        actor: actor('inspectie-gezondheidszorg-en-jeugd', 'inspector'),
        now: at(2),
        caseId: 'c',
        childIds: ['k1'],
      })
      .thenRefused('forbidden');
  });
});

describe('admitting a handover to its case', () => {
  const base = { actor: actor(KEN), handoverId: 'h2', fromOrg: KEN, opensCase: false };

  it('given a case of another organisation, when an outsider requests a handover in it, then it is not found', () => {
    given([opened(['k1'])])
      .whenRequested({ ...base, actor: actor(ZL), fromOrg: ZL, childIds: ['k1'] })
      .thenRefused('not-found');
  });

  it('given a child handed over and started, when the old sender hands it over again, then it is forbidden and names who is responsible', () => {
    given([opened(['k1', 'k2']), requested('h1', ['k1']), started('h1')])
      .whenRequested({ ...base, childIds: ['k1'] })
      .thenRefused('forbidden', /responsible for child k1 .* vt-amsterdam-amstelland/);
  });

  it('given siblings of whom one was handed over, when the sender hands over the other, then it is admitted', () => {
    given([opened(['k1', 'k2']), requested('h1', ['k1']), started('h1')])
      .whenRequested({ ...base, childIds: ['k2'] })
      .thenAdmitted();
  });

  it('given a child in an open handover, when it is requested again, then it is refused and the open handover is named', () => {
    const refused = given([opened(['k1']), requested('h1', ['k1'])])
      .whenRequested({ ...base, childIds: ['k1'] })
      .thenRefused('wrong-state', /already in open handover h1/);
    expect(refused.details.openHandoverId).toBe('h1');
  });

  it('given a rejected handover, when the sender hands the child over anew, then it is admitted and the follow-up is resolved', () => {
    const events = [opened(['k1']), requested('h1', ['k1']), rejected('h1')];
    given(events)
      .whenRequested({ ...base, childIds: ['k1'] })
      .thenAdmitted();
    expect(followUpResolved(foldCaseFacts(events), 'h1')).toBe(false);
    expect(followUpResolved(foldCaseFacts([...events, requested('h2', ['k1'], KEN, ZL, 6)]), 'h1')).toBe(true);
  });

  it('given a new case id that exists already, when a request would open it, then it is refused', () => {
    given([opened(['k1'])])
      .whenRequested({ ...base, opensCase: true, childIds: ['k1'] })
      .thenRefused('wrong-state');
  });
});

describe('responsibility per child', () => {
  it('given one sibling handed over, when asked before, during and after, then only that child moved, from the start of care', () => {
    const facts = foldCaseFacts([opened(['k1', 'k2']), requested('h1', ['k1']), started('h1', KEN, AMS, 5)]);
    const who = (day: number) =>
      Object.fromEntries(
        responsibilityByChildAt(facts, at(day, 10)).map((c) => [c.childId, c.responsible.organisation]),
      );
    expect(who(1)).toEqual({});
    expect(who(4)).toEqual({ k1: KEN, k2: KEN });
    expect(who(6)).toEqual({ k1: AMS, k2: KEN });
  });
});
