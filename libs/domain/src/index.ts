export * from './calendar/working-days';
export * from './organisations/organisation';
export * from './organisations/directory';
export * from './handover';
export * from './handover/responsibility.projection';
export * from './case/case.decisions';
export * from './lead';
export * from './notice/notice.events';
