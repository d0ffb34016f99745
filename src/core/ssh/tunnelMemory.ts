// What a window remembers of its tunnels (Open Jupyter, Open TensorBoard, the kernel source) so a
// reload brings them back on the same local ports: the pages the editor restores, and the Jupyter
// extension's cached server URL, point at those ports. Stored in the window's workspace state
// (src/vscode/ssh/tunnelMemoryShell.ts).
import * as z from 'zod/mini';
import type { Deployment } from '../domain/types';
import type { TunnelInfo } from './tunnel';
import { isPortNumber } from './validate';

const MAX_REMEMBERED = 32;

const port = z.number().check(z.refine(isPortNumber));
const memoSchema = z.object({
  deploymentId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}$/)),
  label: z.string().check(z.minLength(1), z.maxLength(64)),
  remotePort: port,
  localPort: port,
});
export type TunnelMemo = z.output<typeof memoSchema>;

/** The tunnels worth bringing back: the ones the user still has, not stopped or given up. */
export function tunnelMemos(tunnels: readonly TunnelInfo[]): TunnelMemo[] {
  return tunnels
    .filter((tunnel) => tunnel.state !== 'stopped' && tunnel.state !== 'failed')
    .slice(0, MAX_REMEMBERED)
    .map(({ deploymentId, label, remotePort, localPort }) => ({
      deploymentId,
      label,
      remotePort,
      localPort,
    }));
}

/** The stored list, read as untrusted: entries that do not parse are dropped. */
export function parseTunnelMemos(stored: unknown): TunnelMemo[] {
  if (!Array.isArray(stored)) {
    return [];
  }
  return stored.slice(0, MAX_REMEMBERED).flatMap((entry) => {
    const parsed = memoSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The remembered tunnels whose instance still runs; the rest are forgotten. */
export function tunnelsToRestore(
  memos: readonly TunnelMemo[],
  deployments: readonly Deployment[],
): TunnelMemo[] {
  const running = new Set(
    deployments.filter((deployment) => deployment.status === 'running').map((deployment) => deployment.id),
  );
  return memos.filter((memo) => running.has(memo.deploymentId));
}
