export * from './handover.workflow';
export * from './lead-negotiation.workflow';
export * from './notice.workflow';
export * from './safety-agreement.workflow';
export * from './melding.workflow';
export * from './family.workflow';
