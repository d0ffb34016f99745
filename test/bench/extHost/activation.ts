// Loaded as extensionTestsPath in a fresh code-server extension host: measures activation and the
// heap it keeps, then (optionally) the heap a 6,000-offer catalogue adds. Prints one marker line.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import type { SpheronExtensionApi } from '../../../src/extension';

export const BENCH_MARKER = 'SPHERON_BENCH_RESULT';
const EXTENSION_ID = 'spheron-community.spheron-vscode';

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    for (let i = 0; i < 3; i++) {
      gc();
    }
  };
}

export async function run(): Promise<void> {
  const gc = collectGarbage();
  const extension = vscode.extensions.getExtension<SpheronExtensionApi>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not loaded`);
  }
  const wasActive = extension.isActive;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const shell = await extension.activate();
  const activationMs = performance.now() - start;
  gc();
  const heapAfterActivation = process.memoryUsage().heapUsed;

  // First use (a view shown, a command run) loads dist/main.js: measured apart from activation.
  const loadStart = performance.now();
  const api = await shell.load();
  const firstUseMs = performance.now() - loadStart;
  gc();
  const heapAfterFirstUse = process.memoryUsage().heapUsed;

  let offersHeapBytes: number | undefined;
  let offersLoaded: number | undefined;
  const control = JSON.parse(readFileSync(process.env.SPHERON_BENCH_CONTROL ?? '', 'utf8')) as {
    offers?: boolean;
  };
  if (control.offers === true) {
    await api.services.explorer.refresh('offers');
    const catalogue = api.services.data.offers.state.value;
    if (!catalogue) {
      throw new Error('the catalogue did not load');
    }
    offersLoaded = catalogue.groups.reduce((sum, group) => sum + group.offers.length, 0);
    gc();
    offersHeapBytes = process.memoryUsage().heapUsed - heapAfterFirstUse;
  }
  console.log(
    BENCH_MARKER +
      JSON.stringify({
        wasActive,
        activationMs,
        activationHeapBytes: heapAfterActivation - heapBefore,
        firstUseMs,
        firstUseHeapBytes: heapAfterFirstUse - heapAfterActivation,
        offersHeapBytes,
        offersLoaded,
      }),
  );
}
