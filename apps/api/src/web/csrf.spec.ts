import { CsrfTokens } from './csrf';

describe('CsrfTokens', () => {
  const tokens = new CsrfTokens('a server secret of at least some length');

  it('given the token of a session, when checked for that session, then it passes', () => {
    expect(tokens.verify('session-a', tokens.tokenFor('session-a'))).toBe(true);
  });

  it('given the token of another session, when checked, then it fails', () => {
    expect(tokens.verify('session-b', tokens.tokenFor('session-a'))).toBe(false);
  });

  it('given no token, an empty one, a non-string or a truncated one, when checked, then each fails', () => {
    const good = tokens.tokenFor('session-a');
    for (const bad of [undefined, '', 42, ['x'], good.slice(0, -1), `${good}x`]) {
      expect(tokens.verify('session-a', bad)).toBe(false);
    }
  });

  it('given the same session under another secret, when checked, then it fails', () => {
    const other = new CsrfTokens('another server secret entirely');
    expect(tokens.verify('session-a', other.tokenFor('session-a'))).toBe(false);
  });

  it('given no session, when checked with the token of an empty id, then it fails', () => {
    expect(tokens.verify('', tokens.tokenFor(''))).toBe(false);
  });

  it('given a token, then it does not contain the session id', () => {
    expect(tokens.tokenFor('session-a')).not.toContain('session-a');
  });
});
