import * as assert from 'node:assert/strict';
import {
  DEFAULT_API_BASE_URL,
  DEFAULT_FORWARD_PORTS,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  DEFAULT_SSH_CONNECT_TIMEOUT_SECONDS,
  isLoopbackUrl,
  parseSettings,
} from '../../../src/core/settings/settings';
import { SpheronClient } from '../../../src/core/api/client';

function reader(values: Record<string, unknown>) {
  return (key: string) => values[key];
}

describe('parseSettings', () => {
  it('gives the documented defaults for an empty configuration', () => {
    const settings = parseSettings(reader({}));
    assert.equal(settings.apiBaseUrl, DEFAULT_API_BASE_URL);
    assert.deepEqual(settings.forwardPorts, DEFAULT_FORWARD_PORTS);
    assert.equal(settings.sshManageConfig, true);
    assert.equal(settings.sshOurConfigPath, undefined);
    assert.equal(settings.sshIdentityFile, undefined);
    assert.equal(settings.tensorBoardLogDir, '~/runs');
    assert.equal(settings.requestTimeoutSeconds, DEFAULT_REQUEST_TIMEOUT_SECONDS);
  });

  it('takes an SSH connect timeout in whole seconds from 1 to 300, 20 by default', () => {
    const timeout = (value: unknown) =>
      parseSettings(reader({ 'ssh.connectTimeoutSeconds': value })).sshConnectTimeoutSeconds;
    assert.equal(timeout(undefined), DEFAULT_SSH_CONNECT_TIMEOUT_SECONDS);
    assert.equal(DEFAULT_SSH_CONNECT_TIMEOUT_SECONDS, 20);
    assert.equal(timeout(3), 3);
    assert.equal(timeout(1000), 300);
    for (const value of [0, 1.5, -3, Number.NaN, '10', null]) {
      assert.equal(timeout(value), DEFAULT_SSH_CONNECT_TIMEOUT_SECONDS, String(value));
    }
  });

  it('takes a request timeout of at least 1 s, caps it at 300 s, and ignores garbage', () => {
    const timeout = (value: unknown) =>
      parseSettings(reader({ requestTimeoutSeconds: value })).requestTimeoutSeconds;
    assert.equal(timeout(2), 2);
    assert.equal(timeout(1.5), 1.5);
    assert.equal(timeout(1000), 300);
    for (const value of [0, 0.5, -3, Number.NaN, Number.POSITIVE_INFINITY, '10', null]) {
      assert.equal(timeout(value), DEFAULT_REQUEST_TIMEOUT_SECONDS, String(value));
    }
  });

  it('normalises the API URL and strips credentials and trailing slashes', () => {
    assert.equal(
      parseSettings(reader({ apiBaseUrl: ' http://127.0.0.1:8787/ ' })).apiBaseUrl,
      'http://127.0.0.1:8787',
    );
    assert.equal(
      parseSettings(reader({ apiBaseUrl: 'https://user:secret@api.example.com/x/' })).apiBaseUrl,
      'https://api.example.com/x',
    );
  });

  it('falls back to the default URL for garbage and non-HTTP schemes', () => {
    for (const value of ['not a url', 'file:///etc/passwd', 'javascript:alert(1)', 42, null]) {
      assert.equal(
        parseSettings(reader({ apiBaseUrl: value })).apiBaseUrl,
        DEFAULT_API_BASE_URL,
        String(value),
      );
    }
  });

  it('accepts http:// only for a server on this machine', () => {
    for (const local of ['http://localhost:8787', 'http://127.0.0.2:9000', 'http://[::1]:8787']) {
      assert.equal(parseSettings(reader({ apiBaseUrl: local })).apiBaseUrl, local);
    }
    for (const remote of ['http://app.spheron.ai', 'http://10.0.0.5:8787', 'http://127.0.0.1.evil.example']) {
      assert.equal(parseSettings(reader({ apiBaseUrl: remote })).apiBaseUrl, DEFAULT_API_BASE_URL, remote);
      assert.equal(isLoopbackUrl(remote), false, remote);
    }
    assert.throws(
      () =>
        new SpheronClient({
          baseUrl: 'http://api.example.com',
          getApiKey: () => Promise.resolve('k'),
          userAgent: 'x',
        }),
      /must start with https:\/\/ \(http:\/\/ only for a server on this machine\)/,
    );
  });

  it('accepts valid forward ports and rejects the whole list when one entry is invalid', () => {
    const custom = [{ label: 'vLLM', remotePort: 8000 }];
    assert.deepEqual(parseSettings(reader({ forwardPorts: custom })).forwardPorts, custom);
    for (const bad of [
      [{ label: '', remotePort: 1 }],
      [{ label: 'x', remotePort: 70000 }],
      [{ label: 'x', remotePort: 1.5 }],
      'x',
    ]) {
      assert.deepEqual(parseSettings(reader({ forwardPorts: bad })).forwardPorts, DEFAULT_FORWARD_PORTS);
    }
  });

  it('reads the SSH settings', () => {
    const settings = parseSettings(
      reader({ 'ssh.manageConfig': false, 'ssh.configPath': ' ~/x/config ', 'ssh.identityFile': '~/.ssh/k' }),
    );
    assert.equal(settings.sshManageConfig, false);
    assert.equal(settings.sshOurConfigPath, '~/x/config');
    assert.equal(settings.sshIdentityFile, '~/.ssh/k');
  });
});
