// Tunnels that outlive a window reload: each change of this window's tunnels is remembered in its
// workspace state, and the next start of the window opens them again on the same local ports.
import type * as vscode from 'vscode';
import { instanceLabel } from '../../core/model/instances';
import { parseTunnelMemos, tunnelMemos, tunnelsToRestore } from '../../core/ssh/tunnelMemory';
import type { Services } from '../services';
import { sshHostFor } from './prepare';
import type { SshService } from './sshService';
import { TUNNEL_MEMORY_KEY } from './tunnelMemoryShell';

/** Keeps the window's tunnel list in its workspace state; a closing window leaves it as it was. */
export function rememberTunnels(ssh: SshService, workspaceState: vscode.Memento): vscode.Disposable {
  let written = JSON.stringify(parseTunnelMemos(workspaceState.get(TUNNEL_MEMORY_KEY)));
  return ssh.onDidChangeTunnels(() => {
    if (ssh.isDisposed) {
      return;
    }
    const memos = tunnelMemos(ssh.tunnelList());
    const text = JSON.stringify(memos);
    if (text !== written) {
      written = text;
      void workspaceState.update(TUNNEL_MEMORY_KEY, memos);
    }
  });
}

/**
 * Opens the remembered tunnels of instances that still run, each on its old local port when that
 * is free. Failures are logged, not shown: the user did not ask for anything just now.
 */
export async function restoreTunnels(services: Services): Promise<void> {
  const memos = parseTunnelMemos(services.context.workspaceState.get(TUNNEL_MEMORY_KEY));
  if (memos.length === 0 || !(await services.session.state()).signedIn) {
    return;
  }
  await services.data.deployments.refresh();
  const deployments = services.data.deployments.state.value;
  if (!deployments) {
    services.logger.warn('Tunnels not restored: the instance list could not be loaded');
    return;
  }
  for (const memo of tunnelsToRestore(memos, deployments)) {
    const deployment = deployments.find((candidate) => candidate.id === memo.deploymentId);
    if (!deployment) {
      continue;
    }
    const name = instanceLabel(deployment);
    try {
      const host = await sshHostFor(services, deployment);
      const tunnel = await services.ssh.openTunnel(
        host,
        memo.label,
        memo.remotePort,
        undefined,
        memo.localPort,
      );
      services.logger.info(`Restored the ${memo.label} tunnel of ${name} on 127.0.0.1:${tunnel.localPort}`);
    } catch (error) {
      services.logger.warn(
        `Could not restore the ${memo.label} tunnel of ${name}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
