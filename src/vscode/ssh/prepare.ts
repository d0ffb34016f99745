import * as vscode from 'vscode';
import type { Deployment } from '../../core/domain/types';
import { isEnded } from '../../core/model/classify';
import { instanceLabel } from '../../core/model/instances';
import type { SshHost } from '../../core/ssh/hostBlocks';
import { signalFromToken } from '../cancellation';
import type { Services } from '../services';

/** The API manual asks for no polling faster than every 10 s. */
const WAIT_POLL_MS = 10_000;

export class InstanceNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstanceNotReadyError';
  }
}

function sleep(ms: number, token: vscode.CancellationToken): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      resolve();
    }, ms);
    const listener = token.onCancellationRequested(() => {
      clearTimeout(timer);
      reject(new vscode.CancellationError());
    });
  });
}

/** Waits (with a cancellable progress notification) until the instance is running. */
export async function waitUntilRunning(services: Services, deployment: Deployment): Promise<Deployment> {
  if (deployment.status === 'running') {
    return deployment;
  }
  if (isEnded(deployment.status) || deployment.status === 'stopped' || deployment.status === 'unknown') {
    throw new InstanceNotReadyError(
      `“${instanceLabel(deployment)}” is ${deployment.status === 'unknown' ? `in an unknown state (${deployment.rawStatus})` : deployment.status}; only running instances accept SSH.`,
    );
  }
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Waiting for “${instanceLabel(deployment)}” to start`,
      cancellable: true,
    },
    async (progress, token) => {
      let current = deployment;
      for (;;) {
        progress.report({ message: `${current.status}…` });
        await sleep(WAIT_POLL_MS, token);
        current = await services.session.api.getDeployment(current.id, { signal: signalFromToken(token) });
        if (current.status === 'running') {
          await services.explorer.refresh('instances');
          return current;
        }
        if (current.status !== 'deploying') {
          throw new InstanceNotReadyError(
            `“${instanceLabel(current)}” became ${current.status} instead of running.`,
          );
        }
      }
    },
  );
}

/** Syncs our SSH config with the latest instance list and returns the instance's host entry. */
export async function sshHostFor(services: Services, deployment: Deployment): Promise<SshHost> {
  if (!services.settings().sshManageConfig) {
    throw new InstanceNotReadyError(
      'Spheron does not manage SSH config entries (setting spheron.ssh.manageConfig is off), so there is no host to connect to.',
    );
  }
  await services.data.deployments.refresh();
  const list = services.data.deployments.state.value ?? [];
  const merged = list.some((entry) => entry.id === deployment.id) ? list : [...list, deployment];
  const result = await services.ssh.sync(merged, {
    fetchedAtMs: services.data.deployments.state.fetchedAtMs,
  });
  const host = services.ssh.hostFor(deployment.id);
  if (!host) {
    const skipped = result?.skipped.find((entry) => entry.deploymentId === deployment.id);
    throw new InstanceNotReadyError(
      skipped
        ? `No SSH entry for “${instanceLabel(deployment)}”: ${skipped.reason}`
        : `No SSH entry for “${instanceLabel(deployment)}” yet: the API has not reported its address.`,
    );
  }
  return host;
}

/** Running, synced, and its host entry: what every SSH action starts from. */
export async function prepareSsh(
  services: Services,
  deployment: Deployment,
): Promise<{ deployment: Deployment; host: SshHost }> {
  const running = await waitUntilRunning(services, deployment);
  return { deployment: running, host: await sshHostFor(services, running) };
}
