// Live telemetry for the instances the user is looking at: one long-lived ssh per watched
// instance, running the probe in a loop (so one process, one connection, however often it
// refreshes). Watching starts when an instance is expanded in a visible view and stops when it is
// collapsed or the views are hidden; nothing runs otherwise. A failed connection is retried with
// a growing delay, never in a storm, and says why in one row.
import { spawn as nodeSpawn } from 'node:child_process';
import type { Timers } from '../deploy/terminationScheduler';
import { systemTimers } from '../deploy/terminationScheduler';
import { summariseStderr } from '../ssh/tunnel';
import type { GpuReading } from './nvidiaSmi';
import { FrameSplitter, probeLoopCommand, type ProbeFrame } from './probe';

export const TELEMETRY_INTERVAL_SECONDS = 5;
export const RETRY_DELAYS_MS: readonly number[] = [10_000, 30_000, 60_000, 300_000];

export interface StreamingProcess {
  readonly pid: number | undefined;
  kill(): void;
  onStdout(listener: (text: string) => void): void;
  onStderr(listener: (text: string) => void): void;
  /** Called once, when the process has exited or could not start. */
  onExit(listener: (code: number | null) => void): void;
}

export type StreamingSpawn = (command: string, args: readonly string[]) => StreamingProcess;

export type InstanceTelemetry =
  | { readonly state: 'connecting' }
  | {
      readonly state: 'ok';
      readonly atMs: number;
      readonly gpus: readonly GpuReading[];
      readonly frame: ProbeFrame;
    }
  /** Connected, but no GPU figures: no nvidia-smi, a driver failure, or unreadable output. */
  | { readonly state: 'no-gpu'; readonly atMs: number; readonly message: string; readonly frame: ProbeFrame }
  | { readonly state: 'ssh-failed'; readonly message: string; readonly retryAtMs: number };

export interface TelemetryTarget {
  readonly deploymentId: string;
  /** The host alias in our SSH config (the tunnel alias: no LocalForward lines). */
  readonly alias: string;
}

export interface TelemetryManagerOptions {
  readonly sshPath: () => string;
  readonly userConfigPath: () => string;
  readonly spawn?: StreamingSpawn;
  readonly timers?: Timers;
  readonly now?: () => number;
  readonly intervalSeconds?: number;
}

interface Watch {
  readonly target: TelemetryTarget;
  process: StreamingProcess | undefined;
  failures: number;
  retryTimer: unknown;
  stderr: string;
}

export function telemetrySshArgs(userConfigPath: string, alias: string, intervalSeconds: number): string[] {
  return [
    '-F',
    userConfigPath,
    '-T',
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=15',
    '-o',
    'ServerAliveInterval=15',
    '-o',
    'ServerAliveCountMax=2',
    '--',
    alias,
    probeLoopCommand(intervalSeconds),
  ];
}

export class TelemetryManager {
  readonly #options: TelemetryManagerOptions;
  readonly #spawn: StreamingSpawn;
  readonly #timers: Timers;
  readonly #now: () => number;
  readonly #watches = new Map<string, Watch>();
  readonly #latest = new Map<string, InstanceTelemetry>();
  readonly #listeners = new Set<(deploymentId: string) => void>();

  constructor(options: TelemetryManagerOptions) {
    this.#options = options;
    this.#spawn = options.spawn ?? spawnStreaming;
    this.#timers = options.timers ?? systemTimers;
    this.#now = options.now ?? Date.now;
  }

