import * as assert from 'node:assert/strict';
import { duplicateNameWarning } from '../../../src/core/deploy/names';

describe('deploy/names: duplicate names', () => {
  const fleet = [
    { id: 'a', name: 'train-1', status: 'running' },
    { id: 'b', name: 'Old-Box', status: 'stopped' },
    { id: 'c', name: 'gone', status: 'terminated' },
    { id: 'd', name: null, status: 'deploying' },
  ];

  it('warns when a live instance already has the name, as SSH compares it (any case)', () => {
    assert.equal(
      duplicateNameWarning('TRAIN-1', fleet),
      'Another instance (running) is already called “train-1”. Both will show under that name, and this one’s SSH host becomes spheron-train-1-<id> instead of spheron-train-1.',
    );
    assert.match(
      duplicateNameWarning('old-box', fleet) ?? '',
      /^Another instance \(stopped\) is already called “Old-Box”/,
    );
  });

  it('says nothing for a new name, an ended instance’s name, the instance being renamed, or an empty name', () => {
    assert.equal(duplicateNameWarning('train-2', fleet), undefined);
    assert.equal(duplicateNameWarning('gone', fleet), undefined);
    assert.equal(duplicateNameWarning('train-1', fleet, 'a'), undefined);
    assert.equal(duplicateNameWarning('  ', fleet), undefined);
  });
});
