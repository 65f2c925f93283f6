import { recordedExamples } from '../../../../test/support/event-examples';
import {
  canonicalEventContent,
  type ChainedContent,
  canonicalUuid,
  eventHash,
  GENESIS_HASH,
  HashChain,
  microsecondTime,
} from './event-hash';

const content: ChainedContent = {
  globalPosition: 1,
  eventId: '0b5e0a52-6d8c-4a53-9a3f-2f1d9c0e7a11',
  streamId: 'handover-7f3c',
  streamVersion: 1,
  type: 'HandoverRequested',
  data: { toOrg: 'vt-amsterdam-amstelland', fromOrg: 'vt-kennemerland', n: 1.5, big: 1e21, note: 'zorg ✓', e: [] },
  metadata: { caseId: 'case-1' },
  recordedAt: '2026-11-23T09:00:00.123456Z',
};

describe('event hash', () => {
  it('given an event, when hashed, then it is SHA-256 over exactly the RFC 8785 text an outside party can write by hand', () => {
    // Written by hand from the README's definition; its SHA-256 computed with `sha256sum`.
    const expected =
      '{"data":{"big":1e+21,"e":[],"fromOrg":"vt-kennemerland","n":1.5,"note":"zorg ✓","toOrg":"vt-amsterdam-amstelland"},' +
      '"eventId":"0b5e0a52-6d8c-4a53-9a3f-2f1d9c0e7a11","globalPosition":1,"metadata":{"caseId":"case-1"},' +
      `"previousHash":"${'0'.repeat(64)}","recordedAt":"2026-11-23T09:00:00.123456Z",` +
      '"streamId":"handover-7f3c","streamVersion":1,"type":"HandoverRequested"}';

    expect(canonicalEventContent(content, GENESIS_HASH)).toBe(expected);
    expect(eventHash(content, GENESIS_HASH)).toBe('a6665ec535516acc628e272f34e0825522970fe543f41ad815500064feeded5d');
  });

  it('given the same JSON with other key order and number spelling, when hashed, then the hash is the same', () => {
    const reordered = JSON.parse(
      '{"e":[],"note":"zorg \\u2713","big":1000000000000000000000,"n":1.50,"fromOrg":"vt-kennemerland","toOrg":"vt-amsterdam-amstelland"}',
    ) as unknown;

    expect(eventHash({ ...content, data: reordered }, GENESIS_HASH)).toBe(eventHash(content, GENESIS_HASH));
  });

  it.each([
    ['globalPosition', { globalPosition: 2 }],
    ['eventId', { eventId: '0b5e0a52-6d8c-4a53-9a3f-2f1d9c0e7a12' }],
    ['streamId', { streamId: 'handover-7f3d' }],
    ['streamVersion', { streamVersion: 2 }],
    ['type', { type: 'HandoverReceived' }],
    ['data', { data: { ...(content.data as object), n: 1.25 } }],
    ['metadata', { metadata: { caseId: 'case-2' } }],
    ['recordedAt, by one microsecond', { recordedAt: '2026-11-23T09:00:00.123457Z' }],
  ])('given %s changed, when hashed, then the hash differs', (_field, change) => {
    expect(eventHash({ ...content, ...change }, GENESIS_HASH)).not.toBe(eventHash(content, GENESIS_HASH));
  });

  it('given a chain, when events are appended, then each is hashed onto the one before it, from the genesis', () => {
    const chain = new HashChain();
    const first = chain.append(content);
    const second = chain.append({ ...content, globalPosition: 2, streamVersion: 2 });

    expect(first.previousHash).toBe(GENESIS_HASH);
    expect(second.previousHash).toBe(first.hash);
    expect(second.hash).toBe(eventHash({ ...content, globalPosition: 2, streamVersion: 2 }, first.hash));
    expect(eventHash({ ...content, globalPosition: 2, streamVersion: 2 }, GENESIS_HASH)).not.toBe(second.hash);
  });

  it('given UUIDs in any form PostgreSQL accepts, when made canonical, then they read as PostgreSQL writes them', () => {
    expect(canonicalUuid('0B5E0A52-6D8C-4A53-9A3F-2F1D9C0E7A11')).toBe('0b5e0a52-6d8c-4a53-9a3f-2f1d9c0e7a11');
    expect(canonicalUuid('{0b5e0a526d8c4a539a3f2f1d9c0e7a11}')).toBe('0b5e0a52-6d8c-4a53-9a3f-2f1d9c0e7a11');
    expect(() => canonicalUuid('not-a-uuid')).toThrow(/is not a UUID/);
  });

  it('given a moment in milliseconds, when written for the hash, then it has six fractional digits', () => {
    expect(microsecondTime(Date.parse('2026-11-23T09:00:00.123Z'))).toBe('2026-11-23T09:00:00.123000Z');
  });
});

/**
 * Field names that would mean personal data in clear in the chain. `recipient.address` is the
 * functional contact point of a notice (a team mailbox or webhook URL), which the rules allow.
 */
const PERSONAL = /name|naam|bsn|address|adres|birth|geboorte|phone|telefoon|e-?mail|street|straat|postcode|zip/i;
const FUNCTIONAL = new Set(['data.recipient.address']);

function personalFields(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => personalFields(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const here = path ? `${path}.${key}` : key;
    const own = PERSONAL.test(key) && !FUNCTIONAL.has(here.replace(/\[\d+\]/g, '')) ? [here] : [];
    return [...own, ...personalFields(v, here)];
  });
}

describe('personal data in the hashed content', () => {
  it.each(recordedExamples().map((e) => [e.type, e] as const))(
    'given a recorded %s, when its hashed content is read, then no field is named like a name, BSN or address',
    (_type, event) => {
      const hashed = JSON.parse(canonicalEventContent(event, GENESIS_HASH)) as unknown;

      expect(personalFields(hashed, '')).toEqual([]);
    },
  );

  it('given the guard, when a field named like personal data is hashed, then it is found', () => {
    const leaky = { ...content, data: { child: { firstName: 'x', bsn: 'y' }, recipient: { address: 'ok' } } };

    expect(personalFields(JSON.parse(canonicalEventContent(leaky, GENESIS_HASH)), '')).toEqual([
      'data.child.bsn',
      'data.child.firstName',
    ]);
  });
});
