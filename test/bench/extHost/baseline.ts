// Loaded as extensionTestsPath with only the hello-world extension (test/bench/baseline) in a
// fresh extension host: its activation, measured exactly as activation.ts measures Spheron's.
import * as vscode from 'vscode';
import { BENCH_MARKER, measureActivation } from './measure';
import { waitForSettledHost } from './settle';

const BASELINE_ID = 'spheron-bench.hello-world';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension(BASELINE_ID);
  if (!extension) {
    throw new Error(`${BASELINE_ID} is not loaded`);
  }
  const settling = await waitForSettledHost();
  const { wasActive, activationMs, activationHeapBytes } = await measureActivation(extension);
  console.log(
    BENCH_MARKER +
      JSON.stringify({ wasActive, activationMs, activationHeapBytes, settled: settling.settled }),
  );
}
