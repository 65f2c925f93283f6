/**
 * `@warm-handover/domain/workflow`: the part of the domain that workflow code may import.
 *
 * Every cached workflow keeps its own copy of the workflow bundle's module state, so whatever
 * this entry pulls in is paid for once per open handover in the worker's memory (with the full
 * index, 2.3 MB each: `bench/RESULTS.md`, workflow-memory). Belongs here: events, commands,
 * state, deciders, views, errors and the organisation *types* — pure code without data tables
 * or libraries. Stays out: the working-day calendar (`date-holidays` and its time-zone data),
 * the organisation directory and everything built on it (VT→police mapping, lead alignment),
 * deadline arithmetic and read-side projections; workflows reach those through activities.
 * ESLint refuses `@warm-handover/domain` itself in workflows/.
 */
export * from './organisations/organisation';
export * from './handover/handover.events';
export * from './handover/handover.commands';
export * from './shared';
export * from './handover/handover.state';
export * from './handover/handover.decider';
export * from './handover/handover.view';
export * from './case/case.decisions';
export * from './lead/lead.events';
export * from './lead/lead.commands';
export * from './lead/lead.state';
export * from './lead/lead.decider';
export * from './notice/notice.events';
export * from './safety';
