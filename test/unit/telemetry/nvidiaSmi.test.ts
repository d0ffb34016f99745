import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TELEMETRY_FIELDS,
  gpuQueryCommand,
  maxUtilization,
  parseGpuQuery,
  parseMeasurement,
  type GpuReading,
} from '../../../src/core/telemetry/nvidiaSmi';
import { gpuRowDescription, gpuRowLabel, telemetrySummary } from '../../../src/core/telemetry/telemetryText';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'nvidia-smi');

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

function gpusOf(output: string, fields?: readonly string[]): readonly GpuReading[] {
  const result = parseGpuQuery(output, fields);
  assert.equal(result.kind, 'ok', JSON.stringify(result));
  return result.kind === 'ok' ? result.gpus : [];
}

describe('telemetry/nvidiaSmi against recorded outputs', () => {
  it('asks for exactly the fields it reads, without header or units', () => {
    assert.equal(
      gpuQueryCommand(),
      'nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw --format=csv,noheader,nounits',
    );
  });

  it('reads a loaded 1× H100 from the full 212-column capture by its header', () => {
    const [gpu] = gpusOf(fixture('h100-1x-load.csv'));
    assert.deepEqual(gpu, {
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      utilizationPercent: 100,
      memoryUsedMiB: 19818,
      memoryTotalMiB: 81559,
      temperatureC: 59,
      powerW: 631.95,
    });
    assert.equal(gpuRowLabel(gpu), 'GPU 0 · 100 % · 19.4/80 GB · 59 °C');
    assert.equal(gpuRowDescription(gpu), '632 W');
    assert.equal(telemetrySummary([gpu]), '100 % · 19.4/80 GB · 59 °C');
  });

  it('reads an H100 with MIG on, whose utilisation is [N/A]', () => {
    const gpus = gpusOf(fixture('h100-mig-load.csv'));
    assert.equal(gpus.length, 1);
    assert.equal(gpus[0]?.utilizationPercent, undefined);
    assert.equal(gpus[0]?.memoryUsedMiB, 11125);
    assert.equal(gpuRowLabel(gpus[0]), 'GPU 0 · util n/a · 10.9/80 GB · 53 °C');
    assert.equal(
      maxUtilization(gpus),
      undefined,
      'MIG says nothing about load, so it is no signal either way',
    );
  });

  it('reads 8× H100 and summarises them in one line', () => {
    const gpus = gpusOf(fixture('h100-8x.csv'));
    assert.deepEqual(
      gpus.map((gpu) => gpu.index),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.equal(gpuRowLabel(gpus[0]), 'GPU 0 · 100 % · 77.1/80 GB');
    assert.equal(gpuRowLabel(gpus[5]), 'GPU 5 · 98 % · 19.3/80 GB');
    assert.equal(telemetrySummary(gpus), '8 GPUs · 99 % avg · 387.0/637 GB');
    assert.equal(maxUtilization(gpus), 100);
  });

  it('reads [N/A] and [Not Supported] cells as unknown, by the query order when there is no header', () => {
    const fields = [
      'memory.total',
      'memory.free',
      'memory.used',
      'temperature.gpu',
      'fan.speed',
      'utilization.gpu',
      'utilization.memory',
    ];
    for (const name of ['not-applicable-fields.csv', 'not-supported-fields.csv']) {
      const [gpu] = gpusOf(fixture(name), fields);
      assert.deepEqual(gpu, {
        index: 0,
        name: undefined,
        utilizationPercent: 0,
        memoryUsedMiB: 0,
        memoryTotalMiB: 2004,
        temperatureC: 44,
        powerW: undefined,
      });
      assert.equal(gpuRowLabel(gpu), 'GPU 0 · 0 % · 0.0/2.0 GB · 44 °C');
    }
  });

  it('reports a driver that does not answer as a driver failure, with its own words', () => {
    assert.deepEqual(parseGpuQuery(fixture('driver-failure.txt')), {
      kind: 'driver-failure',
      message:
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
    });
  });

  it('calls empty or foreign output unreadable instead of inventing GPUs', () => {
    assert.equal(parseGpuQuery('').kind, 'unreadable');
    assert.equal(parseGpuQuery('bash: nvidia-smi: command not found\n').kind, 'unreadable');
    // A line with the wrong number of cells is dropped, the good one kept.
    const gpus = gpusOf('0, A, 1, 2\n1, NVIDIA H100 80GB HBM3, 7, 100, 81559, 40, 70.5\n');
    assert.deepEqual(
      gpus.map((gpu) => gpu.index),
      [1],
    );
  });

  it('reads its own noheader,nounits query in TELEMETRY_FIELDS order', () => {
    assert.equal(TELEMETRY_FIELDS.length, 7);
    const [gpu] = gpusOf('3, NVIDIA H100 80GB HBM3, 97, 72909, 81559, 68, 612.40\n');
    assert.equal(gpuRowLabel(gpu), 'GPU 3 · 97 % · 71.2/80 GB · 68 °C');
  });

  it('parses measurements with and without units', () => {
    assert.equal(parseMeasurement('100 %'), 100);
    assert.equal(parseMeasurement('631.95 W'), 631.95);
    assert.equal(parseMeasurement('19818 MiB'), 19818);
    assert.equal(parseMeasurement('[N/A]'), undefined);
    assert.equal(parseMeasurement('[Not Supported]'), undefined);
    assert.equal(parseMeasurement('N/A'), undefined);
    assert.equal(parseMeasurement('1e9'), undefined);
  });
});
