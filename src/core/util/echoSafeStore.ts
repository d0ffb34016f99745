// VS Code's Memento (ExtensionMemento) keeps one object per extension. `update()` changes it at
// once and sends it to the main side on the next tick; the main side echoes every stored change
// back, and the echo replaces the whole object. An update made while the echo of an older write
// is on its way is therefore lost, and the next write of any key stores the loss. In the tests this
// undid a team switch and kept a done termination in the stored schedule; for a user it could
// drop a "Terminate When Allowed" or a create intent.
//
// This store checks, after each of its writes, that what this window wrote in the last seconds is
// still there. A value it finds replaced by one of its own older values (or the one before its
// first write) is an echo's revert and is written again; any other value came from another window
// and is left alone.
import type { KeyValueStore } from './keyValueStore';

/** How long this window keeps watching a key after writing it; an echo takes milliseconds. */
export const ECHO_WATCH_MS = 2_000;
const MAX_REPAIR_ROUNDS = 3;
/** Earlier values per key that count as "ours" (a revert restores one of them). */
const HISTORY_LENGTH = 8;
const ABSENT = '\u0000absent';

function fingerprint(value: unknown): string {
  return value === undefined ? ABSENT : JSON.stringify(value);
}

interface Watched {
  /** The value this window wrote last, and its fingerprint (taken once, at the write). */
  readonly latest: unknown;
  readonly latestFingerprint: string;
  /** Fingerprints of the values the key had before, this window's own writes among them. */
  readonly earlier: readonly string[];
  readonly atMs: number;
}

export class EchoSafeStore implements KeyValueStore {
  readonly #inner: KeyValueStore;
  readonly #now: () => number;
  readonly #watched = new Map<string, Watched>();
  readonly #onRepair: ((keys: readonly string[]) => void) | undefined;

  /** `onRepair` hears which keys were written again (for the log). */
  constructor(
    inner: KeyValueStore,
    now: () => number = Date.now,
    onRepair?: (keys: readonly string[]) => void,
  ) {
    this.#inner = inner;
    this.#now = now;
    this.#onRepair = onRepair;
  }

  get<T>(key: string): T | undefined {
    return this.#inner.get<T>(key);
  }

  async update(key: string, value: unknown): Promise<void> {
    const before = this.#watched.get(key);
    const previous = fingerprint(this.#inner.get(key));
    const earlier = [...(before ? [...before.earlier, before.latestFingerprint] : []), previous].slice(
      -HISTORY_LENGTH,
    );
    this.#watched.set(key, {
      latest: value,
      latestFingerprint: fingerprint(value),
      earlier,
      atMs: this.#now(),
    });
    await this.#inner.update(key, value);
    await this.#repair();
  }

  /** Writes again what an echo reverted; stops watching keys another window has written since. */
  async #repair(): Promise<void> {
    for (let round = 0; round < MAX_REPAIR_ROUNDS; round++) {
      const nowMs = this.#now();
      const reverted: [string, unknown][] = [];
      for (const [key, watched] of this.#watched) {
        if (nowMs - watched.atMs > ECHO_WATCH_MS) {
          this.#watched.delete(key);
          continue;
        }
        const current = fingerprint(this.#inner.get(key));
        if (current === watched.latestFingerprint) {
          continue;
        }
        if (watched.earlier.includes(current)) {
          reverted.push([key, watched.latest]);
        } else {
          // Another window's value: theirs is newer than anything we know.
          this.#watched.delete(key);
        }
      }
      if (reverted.length === 0) {
        return;
      }
      try {
        this.#onRepair?.(reverted.map(([key]) => key));
      } catch {
        // Logging must not stop the repair.
      }
      await Promise.all(reverted.map(([key, value]) => this.#inner.update(key, value)));
    }
  }
}
