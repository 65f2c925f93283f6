export * from './actor';
export * from './command-refused';
