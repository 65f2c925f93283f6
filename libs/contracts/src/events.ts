/**
 * The shape every domain event has on its way through the event store, Temporal payloads and
 * Kafka. Times are ISO-8601 strings so the envelope survives JSON unchanged.
 */

/** Who caused a change: a person acting for an organisation in a role, or the system itself. */
export interface Actor {
  /** Pseudonymous subject id from the identity provider, or `system:<component>`. Never a name. */
  readonly subject: string;
  /** Organisation id, a lowercase slug such as `vt-kennemerland`. */
  readonly organisation: string;
  readonly role: string;
}

export interface EventMetadata {
  readonly actor: Actor;
  /** Ties together every event caused by one user request or one workflow run. */
  readonly correlationId: string;
  /** The event or command id that directly caused this event. */
  readonly causationId?: string;
  /** The Idempotency-Key of the command that produced this event, if any. */
  readonly idempotencyKey?: string;
  /** Pseudonymous case id; the Kafka message key, so all events of a case stay in order. */
  readonly caseId?: string;
}

/** An event as the caller hands it to the store. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  /** Chosen by the caller (UUID); appending the same id twice stores it once. */
  readonly eventId: string;
  readonly type: TType;
  readonly data: TData;
  readonly metadata: EventMetadata;
}

/** An event as the store hands it back. */
export interface RecordedEvent<TType extends string = string, TData = unknown> extends NewEvent<TType, TData> {
  readonly streamId: string;
  /** 1-based position of the event within its stream. */
  readonly streamVersion: number;
  /** Position in the store as a whole; strictly increasing in commit order. */
  readonly globalPosition: number;
  readonly recordedAt: string;
}

/**
 * Stream ids are `<category>-<id>`, e.g. `handover-7f3c…`. The category picks the Kafka topic.
 */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}

/** Kafka topic for a stream category: `warm-handover.<category>.v1`. */
export function topicForCategory(category: string): string {
  return `warm-handover.${category}.v1`;
}
