export * from './family.events';
export * from './family.facts';
export * from './family.decider';
export * from './family.context';
export * from './family.overview';
