import * as assert from 'node:assert/strict';
import { sshKeyNameProblem, suggestSshKeyName } from '../../../src/core/keys/keyNames';

describe('names for registered SSH keys', () => {
  it('uses user@host comments, else the machine and the file', () => {
    assert.equal(
      suggestSshKeyName({ path: '/h/.ssh/id_ed25519.pub', comment: 'me@laptop' }, 'box'),
      'me@laptop (id_ed25519)',
    );
    assert.equal(
      suggestSshKeyName({ path: '/h/.ssh/id_rsa.pub', comment: '' }, 'work.example.com'),
      'work-id_rsa',
    );
    assert.equal(
      suggestSshKeyName({ path: '/h/.ssh/my key.pub', comment: 'spheron-vscode' }, ''),
      'vscode-my-key',
    );
  });

  it('avoids names the team already uses', () => {
    const key = { path: '/h/.ssh/id_ed25519.pub', comment: '' };
    assert.equal(suggestSshKeyName(key, 'box', ['box-id_ed25519']), 'box-id_ed25519-2');
    assert.equal(suggestSshKeyName(key, 'box', ['box-id_ed25519', 'box-id_ed25519-2']), 'box-id_ed25519-3');
  });

  it('refuses empty, long and control-character names', () => {
    assert.equal(sshKeyNameProblem('laptop'), undefined);
    assert.match(sshKeyNameProblem('  ') ?? '', /Enter a name/);
    assert.match(sshKeyNameProblem('x'.repeat(101)) ?? '', /at most 100/);
    assert.match(sshKeyNameProblem('a\nb') ?? '', /control/);
    assert.ok(
      suggestSshKeyName({ path: '/h/.ssh/k.pub', comment: `${'u'.repeat(120)}@h` }, 'h').length <= 100,
    );
  });
});
