/** A deadline as requested: whole working days, or (demo mode only) an ISO-8601 duration. */
export type DeadlineSpec = number | string;
