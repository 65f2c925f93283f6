export * from './calendar/working-days';
