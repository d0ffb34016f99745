import * as assert from 'node:assert/strict';
import { NotFoundError, RateLimitError, ServerError } from '../../../src/core/api/errors';
import type { Deployment, DeploymentStatus } from '../../../src/core/domain/types';
import {
  deployingMessage,
  MIN_WATCH_INTERVAL_MS,
  watchDeployment,
  watchIntervalMs,
  type WatchDeploymentOptions,
} from '../../../src/core/deploy/watchDeployment';
import { deployment } from '../model/fixtures';

/** A script of answers for getDeployment and a sleep that only records and moves a fake clock. */
function harness(
  answers: readonly (DeploymentStatus | Error)[],
  overrides: Partial<WatchDeploymentOptions> = {},
) {
  const sleeps: number[] = [];
  const polls: string[] = [];
  let now = 0;
  let index = 0;
  const controller = new AbortController();
  const options: WatchDeploymentOptions = {
    id: 'd1',
    getDeployment: (id) => {
      polls.push(id);
      const answer = answers[Math.min(index++, answers.length - 1)];
      if (answer instanceof Error) {
        return Promise.reject(answer);
      }
      return Promise.resolve(deployment({ id, status: answer ?? 'deploying' }) satisfies Deployment);
    },
    sleep: (ms, signal) => {
      if (signal.aborted) {
        return Promise.reject(new Error('aborted'));
      }
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    now: () => now,
    signal: controller.signal,
    ...overrides,
  };
  return { options, sleeps, polls, controller };
}

describe('watching a new deployment', () => {
  it('polls every 10 s until it runs', async () => {
    const { options, sleeps, polls } = harness(['deploying', 'deploying', 'running']);
    const outcome = await watchDeployment(options);
    assert.equal(outcome.kind, 'running');
    assert.deepEqual(sleeps, [10_000, 10_000, 10_000]);
    assert.deepEqual(polls, ['d1', 'd1', 'd1']);
  });

  it('reads the list again as soon as it changes, so the progress says running when the tree does', async () => {
    let status: DeploymentStatus = 'deploying';
    const listeners = new Set<() => void>();
    const started = Date.now();
    const outcome = watchDeployment({
      id: 'd1',
      getDeployment: (id) => Promise.resolve(deployment({ id, status })),
      // A real sleep of an hour: only a change of the list can end it in time.
      sleep: (ms, signal) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, ms);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new Error('aborted'));
          });
        }),
      now: Date.now,
      signal: new AbortController().signal,
      intervalMs: 60 * 60_000,
      changes: (listener) => {
        listeners.add(listener);
        return { dispose: () => listeners.delete(listener) };
      },
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(listeners.size, 1, 'the first nap listens for changes');
    // The list the Instances view shows now says running.
    status = 'running';
    listeners.forEach((listener) => listener());
    const result = await outcome;
    assert.equal(result.kind, 'running');
    assert.ok(Date.now() - started < 60_000);
    assert.equal(listeners.size, 0, 'no listener is left behind');
  });

  it('still stops when the watch is cancelled during a nap that listens for changes', async () => {
    const controller = new AbortController();
    const { options } = harness(['deploying'], {
      signal: controller.signal,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
      changes: () => ({ dispose: () => undefined }),
    });
    const outcome = watchDeployment(options);
    controller.abort();
    assert.equal((await outcome).kind, 'cancelled');
  });

  it('never polls faster than every 10 s, whatever it is asked', async () => {
    assert.equal(watchIntervalMs(1), MIN_WATCH_INTERVAL_MS);
    assert.equal(watchIntervalMs(30_000), 30_000);
    const { options, sleeps } = harness(['deploying', 'running'], { intervalMs: 500 });
    await watchDeployment(options);
    assert.ok(
      sleeps.every((ms) => ms >= 10_000),
      String(sleeps),
    );
  });

  it('reports failed and ended deployments, and one that disappeared', async () => {
    assert.equal((await watchDeployment(harness(['deploying', 'failed']).options)).kind, 'failed');
    assert.equal((await watchDeployment(harness(['terminated']).options)).kind, 'ended');
    assert.equal((await watchDeployment(harness(['terminated-provider']).options)).kind, 'ended');
    assert.equal(
      (await watchDeployment(harness([new NotFoundError('GET x', undefined)]).options)).kind,
      'gone',
    );
  });

  it('keeps watching through a few failed polls, and waits as long as a rate limit asks', async () => {
    const server = new ServerError(502, 'GET /api/deployments/{id}', undefined);
    const { options, sleeps } = harness([server, new RateLimitError('GET x', 45_000), 'running']);
    const outcome = await watchDeployment(options);
    assert.equal(outcome.kind, 'running');
    assert.deepEqual(sleeps, [10_000, 10_000, 45_000]);
  });

  it('gives up with the error after too many failed polls in a row', async () => {
    const server = new ServerError(503, 'GET x', undefined);
    const outcome = await watchDeployment(harness([server], { maxPollErrors: 3 }).options);
    assert.equal(outcome.kind, 'error');
    assert.ok(outcome.kind === 'error' && outcome.error === server);
  });

  it('stops watching when cancelled, without another request', async () => {
    const { options, polls, controller } = harness(['deploying']);
    let calls = 0;
    const outcome = await watchDeployment({
      ...options,
      getDeployment: (id, requestOptions) => {
        calls += 1;
        controller.abort();
        return options.getDeployment(id, requestOptions);
      },
    });
    assert.equal(outcome.kind, 'cancelled');
    assert.equal(calls, 1);
    assert.equal(polls.length, 1);
  });

  it('stops after the time limit while it is still deploying', async () => {
    const outcome = await watchDeployment(harness(['deploying'], { limitMs: 35_000 }).options);
    assert.equal(outcome.kind, 'timeout');
  });

  it('passes every successful poll on for the progress text', async () => {
    const seen: string[] = [];
    const { options } = harness(['deploying', 'running'], { onPoll: (d) => seen.push(d.status) });
    await watchDeployment(options);
    assert.deepEqual(seen, ['deploying', 'running']);
  });
});

describe('deployingMessage', () => {
  it('states the minimum charge cancelling still costs, and that Stop Watching leaves it deploying', () => {
    assert.equal(
      deployingMessage('gpu-1', { minutes: 20, charge: 0.38 / 3 }),
      '“gpu-1” is deploying and bills from now. Cancelling still costs the minimum charge of $0.13 (20 min). Stop Watching hides the progress; it keeps deploying.',
    );
    assert.match(deployingMessage('gpu-1', undefined), /Cancelling still costs Spheron’s minimum charge\./);
  });
});
