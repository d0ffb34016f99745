// The create-intent ledger on its own: what blocks a name, for how long, and what storage holds.
import * as assert from 'node:assert/strict';
import {
  CREATE_INTENTS_KEY,
  CREATED_BLOCK_MS,
  CreateIntentLedger,
  INTENT_BLOCK_MS,
} from '../../../src/core/forms/createIntents';
import { FakeTime, MemoryStore } from '../deploy/fakeTime';

describe('create intents (shared by every window)', () => {
  const intent = { noun: 'deployment', teamId: 'team-1', name: 'box' };
  let time: FakeTime;
  let store: MemoryStore;
  const ledger = (): CreateIntentLedger => new CreateIntentLedger(store, { clock: time });

  beforeEach(() => {
    time = new FakeTime(1_000_000);
    store = new MemoryStore();
  });

  it('blocks the same name and team from another session until answered, then briefly', async () => {
    const claim = ledger().claim({ ...intent, sessionId: 'a', startedAtMs: time.now() });
    assert.equal(claim.kind, 'claimed');
    await (claim.kind === 'claimed' ? claim.written : undefined);
    assert.ok(store.get(CREATE_INTENTS_KEY), 'written to the shared store before anything is sent');

    const other = ledger(); // another window over the same store
    assert.equal(other.claim({ ...intent, sessionId: 'b', startedAtMs: time.now() }).kind, 'blocked');
    assert.equal(
      other.claim({ ...intent, teamId: 'team-2', sessionId: 'b', startedAtMs: time.now() }).kind,
      'claimed',
    );
    assert.equal(
      other.claim({ ...intent, name: 'box-2', sessionId: 'c', startedAtMs: time.now() }).kind,
      'claimed',
    );
    assert.equal(other.unresolvedOf('a')?.name, 'box');

    await other.created(claim.kind === 'claimed' ? claim.intent.id : '', 'dep-1');
    assert.equal(other.unresolvedOf('a'), undefined);
    assert.equal(ledger().claim({ ...intent, sessionId: 'd', startedAtMs: time.now() }).kind, 'blocked');
    time.advance(CREATED_BLOCK_MS + 1);
    assert.equal(ledger().claim({ ...intent, sessionId: 'd', startedAtMs: time.now() }).kind, 'claimed');
  });

  it('frees the name when the server refused, and after the block time when nobody answered', async () => {
    const first = ledger().claim({ ...intent, sessionId: 'a', startedAtMs: time.now() });
    assert.equal(first.kind, 'claimed');
    await ledger().drop(first.kind === 'claimed' ? first.intent.id : '');
    const second = ledger().claim({ ...intent, sessionId: 'b', startedAtMs: time.now() });
    assert.equal(second.kind, 'claimed');
    time.advance(INTENT_BLOCK_MS + 1);
    assert.equal(ledger().claim({ ...intent, sessionId: 'c', startedAtMs: time.now() }).kind, 'claimed');
    assert.equal(ledger().unresolvedOf('b'), undefined, 'too old to resume');
  });

  it('reads garbage in storage as no intents', async () => {
    await store.update(CREATE_INTENTS_KEY, { version: 1, intents: [{ id: 5 }] });
    assert.equal(ledger().unresolvedOf('a'), undefined);
    assert.equal(ledger().claim({ ...intent, sessionId: 'a', startedAtMs: time.now() }).kind, 'claimed');
  });
});
