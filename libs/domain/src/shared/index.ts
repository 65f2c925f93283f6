export * from './actor';
export * from './command-refused';
export * from './pseudonymous-id';
