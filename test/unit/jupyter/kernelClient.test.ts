// The kernel client against Debian's real Jupyter Notebook (a real server, a real ipykernel) started
// on 127.0.0.1 with a token: cells print, return values, raise, keep state and are interrupted.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findKernel,
  interruptKernel,
  KernelChannels,
  KernelClientError,
  loadWebSocket,
  restartKernel,
  shutdownKernel,
  startKernel,
  type KernelServerAddress,
  type OpenWebSocket,
} from '../../../src/core/jupyter/kernelClient';
import { stripAnsi, type CellOutput, type ExecutionEvent } from '../../../src/core/jupyter/kernelProtocol';
import { freePort } from '../ssh/sshdFixture';

const TOKEN = 'spheron-kernel-client-test-token-0123456789';

interface Run {
  readonly outcome: Awaited<ReturnType<KernelChannels['execute']>>;
  readonly outputs: CellOutput[];
  readonly counts: number[];
}

async function run(channels: KernelChannels, code: string): Promise<Run> {
  const events: ExecutionEvent[] = [];
  const outcome = await channels.execute(code, (event) => events.push(event));
  return {
    outcome,
    outputs: events.flatMap((event) => (event.kind === 'output' ? [event.output] : [])),
    counts: events.flatMap((event) => (event.kind === 'executionCount' ? [event.count] : [])),
  };
}

function stdout(outputs: readonly CellOutput[]): string {
  return outputs
    .map((output) => (output.kind === 'stream' && output.name === 'stdout' ? output.text : ''))
    .join('');
}

