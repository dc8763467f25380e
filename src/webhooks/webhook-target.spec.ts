import { isPrivateAddress, targetProblem } from './webhook-target';

describe('webhook targets', () => {
  it.each([
    '127.0.0.1',
    '127.9.9.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not an address',
  ])('%s is not public', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::6810:84e5', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => expect(isPrivateAddress(address)).toBe(false),
  );

  it.each([
    ['http://93.184.215.14/hook', /https:\/\//],
    ['ftp://example.org/hook', /https:\/\//],
    ['https://user:pw@93.184.215.14/hook', /user name or password/],
    ['https://127.0.0.1/hook', /public address/],
    ['https://[::1]:8443/hook', /public address/],
    ['https://169.254.169.254/latest/meta-data', /public address/],
    ['https://localhost/hook', /public address/],
    ['not a url', /full URL/],
    ['https://no-such-host.invalid/hook', /cannot be found/],
  ])('refuses %s', async (url, problem) => {
    expect(await targetProblem(url, false)).toMatch(problem);
  });

  it('takes HTTPS to a public address, and with WEBHOOKS_ALLOW_PRIVATE plain HTTP to loopback', async () => {
    expect(await targetProblem('https://93.184.215.14/hook', false)).toBeUndefined();
    expect(await targetProblem('http://127.0.0.1:8080/hook', true)).toBeUndefined();
    expect(await targetProblem('https://u:p@127.0.0.1/hook', true)).toMatch(/user name/);
  });
});
