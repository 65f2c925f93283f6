import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, RFC 9562 §5.8: custom, here SHA-256 based) that is the same every time for
 * the same parts. Used where a retry or a redelivery must map to the same id: a notice per
 * (cause event, contact point, channel), the events a notice records, the seeded contact points.
 */
export function deterministicUuid(...parts: readonly string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u001f')).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
