export * from './events';
export * from './config-keys';
