import type { SafetyActivities } from '@warm-handover/contracts';
import {
  investigationDueAt,
  investigationWarnAt,
  monitoringResultDueAt,
  nextEscalationAt,
  safetyAssessmentDueAt,
  safetyAssessmentWarnAt,
} from '@warm-handover/domain';

/**
 * The instants the safety-agreement and melding workflows wait for, on the Dutch working-day
 * calendar (which the workflow bundle does not carry). Pure arithmetic: retries are harmless.
 * Events are recorded through the handover activities' recordEvents.
 */
export function createSafetyActivities(): Pick<SafetyActivities, 'safetyDueAt'> {
  return {
    safetyDueAt(input) {
      switch (input.kind) {
        case 'monitoring-result':
          return Promise.resolve(monitoringResultDueAt(input.moment));
        case 'assessment-due':
          return Promise.resolve(safetyAssessmentDueAt(input.from));
        case 'assessment-warn':
          return Promise.resolve(safetyAssessmentWarnAt(input.from));
        case 'investigation-due':
          return Promise.resolve(investigationDueAt(input.from));
        case 'investigation-warn':
          return Promise.resolve(investigationWarnAt(input.from));
        case 'next-escalation':
          return Promise.resolve(nextEscalationAt(input.from));
        default: {
          const unknown: never = input;
          return Promise.reject(new Error(`unknown due kind ${JSON.stringify(unknown)}`));
        }
      }
    },
  };
}
