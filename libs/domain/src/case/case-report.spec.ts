import { AMS, KEN, PNH, scriptedCase, START_CONFIRMED_AT, STARTED_AT } from '../../../../test/support/scripted-case';
import { caseReport } from './case-report';

const records = scriptedCase('case-r').map((event, i) => ({
  ...event,
  globalPosition: i + 1,
  metadata: { actor: event.actor },
}));
const report = caseReport('case-r', records, '2025-12-01T00:00:00.000Z');

describe('the timeline report of a case', () => {
  it('given the scripted case, when reported, then the lanes show the sender until care started and each chain lead from its agreement', () => {
    expect(report.lanes.map((l) => [l.key, l.bars.map((b) => [b.organisation, b.from, b.until])])).toEqual([
      [
        'responsible',
        [
          [KEN, '2025-11-03T09:00:00.000Z', STARTED_AT],
          [AMS, STARTED_AT, undefined],
        ],
      ],
      ['lead-care', [[AMS, '2025-11-06T09:00:00.000Z', undefined]]],
      ['lead-safety', [[PNH, '2025-11-07T10:00:00.000Z', undefined]]],
    ]);
  });

  it('given escalations, notices and a mismatch, when reported, then each is marked on its lane at its effective time', () => {
    expect(report.markers.map((m) => [m.kind, m.lane, m.at, m.level])).toEqual([
      ['escalation', 'responsible', '2025-11-04T09:00:00.000Z', 1],
      ['notice-sent', 'responsible', '2025-11-04T09:01:00.000Z', 1],
      ['escalation', 'responsible', '2025-11-05T09:00:00.000Z', 2],
      ['escalation', 'lead-care', '2025-11-05T09:00:30.000Z', 1],
      ['notice-sent', 'responsible', '2025-11-05T09:01:00.000Z', 2],
      ['notice-acknowledged', 'responsible', '2025-11-05T10:00:00.000Z', undefined],
      ['notice-failed', 'responsible', '2025-11-05T11:00:00.000Z', 2],
      ['mismatch', 'lead-care', '2025-11-07T10:00:01.000Z', undefined],
      ['mismatch', 'lead-safety', '2025-11-07T10:00:01.000Z', undefined],
    ]);
  });

  it('given a late confirmed start, when reported, then its row has both clocks and the chart runs a little past the last event', () => {
    const started = report.rows.find((r) => r.type === 'HandoverStarted');
    expect(started).toMatchObject({ effectiveAt: STARTED_AT, recordedAt: START_CONFIRMED_AT });
    expect(started?.summary).toBe(`Zorg gestart bij ${AMS} (bevestigd ${START_CONFIRMED_AT})`);
    expect(report.rows).toHaveLength(records.length);
    expect(report.span.from).toBe('2025-11-03T09:00:00.000Z');
    expect(Date.parse(report.span.until)).toBeGreaterThan(Date.parse(STARTED_AT));
  });
});
