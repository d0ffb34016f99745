// The built-in notebook kernels' list and the outputs they write, as plain data.
import * as assert from 'node:assert/strict';
import { notebookKernelTargets } from '../../../src/core/jupyter/kernelSource';
import {
  ERROR_MIME,
  failureItem,
  inputEcho,
  outputItems,
  STDERR_MIME,
  STDOUT_MIME,
} from '../../../src/core/jupyter/notebookOutputs';
import { deployment } from '../model/fixtures';

const decoder = new TextDecoder();
const text = (data: Uint8Array) => decoder.decode(data);

describe('built-in notebook kernels', () => {
  it('has one kernel per running instance with an address, labelled with its name and price', () => {
    const running = deployment({
      id: 'dep-run-1',
      name: 'h100-finetune',
      status: 'running',
      rawStatus: 'running',
      gpuType: 'H100_SXM5',
      gpuCount: 2,
      hourlyRate: 5.82,
      ipAddress: '203.0.113.7',
    });
    const noAddressYet = deployment({
      id: 'dep-2',
      status: 'running',
      rawStatus: 'running',
      ipAddress: null,
    });
    const deploying = deployment({
      id: 'dep-3',
      status: 'deploying',
      rawStatus: 'deploying',
      ipAddress: '203.0.113.8',
    });
    const ended = deployment({
      id: 'dep-4',
      status: 'terminated',
      rawStatus: 'terminated',
      ipAddress: '203.0.113.9',
    });
    assert.deepEqual(notebookKernelTargets([running, noAddressYet, deploying, ended]), [
      {
        controllerId: 'spheron-kernel-dep-run-1',
        deploymentId: 'dep-run-1',
        instanceName: 'h100-finetune',
        label: 'Spheron: h100-finetune · $5.82/h',
        description: '2× H100_SXM5',
      },
    ]);
  });

  it('writes streams, errors and rich data in the mimes VS Code renders', () => {
    assert.deepEqual(
      outputItems({ kind: 'stream', name: 'stdout', text: '42\n' }).map((item) => [
        item.mime,
        text(item.data),
      ]),
      [[STDOUT_MIME, '42\n']],
    );
    assert.equal(outputItems({ kind: 'stream', name: 'stderr', text: 'w' })[0]?.mime, STDERR_MIME);
    const [error] = outputItems({
      kind: 'error',
      ename: 'ZeroDivisionError',
      evalue: 'division by zero',
      traceback: ['a', 'b'],
    });
    assert.equal(error?.mime, ERROR_MIME);
    assert.deepEqual(JSON.parse(text(error.data)), {
      name: 'ZeroDivisionError',
      message: 'division by zero',
      stack: 'a\nb',
    });

    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const items = outputItems({
      kind: 'data',
      data: {
        'text/plain': ['<Figure ', 'size 640x480>'],
        'image/png': png.toString('base64'),
        'image/svg+xml': '<svg/>',
        'application/json': { a: [1, 2] },
        'application/vnd.plotly.v1+json': { data: [] },
        'text/html': 42,
      },
      metadata: {},
    });
    assert.deepEqual(
      items.map((item) => item.mime),
      ['text/plain', 'image/png', 'image/svg+xml', 'application/json', 'application/vnd.plotly.v1+json'],
      'a value in a shape no renderer reads (HTML as a number) is left out',
    );
    assert.equal(text(items[0].data), '<Figure size 640x480>');
    assert.deepEqual([...items[1].data], [...png], 'images become their bytes');
    assert.equal(text(items[2].data), '<svg/>', 'SVG stays text');
    assert.deepEqual(JSON.parse(text(items[3].data)), { a: [1, 2] });
  });

  it('says why a cell could not run as an error output without a traceback', () => {
    const item = failureItem('Spheron kernel', 'The instance has ended.');
    assert.equal(item.mime, ERROR_MIME);
    assert.deepEqual(JSON.parse(text(item.data)), {
      name: 'Spheron kernel',
      message: 'The instance has ended.',
      stack: '',
    });
  });

  it('shows a line read by input() after its prompt, and never a password', () => {
    assert.deepEqual(inputEcho('Your name: ', 'Ada', false), {
      kind: 'stream',
      name: 'stdout',
      text: 'Your name: Ada\n',
    });
    assert.deepEqual(inputEcho('Token: ', 's3cret', true), {
      kind: 'stream',
      name: 'stdout',
      text: 'Token: \n',
    });
  });
});
