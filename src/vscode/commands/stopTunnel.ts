import type { ModelNode } from '../../core/model/nodes';
import type { SpheronCommand } from './types';

export const stopTunnelCommand: SpheronCommand = {
  id: 'spheron.tunnel.stop',
  title: 'Stop Port Forwarding',
  async run(services, arg?: unknown) {
    const node = arg as ModelNode | undefined;
    if (node?.kind !== 'tunnel') {
      return;
    }
    const manager = services.ssh.tunnels();
    const tunnel = manager
      .list()
      .find(
        (entry) => entry.deploymentId === node.deploymentId && entry.remotePort === node.tunnel.remotePort,
      );
    if (tunnel) {
      await manager.stop(tunnel.id);
    }
  },
};
