// Jupyter's `GET /api/kernels`: a JSON array of `{ id, name, last_activity, execution_state,
// connections }`. Remote output is untrusted: entries without a string state are dropped.
import type { KernelActivity } from './idleDecision';

const MAX_KERNELS = 200;

/** Undefined when the text is not a kernel list at all (no Jupyter there, or an error page). */
export function parseKernels(text: string): KernelActivity[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) {
    return undefined;
  }
  const kernels: KernelActivity[] = [];
  for (const entry of value.slice(0, MAX_KERNELS)) {
    if (typeof entry !== 'object' || entry === null) {
      continue;
    }
    const record = entry as Record<string, unknown>;
    if (typeof record.execution_state !== 'string') {
      continue;
    }
    const lastActivity =
      typeof record.last_activity === 'string' ? Date.parse(record.last_activity) : Number.NaN;
    kernels.push({
      executionState: record.execution_state,
      lastActivityMs: Number.isFinite(lastActivity) ? lastActivity : undefined,
    });
  }
  return kernels;
}
