import * as assert from 'node:assert/strict';
import { DEFAULT_API_BASE_URL, DEFAULT_FORWARD_PORTS, parseSettings } from '../../../src/core/settings';

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
