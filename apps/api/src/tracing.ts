import { startTracing } from '@warm-handover/platform/tracing';

// Before anything it instruments is loaded: main.ts imports this first.
startTracing('api');
