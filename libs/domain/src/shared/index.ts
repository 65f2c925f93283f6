export * from './actor';
export * from './command-refused';
export * from './pseudonymous-id';
export * from './deadlines';
export * from './ladders';
export * from './neutral-code';
