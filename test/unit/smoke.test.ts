import * as assert from 'node:assert/strict';
import { CancelledError, isCancellation } from '../../src/core/api/errors';
describe('tooling', () => {
  it('runs TypeScript tests', () => {
    assert.equal(isCancellation(new CancelledError()), true);
  });
});
