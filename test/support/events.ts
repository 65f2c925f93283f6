import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@warm-handover/contracts';

/** A test event with a fresh id and system metadata for the given case. */
export function testEvent(type: string, data: Record<string, unknown> = {}, caseId = 'case-test'): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: {
      actor: { subject: 'system:test', organisation: 'vt-kennemerland', role: 'professional' },
      correlationId: randomUUID(),
      caseId,
    },
  };
}
