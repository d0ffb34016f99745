// The receipt shown and logged when an instance is terminated: how long it ran, what it cost, and
// whether Spheron's minimum charge applied. From the deployment as last seen before the DELETE.
import type { Deployment } from '../domain/types';
import { formatDuration, formatRate, formatUsd } from '../model/format';
import { DEFAULT_MINIMUM_RUNTIME_MINUTES, costSoFar, instanceLabel, uptimeMs } from '../model/instances';

const HOUR_MS = 3_600_000;
/** Below a cent the two figures are the same bill. */
const CENT = 0.005;

export interface Receipt {
  readonly name: string;
  /** Undefined when the instance never started. */
  readonly runtimeMs: number | undefined;
  readonly costUsd: number;
  readonly hourlyRate: number;
  readonly minimumRuntimeMinutes: number;
  readonly minimumChargeUsd: number;
  /** The bill is the minimum charge, not the time used. */
  readonly minimumChargeApplied: boolean;
}

export function terminationReceipt(
  deployment: Deployment,
  nowMs: number,
  minimumRuntimeMinutes: number = DEFAULT_MINIMUM_RUNTIME_MINUTES,
): Receipt {
  const runtimeMs = deployment.startedAtMs === null ? undefined : uptimeMs(deployment, nowMs);
  const rate = Math.max(0, deployment.hourlyRate);
  const used = costSoFar(deployment, nowMs);
  const minimumChargeUsd = runtimeMs === undefined ? 0 : (rate * minimumRuntimeMinutes) / 60;
  const minimumChargeApplied = runtimeMs !== undefined && minimumChargeUsd > used + CENT;
  return {
    name: instanceLabel(deployment),
    runtimeMs,
    costUsd: minimumChargeApplied ? minimumChargeUsd : used,
    hourlyRate: rate,
    minimumRuntimeMinutes,
    minimumChargeUsd,
    minimumChargeApplied,
  };
}

/** `ran 1h 20m · $3.21 at $2.39/h · the 20-min minimum charge did not apply`. */
export function receiptText(receipt: Receipt): string {
  const runtime =
    receipt.runtimeMs === undefined ? 'never started' : `ran ${formatDuration(receipt.runtimeMs)}`;
  const minimum = receipt.minimumChargeApplied
    ? `billed the ${receipt.minimumRuntimeMinutes}-min minimum charge (${formatUsd(receipt.minimumChargeUsd)})`
    : `the ${receipt.minimumRuntimeMinutes}-min minimum charge did not apply`;
  return `${runtime} · ${formatUsd(receipt.costUsd)} at ${formatRate(receipt.hourlyRate)} · ${minimum}`;
}

/** For the log: one line, every figure. */
export function receiptLogLine(receipt: Receipt, deploymentId: string): string {
  const runtimeHours = receipt.runtimeMs === undefined ? 'n/a' : (receipt.runtimeMs / HOUR_MS).toFixed(4);
  return `Receipt ${receipt.name} (${deploymentId}): runtime_h=${runtimeHours} cost_usd=${receipt.costUsd.toFixed(4)} rate_usd_h=${receipt.hourlyRate} minimum_min=${receipt.minimumRuntimeMinutes} minimum_charge_applied=${receipt.minimumChargeApplied}`;
}
