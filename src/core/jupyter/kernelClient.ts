// A client for one Jupyter server's kernels: the REST API (start, look up, interrupt, shut down;
// every answer read through zod) and the kernel WebSocket that runs code. Used by the built-in
// notebook kernel when the Jupyter extension is not installed. The WebSocket comes from undici in
// the lazily loaded HTTP chunk (dist/http.js), so loading this module loads no network code.
import type { PlainWebSocket } from '../api/undiciTransport';
import {
  executeRequest,
  executionEvent,
  inputReply,
  kernelModelSchema,
  newMessageId,
  parentId,
  parseKernelMessage,
  type ExecutionEvent,
  type KernelModel,
} from './kernelProtocol';

/** A Jupyter server as the tunnel reaches it: `baseUrl` ends in `/`. */
export interface KernelServerAddress {
  readonly baseUrl: string;
  readonly token: string;
}

/** Why talking to the server or its kernel failed; `message` is written for the user. */
export class KernelClientError extends Error {
  constructor(
    readonly reason: 'http' | 'schema' | 'connection' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'KernelClientError';
  }
}

const REQUEST_TIMEOUT_MS = 30_000;

function authHeaders(server: KernelServerAddress): Record<string, string> {
  return server.token ? { Authorization: `token ${server.token}` } : {};
}

