import * as assert from 'node:assert/strict';
import { parseKernels } from '../../../src/core/guard/jupyterKernels';

describe('guard/jupyterKernels', () => {
  it('reads execution_state and last_activity of each kernel', () => {
    // The shape Jupyter Server documents for GET /api/kernels.
    const text = JSON.stringify([
      {
        id: 'a',
        name: 'python3',
        last_activity: '2026-09-22T11:55:00.123456Z',
        execution_state: 'idle',
        connections: 1,
      },
      {
        id: 'b',
        name: 'python3',
        last_activity: '2026-09-22T11:59:30Z',
        execution_state: 'busy',
        connections: 1,
      },
    ]);
    assert.deepEqual(parseKernels(text), [
      { executionState: 'idle', lastActivityMs: Date.UTC(2026, 8, 22, 11, 55, 0, 123) },
      { executionState: 'busy', lastActivityMs: Date.UTC(2026, 8, 22, 11, 59, 30) },
    ]);
  });

  it('keeps a kernel with an unreadable time, drops entries without a state', () => {
    assert.deepEqual(parseKernels('[{"execution_state":"starting","last_activity":"soon"},{"id":"x"},7]'), [
      { executionState: 'starting', lastActivityMs: undefined },
    ]);
  });

  it('is undefined for anything that is not a kernel list', () => {
    assert.equal(parseKernels('<html>403</html>'), undefined);
    assert.equal(parseKernels('{"message":"Forbidden"}'), undefined);
    assert.deepEqual(parseKernels('[]'), []);
  });
});
