export * from './safety-agreement.events';
export * from './safety-agreement.decider';
export * from './melding.events';
export * from './melding.decider';
export * from './neutral-text';
export * from './safety.views';
