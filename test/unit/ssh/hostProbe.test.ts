// Check SSH Setup's "does the host answer?": a real ssh login, against a real sshd and a closed port.
import * as assert from 'node:assert/strict';
import { probeSshHost, renderHostAnswer } from '../../../src/core/ssh/hostProbe';
import { freePort, startSshd, writeSshdClientConfig, type SshdFixture } from './sshdFixture';

describe('ssh/hostProbe (real ssh)', function () {
  this.timeout(60_000);
  let sshd: SshdFixture;
  before(async () => {
    sshd = await startSshd();
  });
  after(async () => {
    await sshd.stop();
  });

  it('says yes when ssh logs in through the config', async () => {
    const answer = await probeSshHost('spheron-probe', {
      userConfigPath: await writeSshdClientConfig(sshd, 'spheron-probe'),
      connectTimeoutSeconds: 10,
    });
    assert.equal(answer.ok, true, JSON.stringify(answer));
    const text = renderHostAnswer(
      answer,
      { address: '127.0.0.1', port: sshd.port, user: sshd.user },
      undefined,
    );
    assert.match(text, /^## Does the host answer\?\n\n\*\*Yes\.\*\* `ssh` logged in to /);
  });

  it('says no, and why, when nothing listens; a young instance gets the booting hint', async () => {
    const port = await freePort();
    const config = await writeSshdClientConfig({ ...sshd, port }, 'spheron-closed');
    const answer = await probeSshHost('spheron-closed', { userConfigPath: config, connectTimeoutSeconds: 5 });
    assert.equal(answer.ok, false);
    assert.ok(!answer.ok);
    assert.match(
      answer.reason,
      /^nothing accepts SSH connections on that port \(yet\) \(connect to host 127\.0\.0\.1 port \d+: Connection refused\)$/,
    );
    const text = renderHostAnswer(
      answer,
      { address: '127.0.0.1', port, user: 'root' },
      'It started 1 min ago and may still be booting.',
    );
    assert.match(text, /\*\*No\.\*\* `ssh` could not log in to root@127\.0\.0\.1 port \d+: nothing accepts/);
    assert.match(text, /\n\nIt started 1 min ago and may still be booting\.\n/);
  });

  it('says ssh could not start when the ssh program is missing', async () => {
    const answer = await probeSshHost('x', {
      userConfigPath: '/dev/null',
      connectTimeoutSeconds: 1,
      sshPath: '/nonexistent/ssh',
    });
    assert.deepEqual(
      { ...answer, elapsedMs: 0 },
      { ok: false, reason: 'ssh could not start (ENOENT)', elapsedMs: 0 },
    );
  });
});
