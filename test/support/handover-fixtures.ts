import { randomUUID } from 'node:crypto';
import type { CommandMeta, RequestHandoverInput } from '@warm-handover/contracts';
import { findOrganisation, DIRECTORY_VERSION, type FrozenLadders } from '@warm-handover/domain';

export const KENNEMERLAND = 'vt-kennemerland';
export const AMSTERDAM = 'vt-amsterdam-amstelland';

export function actor(organisation: string, role = 'professional') {
  return { subject: `test:${organisation}:${role}`, organisation, role };
}

export function meta(organisation: string, role = 'professional'): CommandMeta {
  return { actor: actor(organisation, role), correlationId: randomUUID(), commandId: randomUUID() };
}

export function laddersOf(fromOrg: string, toOrg: string): FrozenLadders {
  return {
    directoryVersion: DIRECTORY_VERSION,
    from: findOrganisation(fromOrg)!.ladder,
    to: findOrganisation(toOrg)!.ladder,
  };
}

/** Seed case 1: Veilig Thuis Kennemerland hands a family over to Amsterdam-Amstelland. */
export function requestInput(overrides: Partial<RequestHandoverInput> = {}): RequestHandoverInput {
  const handoverId = overrides.handoverId ?? randomUUID();
  return {
    handoverId,
    caseId: `case-${handoverId.slice(0, 8)}`,
    childIds: ['child-1a', 'child-1b'],
    fromOrg: KENNEMERLAND,
    toOrg: AMSTERDAM,
    reason: 'family-moved',
    riskAssessmentRef: 'risk-assessment-1',
    safetyAgreementRefs: ['safety-agreement-1'],
    deadlines: { receipt: 1, start: 10, escalationInterval: 1 },
    ladders: laddersOf(overrides.fromOrg ?? KENNEMERLAND, overrides.toOrg ?? AMSTERDAM),
    ...overrides,
  };
}
