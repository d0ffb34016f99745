// Helpers for tests that run inside the extension host (real `vscode` API, real simulator over HTTP).
// test/e2e/run-ext-host starts the simulator and hands its URL to code-server, whose extension host
// inherits the environment: SPHERON_SIM_URL and SPHERON_API_KEY.
import * as vscode from 'vscode';
import manifest from '../../package.json';
import type { SpheronExtensionApi } from '../../src/extension';

export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/** The extension under test (loaded from the repository through extensionDevelopmentPath). */
export function spheronExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  }
  return extension;
}

/** Activates the extension (a no-op when it already is) and returns what activate() returned. */
export async function activateSpheron<Api = unknown>(): Promise<Api> {
  return (await spheronExtension().activate()) as Api;
}

/** The extension's services, as activate() returns them for tests. */
export async function spheronApi(): ReturnType<SpheronExtensionApi['load']> {
  return (await activateSpheron<SpheronExtensionApi>()).load();
}

/** Base URL of the simulator this run started, e.g. `http://127.0.0.1:41234`. */
export function simulatorUrl(): string {
  const url = process.env.SPHERON_SIM_URL;
  if (!url) {
    throw new Error('SPHERON_SIM_URL is not set: run these tests through test/e2e/run-ext-host');
  }
  return url;
}

export class SimulatorAdminError extends Error {
  constructor(
    readonly route: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`simulator admin ${route} answered ${status}: ${body}`);
    this.name = 'SimulatorAdminError';
  }
}

/**
 * Calls the simulator's admin API (`/__sim/<path>`): GET without a body, POST with one, or the given
 * method. Returns the parsed JSON answer (undefined for an empty one).
 *   await simulatorAdmin('reset', {});
 *   await simulatorAdmin('clock/advance', { seconds: 60 });
 *   await simulatorAdmin('faults', undefined, 'DELETE');
 */
export async function simulatorAdmin<T = unknown>(
  adminPath: string,
  body?: unknown,
  method: 'GET' | 'POST' | 'DELETE' = body === undefined ? 'GET' : 'POST',
): Promise<T> {
  const route = `${method} /__sim/${adminPath.replace(/^\/+/, '')}`;
  const response = await fetch(`${simulatorUrl()}/__sim/${adminPath.replace(/^\/+/, '')}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new SimulatorAdminError(route, response.status, text);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Calls the simulator's public API (`/api/<path>`) with the run's API key; returns status and JSON. */
export async function simulatorApi(
  apiPath: string,
  key: string | undefined = process.env.SPHERON_API_KEY,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${simulatorUrl()}/api/${apiPath.replace(/^\/+/, '')}`, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  readonly timeoutMs?: number;
  /** Pause between polls (default 50 ms). */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout message. */
  readonly message?: string;
}

/**
 * Polls `condition` until it returns a truthy value (which is returned) or the timeout passes.
 * A throwing condition counts as "not yet"; its last error is in the timeout message.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50, message = 'condition' }: WaitOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The text of the document behind an output channel, once VS Code has opened it (e.g. by show()). */
export function outputChannelText(channelName: string): string | undefined {
  const document = vscode.workspace.textDocuments.find(
    (doc) => doc.uri.scheme === 'output' && decodeURIComponent(doc.uri.path).includes(channelName),
  );
  return document?.getText();
}