describe("kernel client against Debian's real Jupyter", function () {
  this.timeout(120_000);
  let home: string;
  let server: ChildProcess | undefined;
  let address: KernelServerAddress;
  let openWebSocket: OpenWebSocket;
  let kernelId: string;
  let channels: KernelChannels;

  before(async function () {
    if (!existsSync('/usr/bin/jupyter-notebook')) {
      throw new Error('Jupyter is not installed: run bash test/e2e/setup (apt-get install jupyter-notebook)');
    }
    home = await mkdtemp(join(tmpdir(), 'spheron-kernel-client-'));
    const port = await freePort();
    server = spawn(
      'jupyter',
      [
        'notebook',
        '--no-browser',
        '--ip=127.0.0.1',
        `--port=${port}`,
        '--port-retries=0',
        `--NotebookApp.token=${TOKEN}`,
        `--notebook-dir=${home}`,
        ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
      ],
      { env: { HOME: home, PATH: '/usr/local/bin:/usr/bin:/bin' }, stdio: 'ignore' },
    );
    address = { baseUrl: `http://127.0.0.1:${port}/`, token: TOKEN };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await fetch(`${address.baseUrl}api/status`, {
        headers: { Authorization: `token ${TOKEN}` },
      }).catch(() => undefined);
      if (answer?.ok) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error('jupyter notebook did not answer within 60 s');
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    openWebSocket = await loadWebSocket();
    kernelId = (await startKernel(address)).id;
    channels = await KernelChannels.open(address, kernelId, openWebSocket);
  });

  after(async () => {
    channels?.close();
    if (kernelId) {
      await shutdownKernel(address, kernelId).catch(() => undefined);
    }
    server?.kill('SIGTERM');
    await rm(home, { recursive: true, force: true });
  });

  it('streams what print(6*7) prints, with an execution count', async () => {
    const { outcome, outputs, counts } = await run(channels, 'print(6*7)');
    assert.equal(outcome.status, 'ok');
    assert.deepEqual(outputs, [{ kind: 'stream', name: 'stdout', text: '42\n' }]);
    assert.equal(counts.length, 1);
    assert.equal(outcome.executionCount, counts[0]);
  });

  it('gives 1+1 as an execute_result "2" and counts executions up', async () => {
    const before = (await run(channels, 'pass')).outcome.executionCount ?? 0;
    const { outcome, outputs } = await run(channels, '1+1');
    assert.equal(outcome.status, 'ok');
    assert.equal(outcome.executionCount, before + 1);
    assert.equal(outputs.length, 1);
    const [result] = outputs;
    assert.ok(result?.kind === 'data');
    assert.equal(result.data['text/plain'], '2');
  });

  it('gives 1/0 as a ZeroDivisionError with its traceback, and the reply says error', async () => {
    const { outcome, outputs } = await run(channels, '1/0');
    assert.equal(outcome.status, 'error');
    const error = outputs.find((output) => output.kind === 'error');
    assert.ok(error?.kind === 'error', JSON.stringify(outputs));
    assert.equal(error.ename, 'ZeroDivisionError');
    assert.match(error.evalue, /division by zero/);
    assert.match(stripAnsi(error.traceback.join('\n')), /1\/0/);
    // The next cell runs: ipykernel's stop_on_error would abort a request sent right after.
    assert.equal((await run(channels, 'after_error = True')).outcome.status, 'ok');
  });

  it('keeps state across executes, and stderr and rich display data come through', async () => {
    await run(channels, 'answer = 41');
    const { outputs } = await run(
      channels,
      [
        'import sys',
        'from IPython.display import display, HTML',
        'print(answer + 1)',
        "print('careful', file=sys.stderr)",
        "display(HTML('<b>bold</b>'))",
      ].join('\n'),
    );
    assert.equal(stdout(outputs), '42\n');
    assert.ok(
      outputs.some(
        (output) => output.kind === 'stream' && output.name === 'stderr' && /careful/.test(output.text),
      ),
    );
    const html = outputs.find((output) => output.kind === 'data');
    assert.ok(html?.kind === 'data');
    assert.equal(html.data['text/html'], '<b>bold</b>');
  });

  it('interrupt stops time.sleep(60) with a KeyboardInterrupt, and the kernel keeps its state', async () => {
    const started = Date.now();
    const outputs: CellOutput[] = [];
    let sleepingPrinted: () => void = () => undefined;
    const printed = new Promise<void>((resolve) => (sleepingPrinted = resolve));
    const sleeping = channels.execute(
      "import time\nprint('sleeping', flush=True)\ntime.sleep(60)",
      (event) => {
        if (event.kind === 'output') {
          outputs.push(event.output);
          if (event.output.kind === 'stream') {
            sleepingPrinted();
          }
        }
      },
    );
    // Interrupt once the cell runs (its first output), not before it reached the kernel.
    await printed;
    await interruptKernel(address, kernelId);
    const outcome = await sleeping;
    assert.ok(Date.now() - started < 30_000, 'the cell stopped long before the sleep ended');
    assert.equal(outcome.status, 'error');
    const error = outputs.find((output) => output.kind === 'error');
    assert.ok(error?.kind === 'error');
    assert.equal(error.ename, 'KeyboardInterrupt');
    assert.equal(stdout((await run(channels, 'print(answer)')).outputs), '41\n');
  });

  it('input() reads the line the user gives, and getpass() asks for it as a password', async () => {
    const asked: { prompt: string; password: boolean }[] = [];
    const events: ExecutionEvent[] = [];
    const outcome = await channels.execute(
      [
        'import getpass',
        "name = input('Your name: ')",
        "secret = getpass.getpass('Token: ')",
        "print(f'Hello, {name}; the token has {len(secret)} characters')",
      ].join('\n'),
      (event) => events.push(event),
      (request) => {
        asked.push(request);
        return Promise.resolve(request.password ? 's3cret-token' : 'Ada');
      },
    );
    assert.equal(outcome.status, 'ok');
    assert.deepEqual(asked, [
      { prompt: 'Your name: ', password: false },
      { prompt: 'Token: ', password: true },
    ]);
    const outputs = events.flatMap((event) => (event.kind === 'output' ? [event.output] : []));
    assert.match(stdout(outputs), /Hello, Ada; the token has 12 characters\n/);
    assert.equal(events.filter((event) => event.kind === 'inputRequest').length, 2);
  });

  it('input() declined and the kernel interrupted raises KeyboardInterrupt; without an answerer it raises at once', async () => {
    const declinedOutputs: CellOutput[] = [];
    const declined = await channels.execute(
      "typed = input('Continue? ')",
      (event) => {
        if (event.kind === 'output') {
          declinedOutputs.push(event.output);
        }
      },
      async () => {
        await interruptKernel(address, kernelId);
        return undefined;
      },
    );
    assert.equal(declined.status, 'error');
    const interrupted = declinedOutputs.find((output) => output.kind === 'error');
    assert.ok(interrupted?.kind === 'error', JSON.stringify(declinedOutputs));
    assert.equal(interrupted.ename, 'KeyboardInterrupt');
    const unanswerable = await run(channels, "input('Nobody can answer: ')");
    assert.equal(unanswerable.outcome.status, 'error');
    const error = unanswerable.outputs.find((output) => output.kind === 'error');
    assert.ok(error?.kind === 'error', JSON.stringify(unanswerable.outputs));
    assert.equal(error.ename, 'StdinNotImplementedError');
    // The kernel is still there, with its state.
    assert.equal(stdout((await run(channels, 'print(answer)')).outputs), '41\n');
  });

  it('reaches the same kernel over a new socket, finds it by id, and fails pending cells when a socket closes', async () => {
    const second = await KernelChannels.open(address, kernelId, openWebSocket);
    assert.equal(stdout((await run(second, 'print(answer * 2)')).outputs), '82\n');
    assert.equal((await findKernel(address, kernelId))?.id, kernelId);
    const pending = second.execute('import time\ntime.sleep(5)', () => undefined);
    second.close();
    await assert.rejects(
      pending,
      (error: unknown) => error instanceof KernelClientError && error.reason === 'closed',
    );
    assert.equal(second.isOpen, false);
    await assert.rejects(
      second.execute('1', () => undefined),
      /Cannot run the cell/,
    );
    // The kernel itself goes on: interrupt the sleep the closed socket left running.
    await interruptKernel(address, kernelId);
  });

  it('restart keeps the kernel id and forgets its state; a kernel the server lost cannot be restarted', async () => {
    assert.equal(stdout((await run(channels, 'kept = 7\nprint(kept)')).outputs), '7\n');
    await restartKernel(address, kernelId);
    assert.equal((await findKernel(address, kernelId))?.id, kernelId);
    const after = await KernelChannels.open(address, kernelId, openWebSocket);
    channels.close();
    channels = after;
    const probe = await run(channels, "print('kept' in globals())");
    assert.equal(stdout(probe.outputs), 'False\n', 'a fresh interpreter');
    assert.equal(probe.outcome.executionCount, 1, 'the execution count starts again');
    await assert.rejects(
      restartKernel(address, '00000000-0000-0000-0000-000000000000'),
      (error: unknown) =>
        error instanceof KernelClientError && /gone from the Jupyter server/.test(error.message),
    );
  });

  it('says a kernel the server does not have is gone, and a wrong token is refused', async () => {
    assert.equal(await findKernel(address, '00000000-0000-0000-0000-000000000000'), undefined);
    await assert.rejects(
      startKernel({ baseUrl: address.baseUrl, token: 'wrong' }),
      (error: unknown) =>
        error instanceof KernelClientError && error.reason === 'http' && /403/.test(error.message),
    );
    await assert.rejects(
      KernelChannels.open({ baseUrl: 'http://127.0.0.1:1/', token: TOKEN }, kernelId, openWebSocket),
      (error: unknown) => error instanceof KernelClientError && error.reason === 'connection',
    );
  });
});
