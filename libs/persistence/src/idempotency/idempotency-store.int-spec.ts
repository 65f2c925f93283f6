import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { IdempotencyStore } from './idempotency-store';

describe('IdempotencyStore on real PostgreSQL', () => {
  let db: TestDatabase;
  let store: IdempotencyStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new IdempotencyStore(db.dataSource);
  });
  afterAll(() => db.drop());

  const scope = '["vt-utrecht","caseworker-1"]';
  const newKey = () => randomUUID();
  /** Moves a key's creation back in time, as if it had been begun that long ago. */
  const age = (key: string, interval: string) =>
    db.dataSource.query(`UPDATE idempotency_keys SET created_at = now() - $2::interval WHERE key = $1`, [
      key,
      interval,
    ]);

  it('given a new key, when begun, completed and begun again with the same request, then the stored answer is replayed', async () => {
    const key = newKey();
    const body = { handoverId: 'h-1', nested: { list: [1, 'two'] } };

    expect(await store.begin(scope, key, 'fp-1')).toEqual({ kind: 'new' });
    await store.complete(scope, key, 201, body);

    expect(await store.begin(scope, key, 'fp-1')).toEqual({ kind: 'replay', status: 201, body });
  });

  it('given a command that answered with an empty body, when replayed, then the body is null', async () => {
    const key = newKey();
    await store.begin(scope, key, 'fp-1');
    await store.complete(scope, key, 204, undefined);

    expect(await store.begin(scope, key, 'fp-1')).toEqual({ kind: 'replay', status: 204, body: null });
  });

  it('given a key used for one request, when begun with a different fingerprint, then it is a mismatch, running or completed', async () => {
    const key = newKey();
    await store.begin(scope, key, 'fp-1');
    expect(await store.begin(scope, key, 'fp-2')).toEqual({ kind: 'mismatch' });

    await store.complete(scope, key, 201, { ok: true });
    expect(await store.begin(scope, key, 'fp-2')).toEqual({ kind: 'mismatch' });
  });

  it('given a first attempt still running, when the same request begins, then it is told the key is in progress', async () => {
    const key = newKey();
    await store.begin(scope, key, 'fp-1');

    expect(await store.begin(scope, key, 'fp-1')).toEqual({ kind: 'in-progress' });
  });

  it('given ten concurrent begins of one key, when they race, then exactly one is new and the others are in progress', async () => {
    const key = newKey();

    const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.begin(scope, key, 'fp-1')));

    expect(outcomes.filter((o) => o.kind === 'new')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'in-progress')).toHaveLength(9);
  });

  it('given the same key in two scopes, when both begin and one completes, then they do not see each other', async () => {
    const key = newKey();
    const other = '["politie-midden-nederland","officer-7"]';

    expect(await store.begin(scope, key, 'fp-1')).toEqual({ kind: 'new' });
    expect(await store.begin(other, key, 'fp-other')).toEqual({ kind: 'new' });
    await store.complete(scope, key, 201, { from: 'first' });

    expect(await store.begin(other, key, 'fp-other')).toEqual({ kind: 'in-progress' });
    expect(await store.begin(scope, key, 'fp-1')).toEqual({ kind: 'replay', status: 201, body: { from: 'first' } });
  });

  it('given an abandoned attempt, when the same key begins again, then it is new', async () => {
    const key = newKey();
    await store.begin(scope, key, 'fp-1');

    await store.abandon(scope, key);

    expect(await store.begin(scope, key, 'fp-1')).toEqual({ kind: 'new' });
  });

  it('given a completed key, when abandon is called, then the answer is kept', async () => {
    const key = newKey();
    await store.begin(scope, key, 'fp-1');
    await store.complete(scope, key, 409, { status: 409 });

    await store.abandon(scope, key);

    expect(await store.begin(scope, key, 'fp-1')).toEqual({ kind: 'replay', status: 409, body: { status: 409 } });
  });

  it('given an attempt that died in progress over two minutes ago, when the same request races to retry, then exactly one takes it over', async () => {
    const key = newKey();
    await store.begin(scope, key, 'fp-1');
    await age(key, '3 minutes');

    const outcomes = await Promise.all(Array.from({ length: 5 }, () => store.begin(scope, key, 'fp-1')));

    expect(outcomes.filter((o) => o.kind === 'new')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'in-progress')).toHaveLength(4);
  });

  it('given an attempt that died in progress, when a different request uses the key, then it is still a mismatch', async () => {
    const key = newKey();
    await store.begin(scope, key, 'fp-1');
    await age(key, '3 minutes');

    expect(await store.begin(scope, key, 'fp-2')).toEqual({ kind: 'mismatch' });
  });

  it('given a key older than 24 hours, when used again for any request, then it starts a new command', async () => {
    const key = newKey();
    await store.begin(scope, key, 'fp-1');
    await store.complete(scope, key, 201, { old: true });
    await age(key, '25 hours');

    expect(await store.begin(scope, key, 'fp-2')).toEqual({ kind: 'new' });
    await store.complete(scope, key, 201, { old: false });
    expect(await store.begin(scope, key, 'fp-2')).toEqual({ kind: 'replay', status: 201, body: { old: false } });
  });

  it('given expired and live keys, when expired keys are deleted, then only the expired ones go', async () => {
    const expired = newKey();
    const live = newKey();
    await store.begin(scope, expired, 'fp-1');
    await store.begin(scope, live, 'fp-1');
    await store.complete(scope, live, 201, { live: true });
    await age(expired, '25 hours');

    expect(await store.deleteExpired()).toBeGreaterThanOrEqual(1);

    const left: { key: string }[] = await db.dataSource.query('SELECT key FROM idempotency_keys WHERE key = ANY($1)', [
      [expired, live],
    ]);
    expect(left.map((r) => r.key)).toEqual([live]);
  });
});
