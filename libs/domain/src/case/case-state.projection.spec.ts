import {
  AMS,
  KEN,
  type ScriptedEvent,
  START_CONFIRMED_AT,
  STARTED_AT,
  scriptedCase,
  summarise,
  TEN_MOMENTS,
} from '../../../../test/support/scripted-case';
import { caseStateAt } from './case-state.projection';

const CASE = 'case-audit';
const events: readonly ScriptedEvent[] = scriptedCase(CASE);
/** Everything the scripted store ever recorded. */
const EVERYTHING = '2025-12-01T00:00:00.000Z';
/** Just before the late start confirmation was recorded. */
const BEFORE_CONFIRMATION = new Date(Date.parse(START_CONFIRMED_AT) - 1).toISOString();

describe('the state of a case at a moment', () => {
  it.each(TEN_MOMENTS.map((m) => [m.at, m.knowledge, m] as const))(
    'given the scripted case, when asked at %s knowing %s, then the answer is the hand-written one',
    (at, knowledge, moment) => {
      const asRecordedAt = knowledge === 'everything' ? EVERYTHING : BEFORE_CONFIRMATION;
      expect(summarise(caseStateAt(CASE, events, { at, asRecordedAt }))).toEqual(moment.expected);
    },
  );

  it('given a late confirmed start, when asked at the start of care, then the answer names both clocks and counts what it used', () => {
    const state = caseStateAt(CASE, events, { at: STARTED_AT, asRecordedAt: BEFORE_CONFIRMATION });
    expect(state).toMatchObject({
      at: STARTED_AT,
      asRecordedAt: BEFORE_CONFIRMATION,
      basis: 'effective-time',
      knownSince: '2025-11-03T09:00:00.000Z',
      events: { recorded: events.length - 1, inEffect: events.length - 1 },
    });
  });

  it('given an agreed care lead, when asked afterwards, then every acceptance says who, in which role and when', () => {
    const { chains } = caseStateAt(CASE, events, { at: EVERYTHING, asRecordedAt: EVERYTHING });
    expect(chains.care?.lead?.acceptances).toEqual([
      { organisation: AMS, subject: `ps-${AMS}-professional`, role: 'professional', at: '2025-11-04T11:00:00.000Z' },
      { organisation: KEN, subject: `ps-${KEN}-professional`, role: 'professional', at: '2025-11-06T09:00:00.000Z' },
    ]);
  });

  it('given a lead decided by a director and a rejected handover, when asked, then the director and the unresolved handover are shown', () => {
    const negotiation = { negotiationId: 'n-x', caseId: CASE, chain: 'care' };
    const at = (day: number) => `2025-11-0${day}T09:00:00.000Z`;
    const director = { organisation: KEN, subject: 'ps-director', role: 'director' };
    const state = caseStateAt(
      CASE,
      [
        {
          type: 'HandoverRequested',
          data: { handoverId: 'h', caseId: CASE, childIds: ['c'], fromOrg: KEN, toOrg: AMS, requestedAt: at(1) },
          recordedAt: at(1),
        },
        {
          type: 'HandoverRejected',
          data: { handoverId: 'h', caseId: CASE, reason: 'geen plek', rejectedAt: at(2) },
          recordedAt: at(2),
        },
        {
          type: 'LeadNegotiationOpened',
          data: { ...negotiation, parties: [KEN, AMS], openedAt: at(1) },
          recordedAt: at(1),
        },
        {
          type: 'LeadDecided',
          data: {
            ...negotiation,
            round: 1,
            lead: KEN,
            decidedBy: director,
            rationale: 'regie blijft hier',
            decidedAt: at(3),
          },
          recordedAt: at(3),
        },
      ],
      { at: at(4), asRecordedAt: at(4) },
    );
    expect(state.chains.care?.lead).toMatchObject({
      organisation: KEN,
      how: 'decided',
      decidedBy: director,
      rationale: 'regie blijft hier',
    });
    expect(state.unresolvedHandover).toMatchObject({ handoverId: 'h', status: 'rejected', sender: KEN });
    expect(state.responsible?.organisation).toBe(KEN);
    expect(state.openHandovers).toEqual([]);
  });
});
