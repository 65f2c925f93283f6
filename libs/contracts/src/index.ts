export * from './events';
export * from './config-keys';
export * from './temporal';
