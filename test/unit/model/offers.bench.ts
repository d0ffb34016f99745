// Timing for the Offers tree on a large catalogue. Not part of the test run (timings are noisy
// on shared machines); run with `npx tsx test/unit/model/offers.bench.ts`.

import { DEFAULT_OFFER_FILTERS, buildOfferTree, offerFilterChoices } from '../../../src/core/model/offers';
import { largeCatalogue } from './fixtures';

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Wall time and CPU time (the latter is what matters on a busy machine). */
function time(name: string, runs: number, work: () => unknown): void {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    work();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  console.log(
    `${name}: first ${wall[0]?.toFixed(1)} ms (cpu ${cpu[0]?.toFixed(1)}), ` +
      `median ${median(wall).toFixed(1)} ms (cpu ${median(cpu).toFixed(1)}) over ${runs} runs`,
  );
}

const catalogue = largeCatalogue();
const filtered = {
  ...DEFAULT_OFFER_FILTERS,
  instanceTypes: ['SPOT' as const],
  regions: ['region-3'],
  maxPricePerHour: 20,
};
time('buildOfferTree, 6,000 offers, default filters', 30, () =>
  buildOfferTree(catalogue, DEFAULT_OFFER_FILTERS),
);
time('buildOfferTree, 6,000 offers, narrow filters', 30, () => buildOfferTree(catalogue, filtered));
time('offerFilterChoices, 6,000 offers', 30, () => offerFilterChoices(catalogue));
