/**
 * `@warm-handover/infra`: the one front door to the infrastructure helpers that `npm start`,
 * `npm test`, the benchmarks, the tests and the apps' integration specs share. Its modules import
 * each other relatively; everything else imports this package by name (lint keeps it so).
 * The process entry points (`oidc-provider-host.ts`, `smtp-capture-server.ts`, `prepare.ts`) are
 * started as processes, never imported.
 */
export * from './apps';
export * from './cache';
export * from './go-install';
export * from './kafka';
export * from './maven';
export * from './oidc-provider';
export * from './postgres';
export * from './process';
export * from './schemathesis';
export * from './smtp-capture';
export * from './startup-errors';
export * from './supervisor';
export * from './temporal';
export * from './temporal-server';
export * from './temporal-test-server';
