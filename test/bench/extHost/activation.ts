// Loaded as extensionTestsPath in a fresh code-server extension host: measures activation and the
// heap it keeps, then (optionally) the heap a 6,000-offer catalogue adds. Prints one marker line.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { SpheronExtensionApi } from '../../../src/extension';
import { BENCH_MARKER, collectGarbage, measureActivation } from './measure';
import { waitForSettledHost } from './settle';

const EXTENSION_ID = 'spheron-community.spheron-vscode';

export async function run(): Promise<void> {
  const gc = collectGarbage();
  const extension = vscode.extensions.getExtension<SpheronExtensionApi>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not loaded`);
  }
  const settling = await waitForSettledHost();
  const { wasActive, activationMs, activationHeapBytes, api: shell } = await measureActivation(extension, gc);
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
        settled: settling.settled,
        activationMs,
        activationHeapBytes,
        firstUseMs,
        firstUseHeapBytes: heapAfterFirstUse - heapAfterActivation,
        offersHeapBytes,
        offersLoaded,
      }),
  );
}
