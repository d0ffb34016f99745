import * as assert from 'node:assert/strict';
import {
  ALIAS_PATTERN,
  checkHostAddress,
  checkSshPort,
  checkSshUser,
  isValidDeploymentId,
  sanitizeAliasName,
  shortId,
} from '../../../src/core/ssh/validate';

describe('ssh/validate', () => {
  describe('sanitizeAliasName', () => {
    const cases: [string | null, string][] = [
      ['My Training Run', 'my-training-run'],
      ['  --weird__name!!  ', 'weird-name'],
      ['Ünïcödé Ñame', 'unicode-name'],
      ['模型训练', ''],
      ['x\n  ProxyCommand sh -c evil', 'x-proxycommand-sh-c-evil'],
      ['Host *', 'host'],
      ['a'.repeat(100), 'a'.repeat(40)],
      [`${'b'.repeat(39)}-tail`, 'b'.repeat(39)],
      [null, ''],
      ['', ''],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
        const result = sanitizeAliasName(input);
        assert.equal(result, expected);
        if (result !== '') {
          assert.match(`spheron-${result}`, ALIAS_PATTERN);
        }
      });
    }
  });

  it('shortId takes the last six characters, lowercase', () => {
    assert.equal(shortId('6A0123456789ABCDEF012345'), '012345');
    assert.equal(shortId('6a0123456789abcdef0123AB'), '0123ab');
  });

  it('accepts only plain deployment ids', () => {
    assert.equal(isValidDeploymentId('6a0123456789abcdef012345'), true);
    for (const bad of ['', 'a b', 'a\nb', '../x', 'x'.repeat(65), 42, null]) {
      assert.equal(isValidDeploymentId(bad), false, String(bad));
    }
  });

  it('accepts IPv4 and IPv6 literals only', () => {
    assert.deepEqual(checkHostAddress('203.0.113.9'), { ok: true, value: '203.0.113.9' });
    assert.deepEqual(checkHostAddress('2001:db8::1'), { ok: true, value: '2001:db8::1' });
    for (const bad of ['1.2.3.4:22', 'example.com', '999.1.1.1', 'fe80::1%eth0', ' 1.2.3.4', '[::1]', 7]) {
      assert.equal(checkHostAddress(bad).ok, false, String(bad));
    }
    const missing = checkHostAddress(null);
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? '' : missing.reason, /no IP address/);
  });

  it('defaults the user to ubuntu, allows uppercase, refuses anything else', () => {
    assert.deepEqual(checkSshUser(null), { ok: true, value: 'ubuntu' });
    assert.deepEqual(checkSshUser('root'), { ok: true, value: 'root' });
    assert.deepEqual(checkSshUser('Admin_1'), { ok: true, value: 'Admin_1' });
    for (const bad of [
      'root;rm -rf /',
      'a b',
      '-oProxyCommand=x',
      '%u',
      'user@host',
      '0day',
      'a'.repeat(33),
      'x\ny',
    ]) {
      assert.equal(checkSshUser(bad).ok, false, bad);
    }
  });

  it('defaults the port to 22 and accepts only integers 1-65535', () => {
    assert.deepEqual(checkSshPort(null), { ok: true, value: 22 });
    assert.deepEqual(checkSshPort(2222), { ok: true, value: 2222 });
    for (const bad of [
      0,
      65536,
      -1,
      22.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '22',
      '22\nProxyCommand x',
    ]) {
      assert.equal(checkSshPort(bad).ok, false, String(bad));
    }
    const nan = checkSshPort(Number.NaN);
    assert.match(nan.ok ? '' : nan.reason, /NaN is not a port/);
  });
});
