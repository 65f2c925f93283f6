import type { CalendarActivities } from '@warm-handover/contracts';
import { addWorkingDays } from '@warm-handover/domain';

export function createCalendarActivities(): CalendarActivities {
  return {
    computeDeadline({ from, workingDays }) {
      return Promise.resolve({ deadline: addWorkingDays(new Date(from), workingDays).toISOString() });
    },
  };
}
