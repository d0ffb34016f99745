import * as assert from 'node:assert/strict';
import {
  ALIAS_PATTERN,
  checkHostAddress,
  describeUntrusted,
  isPortNumber,
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

  it('matches only whole aliases of ours, never a pattern or a longer name around one', () => {
    for (const good of ['spheron-a', 'spheron-my-run-0a1b2c', 'spheron-9']) {
      assert.match(good, ALIAS_PATTERN);
    }
    for (const bad of [
      '*spheron-x',
      'xspheron-x',
      'spheron-x*',
      'spheron-x y',
      'spheron-',
      'spheron--x',
      'spheron-x-',
      'spheron-X',
      'spheron',
      ' spheron-x',
      'spheron-x\nHost *',
    ]) {
      assert.doesNotMatch(bad, ALIAS_PATTERN, bad);
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
    for (const missing of [null, undefined, '']) {
      const result = checkHostAddress(missing);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.reason, /^no IP address reported yet$/);
    }
    const notText = checkHostAddress(7);
    assert.equal(notText.ok ? '' : notText.reason, 'the IP address is not a string');
    const zone = checkHostAddress('fe80::1%eth0');
    assert.equal(zone.ok ? '' : zone.reason, '"fe80::1%eth0" is not an IPv4 or IPv6 address');
  });

  it('defaults the user to ubuntu, allows uppercase, refuses anything else', () => {
    for (const missing of [null, undefined, '']) {
      assert.deepEqual(checkSshUser(missing), { ok: true, value: 'ubuntu' }, String(missing));
    }
    assert.deepEqual(checkSshUser('_a'), { ok: true, value: '_a' });
    assert.deepEqual(checkSshUser('a'.repeat(32)), { ok: true, value: 'a'.repeat(32) });
    assert.deepEqual(checkSshUser(7), { ok: false, reason: '7 is not a valid login name' });
    // Not text, even when it reads as a valid name.
    assert.equal(checkSshUser(['root']).ok, false);
    assert.deepEqual(checkSshUser('a b'), { ok: false, reason: '"a b" is not a valid login name' });
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
    assert.deepEqual(checkSshPort(undefined), { ok: true, value: 22 });
    assert.deepEqual(checkSshPort(2222), { ok: true, value: 2222 });
    assert.equal(isPortNumber(1), true);
    assert.equal(isPortNumber(65535), true);
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

  it('describes an untrusted value on one short line, quoted when it is text', () => {
    assert.equal(describeUntrusted('a\nb'), '"a\\nb"');
    assert.equal(describeUntrusted(42), '42');
    assert.equal(describeUntrusted(null), 'null');
    assert.equal(describeUntrusted('x'.repeat(58)), `"${'x'.repeat(58)}"`);
    assert.equal(describeUntrusted('x'.repeat(59)), `"${'x'.repeat(58)}…`);
    assert.equal(describeUntrusted('abcdef', 4), '"ab…');
  });
});
