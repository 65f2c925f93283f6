import { passesBsnElevenTest, pseudonymousIdProblem } from './pseudonymous-id';

describe('pseudonymous ids', () => {
  it('given a valid BSN, when eleven-tested, then it passes; a number one digit off does not', () => {
    expect(passesBsnElevenTest('111222333')).toBe(true);
    expect(passesBsnElevenTest('123456782')).toBe(true);
    expect(passesBsnElevenTest('123456781')).toBe(false);
    expect(passesBsnElevenTest('000000000')).toBe(false);
  });

  it.each([
    ['child-7f3c'],
    ['case:2026.0042'],
    ['123456781'], // nine digits, but not a BSN
    ['c-12345678'], // eight digits
    ['9b51efde-fb02-4ddd-b3fa-0bc373459622'], // a UUID whose last block holds a BSN-like run by chance
  ])('given %s, when checked, then it is a pseudonymous id', (id) => {
    expect(pseudonymousIdProblem('childIds', id)).toBeUndefined();
  });

  it.each([
    ['Jan Jansen', /spaces/],
    ['jan@example.nl', /e-mail/],
    ['123456782', /BSN eleven-test/],
    ['child-111222333', /BSN eleven-test/],
    ['Jansen,Jan', /letters, digits/],
    ['', /pseudonymous id/],
  ])('given %j, when checked, then it is refused with what to do', (id, message) => {
    expect(pseudonymousIdProblem('childIds', id)).toMatch(message);
  });
});
