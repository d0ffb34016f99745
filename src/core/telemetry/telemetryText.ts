// Telemetry as tree text: one row per GPU (`GPU 0 · 97 % · 71.2/80 GB · 68 °C`) and a compact
// summary for the instance's description. Pure, so tests pin the exact strings.
import { roundTo } from '../model/format';
import type { GpuReading } from './nvidiaSmi';

const MIB_PER_GIB = 1024;

function gib(mib: number): number {
  return mib / MIB_PER_GIB;
}

/** `71.2/80 GB`: used to one decimal, the total (a card's size) to a whole number from 10 GB up. */
export function formatVram(usedMiB: number | undefined, totalMiB: number | undefined): string | undefined {
  if (totalMiB === undefined || totalMiB <= 0) {
    return usedMiB === undefined ? undefined : `${roundTo(gib(usedMiB), 1).toFixed(1)} GB used`;
  }
  const total = gib(totalMiB);
  const totalText = total >= 10 ? String(Math.round(total)) : roundTo(total, 1).toFixed(1);
  const usedText = usedMiB === undefined ? '?' : roundTo(gib(usedMiB), 1).toFixed(1);
  return `${usedText}/${totalText} GB`;
}

function percent(value: number | undefined): string {
  return value === undefined ? 'util n/a' : `${Math.round(value)} %`;
}

function degrees(value: number | undefined): string | undefined {
  return value === undefined ? undefined : `${Math.round(value)} °C`;
}

/** `GPU 0 · 97 % · 71.2/80 GB · 68 °C`. */
export function gpuRowLabel(gpu: GpuReading): string {
  return [
    `GPU ${gpu.index}`,
    percent(gpu.utilizationPercent),
    formatVram(gpu.memoryUsedMiB, gpu.memoryTotalMiB),
    degrees(gpu.temperatureC),
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
}

/** The row's description: power draw, when known (`632 W`). */
export function gpuRowDescription(gpu: GpuReading): string {
  return gpu.powerW === undefined ? '' : `${Math.round(gpu.powerW)} W`;
}

function sum(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((value) => value !== undefined);
  return known.length === 0 ? undefined : known.reduce((total, value) => total + value, 0);
}

/**
 * The instance description's summary. One GPU: its row without the name
 * (`97 % · 71.2/80 GB · 68 °C`); several: `8 GPUs · 99 % avg · 348.3/637 GB · max 68 °C`.
 */
export function telemetrySummary(gpus: readonly GpuReading[]): string {
  const [only] = gpus;
  if (gpus.length === 1 && only) {
    return gpuRowLabel(only).replace(/^GPU \d+ · /, '');
  }
  const utilizations = gpus.map((gpu) => gpu.utilizationPercent).filter((value) => value !== undefined);
  const average =
    utilizations.length === 0
      ? 'util n/a'
      : `${Math.round(utilizations.reduce((total, value) => total + value, 0) / utilizations.length)} % avg`;
  const temperatures = gpus.map((gpu) => gpu.temperatureC).filter((value) => value !== undefined);
  return [
    `${gpus.length} GPUs`,
    average,
    formatVram(sum(gpus.map((gpu) => gpu.memoryUsedMiB)), sum(gpus.map((gpu) => gpu.memoryTotalMiB))),
    temperatures.length === 0 ? undefined : `max ${Math.round(Math.max(...temperatures))} °C`,
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
}
