// GPU readings from `nvidia-smi --query-gpu`. Remote output is untrusted: every cell is validated,
// and a field the driver cannot report (`[N/A]`, `[Not Supported]`) reads as undefined.

/** The fields the extension asks for, in this order, with `--format=csv,noheader,nounits`. */
export const TELEMETRY_FIELDS = [
  'index',
  'name',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
] as const;

export type QueryField = string;

export function gpuQueryCommand(): string {
  return `nvidia-smi --query-gpu=${TELEMETRY_FIELDS.join(',')} --format=csv,noheader,nounits`;
}

export interface GpuReading {
  readonly index: number;
  readonly name: string | undefined;
  /** Percent; undefined under MIG or when the driver cannot say. */
  readonly utilizationPercent: number | undefined;
  readonly memoryUsedMiB: number | undefined;
  readonly memoryTotalMiB: number | undefined;
  readonly temperatureC: number | undefined;
  readonly powerW: number | undefined;
}

export type GpuQueryResult =
  | { readonly kind: 'ok'; readonly gpus: readonly GpuReading[] }
  /** nvidia-smi ran but could not talk to the driver. */
  | { readonly kind: 'driver-failure'; readonly message: string }
  /** Output we cannot read; `message` is for the log. */
  | { readonly kind: 'unreadable'; readonly message: string };

const DRIVER_FAILURE = /NVIDIA-SMI has failed[^\n]*/;
const MAX_GPUS = 64;
const MAX_NAME_LENGTH = 80;

/** `memory.used [MiB]` → `memory.used`. */
function fieldName(headerCell: string): string {
  return headerCell.replace(/\s*\[[^\]]*\]\s*$/, '').trim();
}

function looksLikeHeader(cells: readonly string[]): boolean {
  return cells.some((cell) => (TELEMETRY_FIELDS as readonly string[]).includes(fieldName(cell)));
}

/**
 * A number with an optional unit as nvidia-smi prints it without `nounits` (`100 %`, `19818 MiB`,
 * `631.95 W`); undefined for `[N/A]`, `[Not Supported]`, `N/A` and anything else.
 */
export function parseMeasurement(cell: string | undefined): number | undefined {
  const match = /^(-?\d+(?:\.\d+)?)(?:\s*(?:%|MiB|W|C|MHz))?$/.exec((cell ?? '').trim());
  if (!match) {
    return undefined;
  }
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : undefined;
}

function nonNegative(value: number | undefined): number | undefined {
  return value !== undefined && value >= 0 ? value : undefined;
}

/**
 * Reads the output of a `--query-gpu` CSV. With a header line (plain `--format=csv`) columns are
 * found by name; without one, `fields` gives their order (the extension's own query by default).
 */
export function parseGpuQuery(
  output: string,
  fields: readonly QueryField[] = TELEMETRY_FIELDS,
): GpuQueryResult {
  const failure = DRIVER_FAILURE.exec(output);
  if (failure) {
    return { kind: 'driver-failure', message: failure[0].trim() };
  }
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (lines.length === 0) {
    return { kind: 'unreadable', message: 'nvidia-smi printed nothing' };
  }
  let columns: readonly string[] = fields;
  const firstCells = (lines[0] ?? '').split(',').map((cell) => cell.trim());
  if (looksLikeHeader(firstCells)) {
    columns = firstCells.map(fieldName);
    lines.shift();
  }
  const column = (name: string): number => columns.indexOf(name);
  const gpus: GpuReading[] = [];
  for (const [position, line] of lines.entries()) {
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length !== columns.length || gpus.length >= MAX_GPUS) {
      continue;
    }
    const cell = (name: string): string | undefined => {
      const at = column(name);
      return at < 0 ? undefined : cells[at];
    };
    const indexCell = cell('index');
    const index = indexCell === undefined ? position : Number(indexCell);
    if (!Number.isInteger(index) || index < 0) {
      continue;
    }
    const name = cell('name');
    gpus.push({
      index,
      name: name === undefined || name === '' ? undefined : name.slice(0, MAX_NAME_LENGTH),
      utilizationPercent: nonNegative(parseMeasurement(cell('utilization.gpu'))),
      memoryUsedMiB: nonNegative(parseMeasurement(cell('memory.used'))),
      memoryTotalMiB: nonNegative(parseMeasurement(cell('memory.total'))),
      temperatureC: parseMeasurement(cell('temperature.gpu')),
      powerW: nonNegative(parseMeasurement(cell('power.draw'))),
    });
  }
  if (gpus.length === 0) {
    return { kind: 'unreadable', message: `no GPU line in ${lines.length} line(s) of nvidia-smi output` };
  }
  return { kind: 'ok', gpus };
}

/** The highest utilisation any GPU reports; undefined when none reports one (MIG). */
export function maxUtilization(gpus: readonly GpuReading[]): number | undefined {
  const known = gpus.map((gpu) => gpu.utilizationPercent).filter((value) => value !== undefined);
  return known.length === 0 ? undefined : Math.max(...known);
}
