import * as assert from 'node:assert/strict';
import {
  FORM_SESSIONS_KEY,
  FormSessionStore,
  recordSubmitState,
  shownSubmitState,
  webviewSessionIdOf,
} from '../../../src/core/forms/formSessions';
import type { SubmitState } from '../../../src/core/forms/exactlyOnce';
import { MemoryStore } from '../deploy/fakeTime';

const DAY = 24 * 60 * 60_000;

function clockAt(start: number) {
  const clock = { ms: start, now: () => clock.ms };
  return clock;
}

describe('form sessions that outlive a window reload', () => {
  it('records the offer, then the pending create, then what was created', async () => {
    const backend = new MemoryStore();
    const clock = clockAt(1_000);
    const store = new FormSessionStore(backend, { clock });
    await store.update('s1', { form: 'deploy', offer: { provider: 'vp', offerId: 'o1', gpuType: 'H100' } });
    await store.update('s1', { pending: { name: 'box-1', startedAtMs: 900 } });
    assert.deepEqual(store.get('s1')?.pending, { name: 'box-1', startedAtMs: 900 });
    await store.update('s1', { created: { id: 'd1', name: 'box-1' }, pending: undefined });
    const record = store.get('s1');
    assert.deepEqual(record?.created, { id: 'd1', name: 'box-1' });
    assert.equal(record?.pending, undefined);
    assert.deepEqual(record?.offer, { provider: 'vp', offerId: 'o1', gpuType: 'H100' });
    // A new store over the same backend (the next window) reads the same.
    assert.deepEqual(new FormSessionStore(backend, { clock }).get('s1'), record);
  });

  it('ignores a patch for an unknown session without a form kind, and deletes', async () => {
    const store = new FormSessionStore(new MemoryStore(), { clock: clockAt(0) });
    await store.update('nobody', { pending: { name: 'x', startedAtMs: 0 } });
    assert.equal(store.get('nobody'), undefined);
    await store.update('s2', { form: 'volume' });
    await store.delete('s2');
    assert.equal(store.get('s2'), undefined);
  });

  it('drops records older than a week and keeps at most 50', async () => {
    const clock = clockAt(0);
    const store = new FormSessionStore(new MemoryStore(), { clock });
    await store.update('old', { form: 'volume' });
    clock.ms = 8 * DAY;
    for (let i = 0; i < 55; i++) {
      clock.ms += 1;
      await store.update(`s${i}`, { form: 'volume' });
    }
    assert.equal(store.get('old'), undefined);
    assert.equal(store.get('s0'), undefined);
    assert.ok(store.get('s54'));
  });

  it('starts empty over garbage and never stores an invalid record', async () => {
    const backend = new MemoryStore();
    await backend.update(FORM_SESSIONS_KEY, { version: 9, records: 'nope' });
    const store = new FormSessionStore(backend, { clock: clockAt(0) });
    assert.equal(store.get('s1'), undefined);
    await store.update('s1', { form: 'deploy', offer: { provider: '', offerId: 'o' } });
    assert.equal(store.get('s1'), undefined);
  });
});

describe('form session helpers shared by the deploy and volume panels', () => {
  it('reads a session id from webview state only when it looks like one', () => {
    assert.equal(webviewSessionIdOf({ sessionId: 'abc' }), 'abc');
    for (const state of [
      undefined,
      null,
      'abc',
      {},
      { sessionId: '' },
      { sessionId: 7 },
      { sessionId: 'x'.repeat(201) },
    ]) {
      assert.equal(webviewSessionIdOf(state), undefined, JSON.stringify(state));
    }
  });

  it('shows a restored create over anything, a restored outcome over an idle submission, else the live one', () => {
    const created: SubmitState = { kind: 'created', id: 'd1', name: 'box' };
    const notFound: SubmitState = { kind: 'failed', message: 'not found', fieldErrors: {} };
    const idle: SubmitState = { kind: 'idle' };
    const sending: SubmitState = { kind: 'submitting', phase: 'creating', startedAtMs: 5 };
    assert.equal(shownSubmitState(created, sending), created);
    assert.equal(shownSubmitState(notFound, idle), notFound);
    assert.equal(shownSubmitState(notFound, sending), sending);
    assert.equal(shownSubmitState(undefined, idle), idle);
  });

  it('records a create sent, then made; a refusal clears the pending create; the rest records nothing', async () => {
    const backend = new MemoryStore();
    const store = new FormSessionStore(backend, { clock: clockAt(0) });
    await store.update('s1', { form: 'volume' });
    await recordSubmitState(store, 's1', { kind: 'submitting', phase: 'checking', startedAtMs: 1 }, 'v');
    assert.equal(store.get('s1')?.pending, undefined, 'a check is not a create');
    await recordSubmitState(store, 's1', { kind: 'submitting', phase: 'creating', startedAtMs: 10 }, 'v');
    assert.deepEqual(store.get('s1')?.pending, { name: 'v', startedAtMs: 10 });
    await recordSubmitState(store, 's1', { kind: 'failed', message: 'no', fieldErrors: {} }, 'v');
    assert.equal(store.get('s1')?.pending, undefined);
    await recordSubmitState(
      store,
      's1',
      { kind: 'submitting', phase: 'creating', startedAtMs: 20 },
      undefined,
    );
    assert.deepEqual(store.get('s1')?.pending, { name: '', startedAtMs: 20 });
    const writes = backend.writes;
    await recordSubmitState(
      store,
      's1',
      { kind: 'unconfirmed', message: '?', retryAllowed: false, checkedAtMs: undefined },
      'v',
    );
    await recordSubmitState(store, 's1', { kind: 'idle' }, 'v');
    assert.equal(backend.writes, writes, 'unconfirmed and idle write nothing');
    await recordSubmitState(store, 's1', { kind: 'created', id: 'vol1', name: 'v' }, 'v');
    assert.deepEqual(store.get('s1')?.created, { id: 'vol1', name: 'v' });
    assert.equal(store.get('s1')?.pending, undefined);
  });
});
