import * as assert from 'node:assert/strict';
import { volumeDeleteMessage } from '../../../src/core/volumes/deleteOutcome';

describe('volumes/deleteOutcome', () => {
  it('says "Deleted" only once the volume is gone from the list (or listed as deleted)', () => {
    assert.equal(volumeDeleteMessage('checkpoints', undefined), 'Deleted volume “checkpoints”.');
    assert.equal(volumeDeleteMessage('checkpoints', { status: 'deleted' }), 'Deleted volume “checkpoints”.');
  });

  it('while Spheron still lists it as deleting, says so, and that it bills until gone', () => {
    const message = volumeDeleteMessage('checkpoints', { status: 'deleting' });
    assert.equal(
      message,
      'Spheron is deleting volume “checkpoints”. The Volumes view shows it until it is gone, and it bills until then.',
    );
    assert.doesNotMatch(message, /^Deleted/);
  });
});
