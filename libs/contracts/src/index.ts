export * from './events';
export * from './config-keys';
export * from './temporal';
export * from './handover.contracts';
export * from './lead.contracts';
export * from './notice.contracts';
export * from './safety.contracts';
export * from './family.contracts';
