import * as assert from 'node:assert/strict';
import { AuthError } from '../../../src/core/api/errors';
import { ActionableError, SHOW_LOGS_ACTION, presentError } from '../../../src/core/errors/errorPresentation';
import { SshCommandError, sshGaveUp } from '../../../src/core/ssh/sshFailure';

const NOW = Date.UTC(2026, 11, 6, 12, 0);
const MINUTE = 60_000;

function context(startedAtMs: number) {
  return {
    target: { name: 'pro6000-dev', address: '203.0.113.11', port: 22, user: 'root' },
    instance: { startedAtMs, createdAtMs: startedAtMs - MINUTE },
    nowMs: NOW,
    retry: { title: 'Retry', command: 'spheron.instance.openJupyter', args: ['d-1'] },
    deploymentId: 'd-1',
  };
}

const TIMED_OUT = 'debug1: Connecting\nssh: connect to host 203.0.113.11 port 22: Connection timed out\n';

describe('core/errorPresentation', () => {
  it('an SSH connect failure names the host, the reason, Retry and Check SSH Setup, then Show Logs', () => {
    const error = sshGaveUp(
      new SshCommandError('Could not run a command on the instance over SSH', TIMED_OUT),
      context(NOW - 3 * MINUTE),
    );
    assert.ok(error instanceof ActionableError);
    const shown = presentError(error, 'Open Jupyter');
    assert.ok(shown);
    assert.equal(
      shown.message,
      'Open Jupyter failed: pro6000-dev (203.0.113.11:22) as root did not answer over SSH: the host did not answer in time (connect to host 203.0.113.11 port 22: Connection timed out). It started 3 min ago and may still be booting: try again in a minute or two.',
    );
    assert.deepEqual(
      shown.actions.map((action) => [action.title, action.command, action.args]),
      [
        ['Retry', 'spheron.instance.openJupyter', ['d-1']],
        ['Check SSH Setup', 'spheron.ssh.check', ['d-1']],
        [SHOW_LOGS_ACTION.title, SHOW_LOGS_ACTION.command, undefined],
      ],
    );
    // A known failure: no stack in the log.
    assert.doesNotMatch(shown.logDetail, /\n\s+at /);
  });

  it('an instance up for an hour is not said to be booting', () => {
    const error = sshGaveUp(new SshCommandError('x', TIMED_OUT), context(NOW - 60 * MINUTE));
    assert.ok(error instanceof ActionableError);
    assert.doesNotMatch(error.message, /booting/);
  });

  it('leaves failures that reached the instance, and other errors, as they were', () => {
    const remote = new SshCommandError('Starting Jupyter failed', 'jupyter: command not found');
    assert.equal(sshGaveUp(remote, context(NOW)), remote);
    const other = new Error('boom');
    assert.equal(sshGaveUp(other, context(NOW)), other);
  });

  it('keeps the other funnels: API errors offer Sign In when the key is rejected; unknown errors show one line', () => {
    const auth = presentError(new AuthError(401, 'GET /api/balance', undefined));
    assert.deepEqual(
      auth?.actions.map((action) => action.title),
      ['Sign In', 'Show Logs'],
    );
    const unknown = presentError(new Error('first line\nsecond line'), 'Rename');
    assert.equal(unknown?.message, 'Rename failed: first line');
    assert.equal(presentError(Object.assign(new Error('x'), { name: 'AbortError' })), undefined);
  });
});
