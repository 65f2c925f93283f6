export * from './handover.events';
export * from './handover.commands';

export * from './handover.state';
export * from './handover.decider';
export * from './handover.deadlines';
export * from './handover.view';
