import { addWorkingDays } from '../calendar/working-days';
import type { DeadlineSpec } from './handover.events';

/**
 * Deadlines a handover may set, in working days, within the bounds the organisations allow.
 * One policy for every organisation for now; the bounds are recorded with each handover's
 * deadlines, so a later change of policy does not alter a running case.
 */
export const DEADLINE_POLICY = {
  receipt: { default: 1, min: 1, max: 5 },
  start: { default: 10, min: 1, max: 40 },
  escalationInterval: { default: 1, min: 1, max: 5 },
  /** After a rejection or withdrawal: working days for the sender to keep the children or hand them over anew (R2a). */
  followUp: { default: 5, min: 1, max: 10 },
  /** Lead negotiation (R4): working days for the parties to agree on a lead. */
  agreement: { default: 2, min: 1, max: 10 },
  /** A family change (R5): working days for each responsible organisation to re-assess the risks. */
  reassessment: { default: 5, min: 1, max: 10 },
} as const;

export type DeadlineKind = keyof typeof DEADLINE_POLICY;

export type ParsedDeadline =
  { readonly kind: 'working-days'; readonly days: number } | { readonly kind: 'duration'; readonly ms: number };

/** Wall-clock durations (demo mode) from one second up to one day. */
const MAX_DURATION_MS = 24 * 60 * 60 * 1000;
export const ISO_DURATION_PATTERN = '^P(?:(\\d+)D)?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+(?:\\.\\d+)?)S)?)?$';
const ISO_DURATION = new RegExp(ISO_DURATION_PATTERN);

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(
    readonly field: DeadlineKind,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads one deadline: a whole number of working days within the policy's bounds, or, only when
 * `demoMode` is on, an ISO-8601 duration of wall-clock time such as "PT20S".
 */
export function parseDeadline(field: DeadlineKind, spec: DeadlineSpec, demoMode: boolean): ParsedDeadline {
  const { min, max } = DEADLINE_POLICY[field];
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < min || spec > max) {
      throw new DeadlineError(
        field,
        `deadlines.${field} must be a whole number of working days from ${min} to ${max}, got ${spec}`,
      );
    }
    return { kind: 'working-days', days: spec };
  }
  if (!demoMode) {
    throw new DeadlineError(
      field,
      `deadlines.${field} must be a number of working days (${min} to ${max}); durations such as "${spec}" are only accepted when the service runs with DEMO_MODE=true`,
    );
  }
  const ms = durationMs(spec);
  if (!(ms >= 1000 && ms <= MAX_DURATION_MS)) {
    throw new DeadlineError(
      field,
      `deadlines.${field} must be an ISO-8601 duration from PT1S to P1D such as "PT20S", got "${spec}"`,
    );
  }
  return { kind: 'duration', ms };
}

/** Milliseconds of an ISO-8601 duration of days, hours, minutes and seconds; NaN if it is not one. */
function durationMs(spec: string): number {
  const match = ISO_DURATION.exec(spec);
  if (!match || spec === 'P' || spec.endsWith('T')) return NaN;
  return (
    ((Number(match[1] ?? 0) * 24 + Number(match[2] ?? 0)) * 60 + Number(match[3] ?? 0)) * 60_000 +
    Number(match[4] ?? 0) * 1000
  );
}

/** Interprets a deadline that was validated when the handover was requested. */
export function interpretDeadline(spec: DeadlineSpec): ParsedDeadline {
  if (typeof spec === 'number') return { kind: 'working-days', days: spec };
  const ms = durationMs(spec);
  if (Number.isNaN(ms)) throw new Error(`not an ISO-8601 duration: ${spec}`);
  return { kind: 'duration', ms };
}

/** The instant a deadline falls on, counted from `from`. */
export function deadlineAt(from: Date, deadline: ParsedDeadline): Date {
  return deadline.kind === 'working-days'
    ? addWorkingDays(from, deadline.days)
    : new Date(from.getTime() + deadline.ms);
}
