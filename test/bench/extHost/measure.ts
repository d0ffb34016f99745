// What both bench payloads measure, the same way: the wall time of activate() and the heap it keeps.
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type * as vscode from 'vscode';

export const BENCH_MARKER = 'SPHERON_BENCH_RESULT';

/** A full collection, so heap figures are what is retained, not what is pending collection. */
export function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    for (let i = 0; i < 3; i++) {
      gc();
    }
  };
}

export interface ActivationMeasurement<Api> {
  readonly wasActive: boolean;
  readonly activationMs: number;
  readonly activationHeapBytes: number;
  readonly api: Api;
}

export async function measureActivation<Api>(
  extension: vscode.Extension<Api>,
  gc = collectGarbage(),
): Promise<ActivationMeasurement<Api>> {
  const wasActive = extension.isActive;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const api = await extension.activate();
  const activationMs = performance.now() - start;
  gc();
  return {
    wasActive,
    activationMs,
    activationHeapBytes: process.memoryUsage().heapUsed - heapBefore,
    api,
  };
}