  onDidChange(listener: (deploymentId: string) => void): { dispose(): void } {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /** The latest reading for an instance, while it is watched. */
  get(deploymentId: string): InstanceTelemetry | undefined {
    return this.#watches.has(deploymentId) ? this.#latest.get(deploymentId) : undefined;
  }

  watched(): string[] {
    return [...this.#watches.keys()];
  }

  /** ssh processes running now (the bench counts them). */
  processCount(): number {
    return [...this.#watches.values()].filter((watch) => watch.process !== undefined).length;
  }

  /** Starts watching (idempotent: a watched instance keeps its one connection). */
  watch(target: TelemetryTarget): void {
    if (this.#watches.has(target.deploymentId)) {
      return;
    }
    const watch: Watch = { target, process: undefined, failures: 0, retryTimer: undefined, stderr: '' };
    this.#watches.set(target.deploymentId, watch);
    this.#set(target.deploymentId, { state: 'connecting' });
    this.#launch(watch);
  }

  unwatch(deploymentId: string): void {
    const watch = this.#watches.get(deploymentId);
    if (!watch) {
      return;
    }
    this.#watches.delete(deploymentId);
    this.#timers.clearTimeout(watch.retryTimer);
    watch.process?.kill();
    watch.process = undefined;
    this.#latest.delete(deploymentId);
    this.#emit(deploymentId);
  }

  /** Stops every connection, e.g. when the views are hidden. */
  unwatchAll(): void {
    for (const id of [...this.#watches.keys()]) {
      this.unwatch(id);
    }
  }

  dispose(): void {
    this.unwatchAll();
    this.#listeners.clear();
  }

  #launch(watch: Watch): void {
    const interval = this.#options.intervalSeconds ?? TELEMETRY_INTERVAL_SECONDS;
    const args = telemetrySshArgs(this.#options.userConfigPath(), watch.target.alias, interval);
    watch.stderr = '';
    const child = this.#spawn(this.#options.sshPath(), args);
    watch.process = child;
    const current = () => this.#watches.get(watch.target.deploymentId) === watch && watch.process === child;
    const splitter = new FrameSplitter((frame) => {
      if (current()) {
        watch.failures = 0;
        this.#set(watch.target.deploymentId, this.#fromFrame(frame));
      }
    });
    child.onStdout((text) => splitter.push(text));
    child.onStderr((text) => {
      watch.stderr = (watch.stderr + text).slice(-4096);
    });
    child.onExit((code) => {
      if (!current()) {
        return;
      }
      watch.process = undefined;
      const delay = RETRY_DELAYS_MS[Math.min(watch.failures, RETRY_DELAYS_MS.length - 1)] ?? 60_000;
      watch.failures += 1;
      const reason =
        summariseStderr(watch.stderr) ?? `ssh exited with ${code === null ? 'a signal' : String(code)}`;
      this.#set(watch.target.deploymentId, {
        state: 'ssh-failed',
        message: reason,
        retryAtMs: this.#now() + delay,
      });
      watch.retryTimer = this.#timers.setTimeout(() => {
        if (this.#watches.get(watch.target.deploymentId) === watch) {
          this.#launch(watch);
        }
      }, delay);
    });
  }

  #fromFrame(frame: ProbeFrame): InstanceTelemetry {
    const atMs = this.#now();
    switch (frame.gpu.kind) {
      case 'ok':
        return { state: 'ok', atMs, gpus: frame.gpu.gpus, frame };
      case 'missing':
        return { state: 'no-gpu', atMs, message: 'nvidia-smi is not installed on this instance', frame };
      case 'driver-failure':
        return { state: 'no-gpu', atMs, message: frame.gpu.message, frame };
      case 'unreadable':
        return {
          state: 'no-gpu',
          atMs,
          message: `nvidia-smi output unreadable: ${frame.gpu.message}`,
          frame,
        };
    }
  }

  #set(deploymentId: string, telemetry: InstanceTelemetry): void {
    this.#latest.set(deploymentId, telemetry);
    this.#emit(deploymentId);
  }

  #emit(deploymentId: string): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(deploymentId);
      } catch {
        // A broken listener (UI) must not stop telemetry.
      }
    }
  }
}

const spawnStreaming: StreamingSpawn = (command, args) => {
  const child = nodeSpawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  const exitListeners: ((code: number | null) => void)[] = [];
  let exited = false;
  const finish = (code: number | null) => {
    if (!exited) {
      exited = true;
      exitListeners.forEach((listener) => listener(code));
    }
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const stderrListeners: ((text: string) => void)[] = [];
  child.stderr.on('data', (text: string) => stderrListeners.forEach((listener) => listener(text)));
  child.on('error', (error) => {
    stderrListeners.forEach((listener) =>
      listener(`spawn ${command} ${(error as NodeJS.ErrnoException).code ?? error.message}\n`),
    );
    finish(null);
  });
  child.on('exit', (code) => finish(code));
  return {
    get pid() {
      return child.pid;
    },
    kill: () => {
      if (!exited) {
        child.kill('SIGTERM');
      }
    },
    onStdout: (listener) => {
      child.stdout.on('data', listener);
    },
    onStderr: (listener) => {
      stderrListeners.push(listener);
    },
    onExit: (listener) => {
      exitListeners.push(listener);
    },
  };
};
