export * from './lead.events';
export * from './lead.commands';
export * from './lead.state';
export * from './lead.decider';
export * from './lead.alignment';
export * from './vt-police-mapping';
export * from './leads.projection';
