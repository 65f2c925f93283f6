import type { RecordedEvent } from '@warm-handover/contracts';
import { streamCategory, topicForCategory } from '@warm-handover/contracts';

/** What a Kafka message carries: the recorded event as stored, so consumers can dedupe on eventId. */
export type EventEnvelope = RecordedEvent;

export interface OutgoingMessage {
  readonly topic: string;
  /** The case id, so every event of a case lands on one partition and stays in order. */
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

export function toKafkaMessage(event: RecordedEvent): OutgoingMessage {
  return {
    topic: topicForCategory(streamCategory(event.streamId)),
    key: event.metadata.caseId ?? event.streamId,
    value: JSON.stringify(event satisfies EventEnvelope),
    headers: {
      'event-id': event.eventId,
      'event-type': event.type,
      'global-position': String(event.globalPosition),
    },
  };
}

export function fromKafkaValue(value: Buffer | string | null): EventEnvelope {
  if (value === null) throw new Error('Kafka message without a value is not a warm-handover event');
  return JSON.parse(value.toString()) as EventEnvelope;
}
