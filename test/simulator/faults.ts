// Injected faults: which requests they hit and how they change the answer.
import type { Fault } from './types';

export class FaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const FAULT_KEYS = new Set([
  'route',
  'status',
  'body',
  'text',
  'headers',
  'latencyMs',
  'drop',
  'badJson',
  'wrongShape',
  'times',
  'afterHandler',
  'commitDelaySeconds',
]);

/** Validates an untrusted fault; `knownRoutes` are `METHOD /pattern` keys. */
export function parseFault(value: unknown, knownRoutes: ReadonlySet<string>): Fault {
  if (!isRecord(value)) {
    throw new FaultError('a fault must be an object');
  }
  for (const key of Object.keys(value)) {
    if (!FAULT_KEYS.has(key)) {
      throw new FaultError(`unknown fault field: ${key}`);
    }
  }
  const { route, status, headers, latencyMs, times } = value;
  if (typeof route !== 'string' || (route !== '*' && !knownRoutes.has(route))) {
    throw new FaultError(
      `unknown route ${JSON.stringify(route)}; use a pattern such as "GET /api/deployments/:id"`,
    );
  }
  if (
    status !== undefined &&
    (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)
  ) {
    throw new FaultError('status must be an HTTP status code');
  }
  if (
    latencyMs !== undefined &&
    (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0)
  ) {
    throw new FaultError('latencyMs must be a non-negative number');
  }
  if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) {
    throw new FaultError('times must be a positive integer');
  }
  if (
    headers !== undefined &&
    (!isRecord(headers) || Object.values(headers).some((h) => typeof h !== 'string'))
  ) {
    throw new FaultError('headers must map names to strings');
  }
  if (value.text !== undefined && (typeof value.text !== 'string' || status === undefined)) {
    throw new FaultError('text must be a string, given with a status');
  }
  if (value.text !== undefined && value.body !== undefined) {
    throw new FaultError('use text or body, not both');
  }
  for (const flag of ['drop', 'badJson', 'wrongShape', 'afterHandler'] as const) {
    if (value[flag] !== undefined && typeof value[flag] !== 'boolean') {
      throw new FaultError(`${flag} must be a boolean`);
    }
  }
  const { commitDelaySeconds } = value;
  if (commitDelaySeconds !== undefined) {
    if (
      typeof commitDelaySeconds !== 'number' ||
      !Number.isFinite(commitDelaySeconds) ||
      commitDelaySeconds < 0
    ) {
      throw new FaultError('commitDelaySeconds must be a non-negative number');
    }
    if ((status === undefined && value.drop !== true) || value.afterHandler === true) {
      throw new FaultError(
        'commitDelaySeconds needs status or drop (the answer given at once), and no afterHandler',
      );
    }
  }
  const effects = [
    status !== undefined,
    value.drop === true,
    value.badJson === true,
    value.wrongShape === true,
  ];
  if (effects.filter(Boolean).length > 1) {
    throw new FaultError('use at most one of status, drop, badJson and wrongShape per fault');
  }
  return value as unknown as Fault;
}

interface ActiveFault {
  readonly fault: Fault;
  remaining: number;
}

export class FaultRegistry {
  private active: ActiveFault[] = [];

  add(fault: Fault): void {
    this.active.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.active = [];
  }

  get size(): number {
    return this.active.length;
  }

  /** The first active fault for `route` (in the order added), counted as used. */
  take(route: string): Fault | undefined {
    const entry = this.active.find((a) => a.fault.route === route || a.fault.route === '*');
    if (!entry) {
      return undefined;
    }
    entry.remaining--;
    if (entry.remaining <= 0) {
      this.active = this.active.filter((a) => a !== entry);
    }
    return entry.fault;
  }
}
