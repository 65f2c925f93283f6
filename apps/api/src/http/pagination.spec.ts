import { ProblemException } from './problem-details.filter';
import { encodeCursor, pageOf, pageRequest } from './pagination';

const items = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));

describe('cursor pagination', () => {
  it('given a limit of 2, when pages are followed by their next cursor, then every entry comes once, in order, and the last page has no next', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = pageOf(items, (i) => i.id, pageRequest('2', cursor, { max: 10 }));
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next ?? undefined;
      pages += 1;
    } while (cursor !== undefined);

    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toBe(3);
  });

  it('given no limit, when paged, then the default size applies', () => {
    expect(pageRequest(undefined, undefined, { max: 100, default: 50 })).toEqual({ limit: 50 });
  });

  it.each([
    ['0', undefined],
    ['11', undefined],
    ['two', undefined],
    ['2', 'not a cursor!'],
    ['2', Buffer.from('{"x":1}').toString('base64url')],
  ])('given limit %p and cursor %p, when read, then 400 problem details', (limit, cursor) => {
    expect(() => pageRequest(limit, cursor, { max: 10 })).toThrow(ProblemException);
  });

  it('given a cursor of an entry the list no longer has, when paged, then 400', () => {
    expect(() => pageOf(items, (i) => i.id, { limit: 2, after: 'zz' })).toThrow(ProblemException);
    expect(pageOf(items, (i) => i.id, pageRequest('2', encodeCursor('d'), { max: 10 })).items).toEqual([{ id: 'e' }]);
  });
});
