export * from './working-day-timer.workflow';
