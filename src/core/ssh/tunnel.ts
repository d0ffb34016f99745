// Managed `ssh -L` tunnels (Jupyter, TensorBoard, …) for instances the user is not connected to
// through Remote-SSH. One ssh process per tunnel; state starting → ready → dropped/restarting
// (exponential backoff, capped) → stopped/failed. Ready means ssh itself said it holds the port
// (see sshHoldsForward); a TCP connect would also succeed against another program that bound the
// port first, which would then receive the Jupyter token. With ExitOnForwardFailure, ssh exits
// instead when it cannot bind. No vscode here: spawn, timers
// and port checks are injectable.
import { spawn as nodeSpawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { isPortNumber } from './validate';

export type TunnelState = 'starting' | 'ready' | 'dropped' | 'restarting' | 'stopped' | 'failed';

export interface TunnelRequest {
  readonly deploymentId: string;
  /**
   * The host to connect to. Use the instance's tunnel alias (`<alias>.tunnel`): it has the same
   * settings as the alias but not its LocalForward lines, which ssh would otherwise bind as well.
   */
  readonly alias: string;
  readonly label: string;
  readonly remotePort: number;
  /** Default: the remote port. The next free port is used when it is taken. */
  readonly preferredLocalPort?: number;
}

export interface TunnelInfo {
  readonly id: string;
  readonly deploymentId: string;
  readonly alias: string;
  readonly label: string;
  readonly remotePort: number;
  readonly localPort: number;
  readonly state: TunnelState;
  /** Consecutive failed starts since the tunnel was last ready. */
  readonly failures: number;
  readonly lastError: string | undefined;
  readonly pid: number | undefined;
}

export interface SpawnedProcess {
  readonly pid: number | undefined;
  kill(signal?: NodeJS.Signals): boolean;
  /** Called once, when the process has exited or could not be started. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  onStderr(listener: (text: string) => void): void;
}

export type SpawnFn = (command: string, args: readonly string[]) => SpawnedProcess;

export interface TunnelTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TunnelManagerOptions {
  /** Passed to ssh with -F: the same file Remote-SSH uses. */
  readonly userConfigPath: string;
  readonly sshPath?: string;
  readonly spawn?: SpawnFn;
  readonly timers?: TunnelTimers;
  /** Whether we could bind 127.0.0.1:port right now. */
  readonly isPortFree?: (port: number) => Promise<boolean>;
  /** A port the OS considers free, when the preferred range is all taken. */
  readonly anyFreePort?: () => Promise<number>;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Failed starts in a row before giving up (state `failed`). */
  readonly maxRestarts?: number;
  readonly readyTimeoutMs?: number;
  /** After SIGTERM, wait this long before SIGKILL. */
  readonly killGraceMs?: number;
  /** How many ports after the preferred one to try. */
  readonly portSearchRange?: number;
}

export type TunnelListener = (tunnel: TunnelInfo) => void;

/** ssh errors that a restart cannot fix. */
const PERMANENT_ERRORS = [
  /Permission denied \(/,
  /Host key verification failed/,
  /REMOTE HOST IDENTIFICATION HAS CHANGED/,
  /Could not resolve hostname/,
  /Bad configuration option|Unsupported option|bad configuration options|no argument after keyword/i,
  /Too many authentication failures/,
  /spawn .* ENOENT/,
];

interface TunnelRecord {
  readonly id: string;
  request: TunnelRequest;
  localPort: number;
  state: TunnelState;
  failures: number;
  lastError: string | undefined;
  child: SpawnedProcess | undefined;
  /** Resolves when the current child has exited. */
  exited: Promise<void>;
  /** Bumped on every launch so callbacks of an older child are ignored. */
  generation: number;
  stderr: string;
  deadlineTimer: unknown;
  restartTimer: unknown;
}

export function tunnelArgs(
  userConfigPath: string,
  request: Pick<TunnelRequest, 'alias' | 'remotePort'>,
  localPort: number,
): string[] {
  return [
    '-F',
    userConfigPath,
    '-N',
    // Verbose: the only way ssh says when it has bound the local port (see sshHoldsForward).
    '-v',
    '-o',
    'ExitOnForwardFailure=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=20',
    '-L',
    `127.0.0.1:${localPort}:localhost:${request.remotePort}`,
    '--',
    request.alias,
  ];
}

export class TunnelManager {
  private readonly tunnels = new Map<string, TunnelRecord>();
  private readonly listeners = new Set<TunnelListener>();
  private readonly options: Required<Omit<TunnelManagerOptions, 'sshPath'>> & { sshPath: string };
  private nextId = 1;
  private disposed = false;

  constructor(options: TunnelManagerOptions) {
    this.options = {
      sshPath: options.sshPath ?? 'ssh',
      userConfigPath: options.userConfigPath,
      spawn: options.spawn ?? spawnProcess,
      timers: options.timers ?? realTimers,
      isPortFree: options.isPortFree ?? isLocalPortFree,
      anyFreePort: options.anyFreePort ?? anyFreeLocalPort,
      initialBackoffMs: options.initialBackoffMs ?? 1_000,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      maxRestarts: options.maxRestarts ?? 5,
      readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
      killGraceMs: options.killGraceMs ?? 3_000,
      portSearchRange: options.portSearchRange ?? 20,
    };
  }

  onDidChange(listener: TunnelListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  list(): TunnelInfo[] {
    return [...this.tunnels.values()].map(snapshot);
  }

  get(id: string): TunnelInfo | undefined {
    const record = this.tunnels.get(id);
    return record ? snapshot(record) : undefined;
  }

  /** Starts a tunnel (or returns the live one for the same instance and remote port). */
  async start(request: TunnelRequest): Promise<TunnelInfo> {
    if (this.disposed) {
      throw new Error('The tunnel manager has been disposed.');
    }
    if (!isPortNumber(request.remotePort)) {
      throw new Error(`Invalid remote port ${String(request.remotePort)}.`);
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(request.alias)) {
      throw new Error(`Invalid SSH host alias ${JSON.stringify(request.alias)}.`);
    }
    const live = [...this.tunnels.values()].find(
      (record) =>
        record.request.deploymentId === request.deploymentId &&
        record.request.remotePort === request.remotePort &&
        record.state !== 'failed' &&
        record.state !== 'stopped',
    );
    if (live) {
      return snapshot(live);
    }
    const localPort = await this.pickLocalPort(request.preferredLocalPort ?? request.remotePort, undefined);
    if (this.disposed) {
      throw new Error('The tunnel manager has been disposed.');
    }
    const record: TunnelRecord = {
      id: `tunnel-${this.nextId++}`,
      request,
      localPort,
      state: 'starting',
      failures: 0,
      lastError: undefined,
      child: undefined,
      exited: Promise.resolve(),
      generation: 0,
      stderr: '',
      deadlineTimer: undefined,
      restartTimer: undefined,
    };
    this.tunnels.set(record.id, record);
    this.launch(record);
    return snapshot(record);
  }

  /** Stops a tunnel and waits for its ssh process to exit. */
  async stop(id: string): Promise<void> {
    const record = this.tunnels.get(id);
    if (!record) {
      return;
    }
    this.clearTimers(record);
    record.state = 'stopped';
    const child = record.child;
    if (child) {
      child.kill('SIGTERM');
      const killer = this.options.timers.setTimeout(() => child.kill('SIGKILL'), this.options.killGraceMs);
      await record.exited;
      this.options.timers.clearTimeout(killer);
    }
    this.tunnels.delete(id);
    this.emit(record);
  }

  /**
   * After a rename the instance's alias changes: its tunnels reconnect through the new one (the
   * old block is gone from our file). A running ssh keeps its connection.
   */
  retarget(deploymentId: string, alias: string): void {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(alias)) {
      return;
    }
    for (const record of this.tunnels.values()) {
      if (record.request.deploymentId === deploymentId && record.request.alias !== alias) {
        record.request = { ...record.request, alias };
      }
    }
  }

  /** On terminate: stop every tunnel of the instance. */
  async stopAllFor(deploymentId: string): Promise<void> {
    const ids = [...this.tunnels.values()]
      .filter((record) => record.request.deploymentId === deploymentId)
      .map((record) => record.id);
    await Promise.all(ids.map((id) => this.stop(id)));
  }

  /** On deactivate: stop everything; no ssh child is left behind. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.tunnels.keys()].map((id) => this.stop(id)));
    this.listeners.clear();
  }

  private launch(record: TunnelRecord): void {
    const generation = ++record.generation;
    record.state = 'starting';
    record.stderr = '';
    const args = tunnelArgs(this.options.userConfigPath, record.request, record.localPort);
    let resolveExited: () => void = () => undefined;
    record.exited = new Promise<void>((resolve) => (resolveExited = resolve));
    let child: SpawnedProcess;
    try {
      child = this.options.spawn(this.options.sshPath, args);
    } catch (error) {
      child = failedProcess(
        `spawn ${this.options.sshPath} ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    record.child = child;
    child.onStderr((text) => {
      record.stderr = (record.stderr + text).slice(-16_384);
      if (
        generation === record.generation &&
        record.state === 'starting' &&
        sshHoldsForward(record.stderr, record.localPort)
      ) {
        this.markReady(record);
      }
    });
    child.onExit((code, signal) => {
      resolveExited();
      if (generation === record.generation) {
        this.handleExit(record, code, signal);
      }
    });
    this.emit(record);

    record.deadlineTimer = this.options.timers.setTimeout(() => {
      if (generation === record.generation && record.state === 'starting') {
        record.lastError = `the tunnel was not up after ${Math.round(this.options.readyTimeoutMs / 1000)} s`;
        child.kill('SIGTERM');
      }
    }, this.options.readyTimeoutMs);
  }

  private markReady(record: TunnelRecord): void {
    this.options.timers.clearTimeout(record.deadlineTimer);
    record.deadlineTimer = undefined;
    record.state = 'ready';
    record.failures = 0;
    record.lastError = undefined;
    this.emit(record);
  }

  private handleExit(record: TunnelRecord, code: number | null, signal: string | null): void {
    this.clearTimers(record);
    record.child = undefined;
    if (record.state === 'stopped') {
      return;
    }
    const stderr = record.stderr;
    record.lastError =
      summariseStderr(stderr) ?? record.lastError ?? `ssh exited (${signal ?? `code ${String(code)}`})`;
    if (PERMANENT_ERRORS.some((pattern) => pattern.test(stderr))) {
      record.state = 'failed';
      this.emit(record);
      return;
    }
    if (record.state === 'ready') {
      record.state = 'dropped';
      this.emit(record);
    }
    record.failures++;
    if (record.failures > this.options.maxRestarts) {
      record.state = 'failed';
      this.emit(record);
      return;
    }
    record.state = 'restarting';
    this.emit(record);
    const delay = Math.min(
      this.options.initialBackoffMs * 2 ** (record.failures - 1),
      this.options.maxBackoffMs,
    );
    record.restartTimer = this.options.timers.setTimeout(() => {
      if (record.state !== 'restarting' || this.disposed) {
        return;
      }
      void this.relaunch(record);
    }, delay);
  }

  private async relaunch(record: TunnelRecord): Promise<void> {
    const generation = record.generation;
    let port = record.localPort;
    try {
      if (!(await this.options.isPortFree(port))) {
        port = await this.pickLocalPort(
          record.request.preferredLocalPort ?? record.request.remotePort,
          record.id,
        );
      }
    } catch {
      // keep the old port; ssh will report a bind failure if it is really taken
    }
    if (record.state !== 'restarting' || generation !== record.generation) {
      return;
    }
    record.localPort = port;
    this.launch(record);
  }

  private async pickLocalPort(preferred: number, exceptId: string | undefined): Promise<number> {
    const reserved = new Set(
      [...this.tunnels.values()]
        .filter((record) => record.id !== exceptId && record.state !== 'stopped' && record.state !== 'failed')
        .map((record) => record.localPort),
    );
    const first = isPortNumber(preferred) ? preferred : 1024;
    for (let port = first; port <= Math.min(first + this.options.portSearchRange, 65535); port++) {
      if (!reserved.has(port) && (await this.options.isPortFree(port))) {
        return port;
      }
    }
    return this.options.anyFreePort();
  }

  private clearTimers(record: TunnelRecord): void {
    for (const timer of [record.deadlineTimer, record.restartTimer]) {
      if (timer !== undefined) {
        this.options.timers.clearTimeout(timer);
      }
    }
    record.deadlineTimer = record.restartTimer = undefined;
  }

  private emit(record: TunnelRecord): void {
    const info = snapshot(record);
    for (const listener of [...this.listeners]) {
      try {
        listener(info);
      } catch {
        // a failing listener must not break the state machine
      }
    }
  }
}

function snapshot(record: TunnelRecord): TunnelInfo {
  return {
    id: record.id,
    deploymentId: record.request.deploymentId,
    alias: record.request.alias,
    label: record.request.label,
    remotePort: record.request.remotePort,
    localPort: record.localPort,
    state: record.state,
    failures: record.failures,
    lastError: record.lastError,
    pid: record.child?.pid,
  };
}

/**
 * ssh's own word that it holds `127.0.0.1:port` (at `-v`). "Local forwarding listening on … port N"
 * alone is not enough: OpenSSH prints it just before bind(). With ExitOnForwardFailure a failed
 * bind ends ssh before its session starts, so that line followed by "Entering interactive
 * session." means the bind and listen succeeded and the port is ours.
 */
export function sshHoldsForward(stderr: string, localPort: number): boolean {
  const listening = new RegExp(
    `(?:^|\\n)debug1: Local forwarding listening on 127\\.0\\.0\\.1 port ${localPort}\\.\\r?\\n`,
  ).exec(stderr);
  return (
    listening !== null &&
    /\ndebug1: Entering interactive session\.\r?\n/.test(
      stderr.slice(listening.index + listening[0].length - 1),
    )
  );
}

/** The last meaningful stderr line, without ssh's routine notices and `-v` debug lines. */
export function summariseStderr(stderr: string): string | undefined {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== '' &&
        !line.startsWith('Warning: Permanently added') &&
        !/^debug\d: /.test(line) &&
        !line.startsWith('OpenSSH_') &&
        !line.startsWith('Authenticated to ') &&
        !line.startsWith('Transferred: ') &&
        !line.startsWith('Bytes per second: '),
    );
  return lines.at(-1);
}

/** Stands in for a process that could not be started: reports its error and exits right away. */
function failedProcess(message: string): SpawnedProcess {
  return {
    pid: undefined,
    kill: () => false,
    onExit: (listener) => queueMicrotask(() => listener(null, null)),
    onStderr: (listener) => queueMicrotask(() => listener(`${message}\n`)),
  };
}

const realTimers: TunnelTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const spawnProcess: SpawnFn = (command, args) => {
  const child = nodeSpawn(command, [...args], { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
  const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  const stderrListeners: ((text: string) => void)[] = [];
  let exited = false;
  const finish = (code: number | null, signal: string | null) => {
    if (!exited) {
      exited = true;
      for (const listener of exitListeners) {
        listener(code, signal);
      }
    }
  };
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => stderrListeners.forEach((listener) => listener(text)));
  child.on('error', (error) => {
    stderrListeners.forEach((listener) =>
      listener(`spawn ${command} ${(error as NodeJS.ErrnoException).code ?? error.message}\n`),
    );
    finish(null, null);
  });
  child.on('exit', (code, signal) => finish(code, signal));
  return {
    get pid() {
      return child.pid;
    },
    kill: (signal) => (exited ? false : child.kill(signal)),
    onExit: (listener) => {
      exitListeners.push(listener);
    },
    onStderr: (listener) => {
      stderrListeners.push(listener);
    },
  };
};

export function canConnectLocal(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function isLocalPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export function anyFreeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