async function kernelRequest(
  server: KernelServerAddress,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Response> {
  try {
    return await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { ...authHeaders(server), 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new KernelClientError(
      'connection',
      `Could not reach the Jupyter server (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}

async function readKernelModel(response: Response, doing: string): Promise<KernelModel> {
  if (!response.ok) {
    throw new KernelClientError('http', `${doing} failed: the Jupyter server answered ${response.status}.`);
  }
  const parsed = kernelModelSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    throw new KernelClientError('schema', `${doing}: the Jupyter server's answer is not a kernel.`);
  }
  return parsed.data;
}

/** Starts a kernel (the server's default kernel spec unless `name` is given). */
export async function startKernel(server: KernelServerAddress, name?: string): Promise<KernelModel> {
  const response = await kernelRequest(server, 'POST', 'api/kernels', name ? { name } : {});
  return readKernelModel(response, 'Starting a kernel');
}

/** The kernel with that id, or undefined when the server no longer has it. */
export async function findKernel(server: KernelServerAddress, id: string): Promise<KernelModel | undefined> {
  const response = await kernelRequest(server, 'GET', `api/kernels/${encodeURIComponent(id)}`);
  if (response.status === 404) {
    return undefined;
  }
  return readKernelModel(response, 'Looking up the kernel');
}

export async function interruptKernel(server: KernelServerAddress, id: string): Promise<void> {
  const response = await kernelRequest(server, 'POST', `api/kernels/${encodeURIComponent(id)}/interrupt`);
  if (!response.ok) {
    throw new KernelClientError(
      'http',
      `Interrupting the kernel failed: the server answered ${response.status}.`,
    );
  }
}

/**
 * Restarts the kernel: the same id with a fresh interpreter (every variable gone, GPU memory it held
 * freed), as Jupyter's Restart does. A kernel the server no longer has is an error saying so.
 */
export async function restartKernel(server: KernelServerAddress, id: string): Promise<void> {
  const response = await kernelRequest(server, 'POST', `api/kernels/${encodeURIComponent(id)}/restart`);
  if (response.ok) {
    return;
  }
  // The classic Notebook answers 500, not 404, for a kernel it does not have.
  const gone = response.status === 404 || (await findKernel(server, id).catch(() => null)) === undefined;
  throw new KernelClientError(
    'http',
    gone
      ? 'The kernel is gone from the Jupyter server: run a cell to start a new one.'
      : `Restarting the kernel failed: the server answered ${response.status}.`,
  );
}

export async function shutdownKernel(server: KernelServerAddress, id: string): Promise<void> {
  const response = await kernelRequest(server, 'DELETE', `api/kernels/${encodeURIComponent(id)}`);
  if (!response.ok && response.status !== 404) {
    throw new KernelClientError(
      'http',
      `Shutting the kernel down failed: the server answered ${response.status}.`,
    );
  }
}

export type OpenWebSocket = (url: string, headers: Readonly<Record<string, string>>) => PlainWebSocket;

/** undici's WebSocket from the lazily loaded HTTP chunk. Keep the import path for esbuild's plugin. */
export async function loadWebSocket(): Promise<OpenWebSocket> {
  const { openWebSocket } = await import('../api/undiciTransport');
  return openWebSocket;
}

export interface ExecuteOutcome {
  readonly status: 'ok' | 'error' | 'aborted';
  readonly executionCount: number | undefined;
}

/**
 * Asks the user for the line a cell waits for in `input()`; undefined when they declined (the
 * caller then interrupts the kernel, so `input()` raises instead of reading an empty line).
 */
export type AnswerInput = (request: {
  readonly prompt: string;
  readonly password: boolean;
}) => Promise<string | undefined>;

interface PendingExecution {
  readonly onEvent: (event: ExecutionEvent) => void;
  readonly onInput: AnswerInput | undefined;
  readonly resolve: (outcome: ExecuteOutcome) => void;
  readonly reject: (error: Error) => void;
  reply?: ExecuteOutcome;
  idle: boolean;
}

const OPEN = 1;

/**
 * The open WebSocket to one kernel. Executions are told apart by their request's message id; one
 * ends when both its execute_reply (shell) and its idle status (iopub, the last of its outputs)
 * arrived. A closed socket fails every pending execution instead of leaving it waiting.
 */
export class KernelChannels {
  private readonly pending = new Map<string, PendingExecution>();
  private readonly session = newMessageId();
  private closedBecause: string | undefined;

  private constructor(
    private readonly socket: PlainWebSocket,
    readonly kernelId: string,
  ) {
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', () => this.fail('the connection to the kernel closed'));
    socket.addEventListener('error', () => this.fail('the connection to the kernel failed'));
  }

  static async open(
    server: KernelServerAddress,
    kernelId: string,
    openWebSocket: OpenWebSocket,
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<KernelChannels> {
    const url = `${server.baseUrl.replace(/^http/, 'ws')}api/kernels/${encodeURIComponent(kernelId)}/channels`;
    const socket = openWebSocket(url, authHeaders(server));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.close();
        reject(
          new KernelClientError('connection', `The kernel did not answer within ${timeoutMs / 1000} s.`),
        );
      }, timeoutMs);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        resolve();
      });
      const refused = () => {
        clearTimeout(timer);
        reject(new KernelClientError('connection', 'Could not connect to the kernel.'));
      };
      socket.addEventListener('error', refused);
      socket.addEventListener('close', refused);
    });
    return new KernelChannels(socket, kernelId);
  }

  /** False once the socket closed: open a new one (the kernel itself may well still run). */
  get isOpen(): boolean {
    return this.closedBecause === undefined && this.socket.readyState === OPEN;
  }

  /**
   * Runs `code`; `onEvent` sees its outputs in order. Resolves when the kernel is done with it.
   * With `onInput` the cell may read a line with `input()`; without it `input()` raises.
   */
  execute(
    code: string,
    onEvent: (event: ExecutionEvent) => void,
    onInput?: AnswerInput,
  ): Promise<ExecuteOutcome> {
    if (!this.isOpen) {
      return Promise.reject(
        new KernelClientError(
          'closed',
          `Cannot run the cell: ${this.closedBecause ?? 'the connection is closed'}.`,
        ),
      );
    }
    const msgId = newMessageId();
    return new Promise<ExecuteOutcome>((resolve, reject) => {
      this.pending.set(msgId, { onEvent, onInput, resolve, reject, idle: false });
      this.socket.send(executeRequest(code, msgId, this.session, onInput !== undefined));
    });
  }

  /** Closes the socket; pending executions fail with `reason` (the kernel itself goes on). */
  close(reason = 'the connection was closed'): void {
    this.fail(reason);
    this.socket.close();
  }

  private receive(frame: unknown): void {
    const message = parseKernelMessage(frame);
    const id = message && parentId(message);
    const execution = id === undefined ? undefined : this.pending.get(id);
    if (!message || !id || !execution) {
      return;
    }
    const event = executionEvent(message);
    if (event.kind === 'reply') {
      execution.reply = { status: event.status, executionCount: event.executionCount };
    } else if (event.kind === 'idle') {
      execution.idle = true;
    } else if (event.kind === 'inputRequest') {
      execution.onEvent(event);
      void this.answerInput(execution, event);
    } else if (event.kind !== 'ignored') {
      execution.onEvent(event);
    }
    if (execution.reply && execution.idle) {
      this.pending.delete(id);
      execution.resolve(execution.reply);
    }
  }

  private async answerInput(
    execution: PendingExecution,
    request: Extract<ExecutionEvent, { kind: 'inputRequest' }>,
  ): Promise<void> {
    const asked = { prompt: request.prompt, password: request.password };
    const answer = await execution.onInput?.(asked).catch(() => undefined);
    // Declined: no reply; the caller interrupts, and input() raises KeyboardInterrupt.
    if (answer !== undefined && this.isOpen) {
      this.socket.send(inputReply(answer, request.requestId, this.session));
    }
  }

  private fail(reason: string): void {
    this.closedBecause ??= reason;
    for (const execution of this.pending.values()) {
      execution.reject(new KernelClientError('closed', `The cell stopped: ${reason}.`));
    }
    this.pending.clear();
  }
}
