import * as assert from 'node:assert/strict';
import { CancelledError, ServerError } from '../../../src/core/api/errors';
import { Resource } from '../../../src/core/util/resource';

/** A load function the test resolves by hand, to control ordering without timers. */
function controllableLoad<T>() {
  const calls: { resolve: (value: T) => void; reject: (error: unknown) => void; signal: AbortSignal }[] = [];
  const load = (signal: AbortSignal) =>
    new Promise<T>((resolve, reject) => {
      calls.push({ resolve, reject, signal });
    });
  return { load, calls };
}

describe('Resource', () => {
  let now = 1_000;
  const clock = () => now;

  it('joins a refresh requested while one is in flight (single flight)', async () => {
    const { load, calls } = controllableLoad<number>();
    const resource = new Resource(load, clock);
    const first = resource.refresh();
    const second = resource.refresh();
    assert.equal(first, second);
    assert.equal(calls.length, 1);
    assert.equal(resource.state.loading, true);
    calls[0].resolve(42);
    await first;
    assert.equal(resource.state.value, 42);
    assert.equal(resource.state.loading, false);
    assert.equal(resource.state.fetchedAtMs, 1_000);
  });

  it('keeps the last value and records the error when a refresh fails', async () => {
    const { load, calls } = controllableLoad<string>();
    const resource = new Resource(load, clock);
    const ok = resource.refresh();
    calls[0].resolve('fresh');
    await ok;
    now = 5_000;
    const failing = resource.refresh();
    const failure = new ServerError(502, 'GET /api/deployments', undefined);
    calls[1].reject(failure);
    await failing;
    assert.equal(resource.state.value, 'fresh');
    assert.equal(resource.state.error, failure);
    assert.equal(resource.state.fetchedAtMs, 1_000, 'the value is still dated from its own fetch');
  });

  it('treats a cancelled load as no error', async () => {
    const { load, calls } = controllableLoad<string>();
    const resource = new Resource(load, clock);
    const flight = resource.refresh();
    calls[0].reject(new CancelledError());
    await flight;
    assert.equal(resource.state.error, undefined);
    assert.equal(resource.state.loading, false);
  });

  it('drops the result of a flight started before reset(), and aborts it', async () => {
    const { load, calls } = controllableLoad<string>();
    const resource = new Resource(load, clock);
    const stale = resource.refresh();
    resource.reset();
    assert.equal(calls[0].signal.aborted, true);
    calls[0].resolve('previous team');
    await stale;
    assert.equal(resource.state.value, undefined);
    const fresh = resource.refresh();
    assert.equal(calls.length, 2, 'a new flight starts after reset');
    calls[1].resolve('current team');
    await fresh;
    assert.equal(resource.state.value, 'current team');
  });

  it('notifies listeners on every state change', async () => {
    const { load, calls } = controllableLoad<number>();
    const resource = new Resource(load, clock);
    const seen: boolean[] = [];
    resource.onDidChange((state) => seen.push(state.loading));
    const flight = resource.refresh();
    calls[0].resolve(1);
    await flight;
    assert.deepEqual(seen, [true, false]);
  });
});
