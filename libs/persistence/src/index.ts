export * from './data-source';
export * from './event-store/event-store';
export * from './event-store/event-store.errors';
export * from './checkpoints/checkpoint-store';
export { MIGRATIONS } from './migrations';
export * from './idempotency/idempotency-store';
export * from './contact-points/contact-point-secrets';
