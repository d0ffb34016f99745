// Shared helpers for the simulator's own tests: real HTTP through Node's global fetch.
import { request as httpRequest } from 'node:http';
import type { Simulator, SimulatorOptions } from '../../simulator';
import { startSimulator } from '../../simulator';
import { SEED_IDS } from '../../simulator/seed';

export const TEAM_ID = SEED_IDS.team;
export const USER_AGENT = 'spheron-vscode-simulator-tests/1.0';

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly code?: string;
  readonly [key: string]: unknown;
}

export interface CallOptions {
  readonly body?: unknown;
  /** Sent verbatim instead of `body`. */
  readonly rawBody?: string;
  /** Bearer key; `null` sends none. Defaults to the simulator's key. */
  readonly key?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export interface CallResult<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: T;
}

export async function call<T = ErrorBody>(
  sim: Simulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { 'User-Agent': USER_AGENT, ...options.headers };
  const key = options.key === undefined ? sim.apiKey : options.key;
  if (key !== null) {
    headers.Authorization = `Bearer ${key}`;
  }
  let payload: string | undefined = options.rawBody;
  if (payload === undefined && options.body !== undefined) {
    payload = JSON.stringify(options.body);
  }
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(sim.url + path, { method, headers, body: payload, signal: options.signal });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // Not JSON (the WAF's text, a badJson fault): tests read `text`.
  }
  return { status: response.status, headers: response.headers, text, body: body as T };
}

/** A request with exactly the given headers (fetch always adds a User-Agent). */
export function rawGet(
  sim: Simulator,
  path: string,
  headers: Readonly<Record<string, string>>,
): Promise<{ status: number; text: string; contentType: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(sim.url + path, { method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          contentType: res.headers['content-type'],
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Starts a simulator before each test and closes it after; `get()` returns the current one. */
export function useSimulator(options: SimulatorOptions = {}): () => Simulator {
  let sim: Simulator | undefined;
  beforeEach(async () => {
    sim = await startSimulator(options);
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });
  return () => {
    if (!sim) {
      throw new Error('simulator not started');
    }
    return sim;
  };
}

/** Polls `condition` until it holds or `timeoutMs` passes. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A valid create body for an offer of the seed catalogue (RTX 5090, spheron-ai, $0.76/h). */
export function createBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: 'spheron-ai',
    offerId: 'rtx-5090-spheron-ai-1',
    gpuType: 'RTX5090_PCIE',
    gpuCount: 1,
    region: 'CANADA-1',
    operatingSystem: 'Ubuntu 24.04 LTS (CUDA 13)',
    instanceType: 'DEDICATED',
    sshKeyId: SEED_IDS.sshKey,
    teamId: TEAM_ID,
    name: 'test-vm',
    ...overrides,
  };
}
