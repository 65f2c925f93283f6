import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';

/**
 * Recorded histories of real runs, replayed against today's workflow code. A change to a
 * workflow's control flow that would break running handovers fails here; such a change needs
 * `patched()` or a new workflow type (STYLE.md rule 7). Refresh a recording with
 * `UPDATE_REPLAY_HISTORIES=1 npm test -- handover.workflow` when a change is meant to be
 * incompatible and is deployed as a new workflow type.
 */
describe('replay of recorded workflow histories', () => {
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.json'));

  it('given the recordings, when counted, then there is at least one per workflow type worth guarding', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'handover-escalated-then-started.json',
        'handover-region-crossing.json',
        'notice-retried-then-sent.json',
        'notice-repeated-then-acknowledged.json',
        'notice-acknowledged-then-resumed.json',
        // Recorded before decisions at the top needed confirming: never re-record it.
        'lead-decided-by-one-director.json',
        'lead-decision-taken-then-confirmed.json',
        // Recorded before a rejection was followed up (R2a): the workflow ended at the rejection.
        'handover-rejected-before-follow-up.json',
        'handover-rejected-then-followed-up.json',
        // Safety agreements and Veilig Thuis reports (issue 15): their own workflow types.
        'safety-agreement-missed-then-broken.json',
        'melding-assessment-late-then-investigated.json',
        // A first run that continued as new after its escalations per run (patch safety-continue-as-new).
        'safety-agreement-continued-as-new.json',
        'melding-continued-as-new.json',
        'family-reassessment-escalated.json',
        'family-goal-overdue.json',
        // Since the append and the calendar run as local activities (local-store-and-calendar);
        // the recordings above it in the handover and lead workflows scheduled them as activities.
        'handover-escalated-locally-then-started.json',
        'handover-rejected-then-followed-up-locally.json',
        'handover-region-crossing-locally.json',
        'lead-decision-confirmed-with-local-activities.json',
        // Since a notice's append and status read run as local activities (notice-local-store).
        'notice-retried-then-sent-locally.json',
        'notice-acknowledged-then-resumed-locally.json',
      ]),
    );
  });

  it.each(files)(
    'given the recorded history %s, when replayed on the current code, then it is deterministic',
    async (file) => {
      const history = historyFromJSON(JSON.parse(readFileSync(join(__dirname, file), 'utf8')));
      await expect(
        Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history),
      ).resolves.toBeUndefined();
    },
  );
});
