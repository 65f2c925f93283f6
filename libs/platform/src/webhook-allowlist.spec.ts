import { isAllowedHost, isNonPublicAddress, literalWebhookHostRefusal, parseAllowedHosts } from './webhook-allowlist';

describe('webhook allowlist', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fd00:ec2::254',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
  ])('given %s, when classified, then it is not public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111'])(
    'given %s, when classified, then it is public',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );

  it('given an allowlist of names and ranges, when a host is checked, then only those match', () => {
    const { entries, problems } = parseAllowedHosts('localhost, 127.0.0.0/8, ::1, hooks.internal');
    expect(problems).toEqual([]);
    expect(isAllowedHost(entries, 'LOCALHOST')).toBe(true);
    expect(isAllowedHost(entries, 'receiver.example', '127.0.0.1')).toBe(true);
    expect(isAllowedHost(entries, '[::1]')).toBe(true);
    expect(isAllowedHost(entries, 'receiver.example', '10.0.0.1')).toBe(false);
    expect(parseAllowedHosts('10.0.0.0/33, not a host').problems).toHaveLength(2);
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://2130706433/hook',
    'https://10.1.2.3/hook',
  ])('given the literal %s, when registered without an allowlist, then it is refused', (url) => {
    expect(literalWebhookHostRefusal(url, [])).toMatch(/WEBHOOK_ALLOWED_HOSTS/);
  });

  it('given a literal loopback the operator allowed, or a public name, when registered, then it is accepted', () => {
    const { entries } = parseAllowedHosts('127.0.0.1');
    expect(literalWebhookHostRefusal('http://127.0.0.1:8080/hook', entries)).toBeUndefined();
    expect(literalWebhookHostRefusal('https://hooks.example.org/hook', [])).toBeUndefined();
  });
});
