/** Default Temporal task queue of the worker; TEMPORAL_TASK_QUEUE overrides it. */
export const DEFAULT_TASK_QUEUE = 'warm-handover';
