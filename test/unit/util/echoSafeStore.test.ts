// The lost update of VS Code's ExtensionMemento, modelled as its source has it
// (src/vs/workbench/api/common/extHostMemento.ts and mainThreadStorage.ts): update() changes the
// one object at once and sends it on a 0 ms timer; the main side stores it and echoes every stored
// change back, and the echo replaces the whole object. EchoSafeStore must keep what it wrote.
import * as assert from 'node:assert/strict';
import { ECHO_WATCH_MS, EchoSafeStore } from '../../../src/core/util/echoSafeStore';
import type { KeyValueStore } from '../../../src/core/util/keyValueStore';

/** The main side: stores the blob; echoes wait until the test delivers them. */
class MainSide {
  stored = '{}';
  readonly echoes: string[] = [];
  readonly mementos: ModelMemento[] = [];

  setValue(json: string): void {
    this.stored = json;
    this.echoes.push(json);
  }

  deliverEchoes(): void {
    for (const json of this.echoes.splice(0)) {
      for (const memento of this.mementos) {
        memento.acceptValue(json);
      }
    }
  }
}

class ModelMemento implements KeyValueStore {
  private value: Record<string, unknown> = {};
  private scheduled: ReturnType<typeof setTimeout> | undefined;
  private waiting: (() => void)[] = [];

  constructor(private readonly main: MainSide) {
    main.mementos.push(this);
    this.value = JSON.parse(main.stored) as Record<string, unknown>;
  }

  get<T>(key: string): T | undefined {
    return this.value[key] as T | undefined;
  }

  update(key: string, value: unknown): Promise<void> {
    this.value[key] = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
    const done = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.scheduled ??= setTimeout(() => {
      this.scheduled = undefined;
      const waiting = this.waiting.splice(0);
      this.main.setValue(JSON.stringify(this.value));
      waiting.forEach((resolve) => resolve());
    }, 0);
    return done;
  }

  acceptValue(json: string): void {
    this.value = JSON.parse(json) as Record<string, unknown>;
  }
}

/** Lets every pending 0 ms timer and promise run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('EchoSafeStore (VS Code memento echoes)', () => {
  it('the model loses an update when an older echo lands before it is sent', async () => {
    const main = new MainSide();
    const memento = new ModelMemento(main);
    await memento.update('spheron.requestBudget', { sent: 1 });
    const switched = memento.update('spheron.selectedTeamId', 'research');
    main.deliverEchoes(); // the echo of the budget write, which has no team yet
    await switched;
    await settle();
    assert.equal(memento.get('spheron.selectedTeamId'), undefined);
    assert.doesNotMatch(main.stored, /research/);
  });

  it('writes again what an echo reverted, so the store and the memento keep it', async () => {
    const main = new MainSide();
    const memento = new ModelMemento(main);
    const repaired: string[] = [];
    const store = new EchoSafeStore(memento, Date.now, (keys) => repaired.push(...keys));
    await store.update('spheron.requestBudget', { sent: 1 });
    const switched = store.update('spheron.selectedTeamId', 'research');
    main.deliverEchoes();
    await switched;
    await settle();
    main.deliverEchoes();
    assert.equal(store.get('spheron.selectedTeamId'), 'research');
    assert.match(main.stored, /"spheron.selectedTeamId":"research"/);
    assert.deepEqual(repaired, ['spheron.selectedTeamId']);
  });

  it('repairs a key an echo reverted after it was sent, at the next write of another key', async () => {
    const main = new MainSide();
    const memento = new ModelMemento(main);
    const store = new EchoSafeStore(memento);
    await store.update('schedule', { entries: ['d1'] });
    await store.update('schedule', { entries: [] }); // the done entry leaves
    // The echoes arrive late: first the one with the entry, which reverts the schedule...
    const [withEntry] = main.echoes.splice(0, 1);
    memento.acceptValue(withEntry ?? '{}');
    // ...and a budget write right then would store the revert.
    await store.update('budget', { sent: 2 });
    await settle();
    main.deliverEchoes();
    assert.deepEqual(store.get('schedule'), { entries: [] });
    assert.match(main.stored, /"schedule":\{"entries":\[\]\}/);
  });

  it('leaves alone a value another window wrote, and a key it wrote long ago', async () => {
    const main = new MainSide();
    const memento = new ModelMemento(main);
    const other = new ModelMemento(main);
    let nowMs = 0;
    const store = new EchoSafeStore(memento, () => nowMs);
    await store.update('spheron.selectedTeamId', 'research');
    main.deliverEchoes();
    await other.update('spheron.selectedTeamId', 'staging');
    main.deliverEchoes();
    await store.update('budget', 1);
    await settle();
    main.deliverEchoes();
    assert.equal(store.get('spheron.selectedTeamId'), 'staging');

    // Past the watch, even a revert to our own older value is taken as it is.
    await store.update('note', 'first');
    main.deliverEchoes();
    await store.update('note', 'second');
    nowMs += ECHO_WATCH_MS + 1;
    memento.acceptValue(JSON.stringify({ ...JSON.parse(main.stored), note: 'first' }));
    await store.update('budget', 2);
    await settle();
    assert.equal(store.get('note'), 'first');
  });

  it('treats a key removed by the echo like any other revert', async () => {
    const main = new MainSide();
    const memento = new ModelMemento(main);
    const store = new EchoSafeStore(memento);
    await store.update('intent', { id: 'create-1' });
    main.deliverEchoes();
    await store.update('intent', undefined);
    // A late echo from before the removal brings the intent back...
    memento.acceptValue(JSON.stringify({ intent: { id: 'create-1' } }));
    await store.update('budget', 3);
    await settle();
    assert.equal(store.get('intent'), undefined);
  });
});
