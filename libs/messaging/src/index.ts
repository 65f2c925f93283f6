export * from './envelope';
export * from './kafka';
export * from './outbox-relay';
export * from './trace-propagation';
