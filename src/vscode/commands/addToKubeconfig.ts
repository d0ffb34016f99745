import * as vscode from 'vscode';
import { addSpheronKubeEntry } from '../../core/kube/kubeconfig';
import { kubeconfigBackupPath, updateKubeconfig } from '../../core/kube/kubeconfigFile';
import {
  addToKubeconfigRefusal,
  fetchKubeconfigCommand,
  KUBECONFIG_PLACES,
  kubeEntryFrom,
  parseFetchedKubeconfig,
} from '../../core/kube/fetchKubeconfig';
import { instanceLabel } from '../../core/model/instances';
import { nodeFileSystem } from '../../core/ssh/fileSystem';
import { userKubeconfigPath } from '../../core/kube/kubeconfigSync';
import { prepareSsh } from '../ssh/prepare';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

export interface AddToKubeconfigResult {
  readonly context: string;
  /** Where on the node the kubeconfig was found. */
  readonly source: string;
  readonly kubeconfig: string;
}

/**
 * Fetches the cluster's kubeconfig from the node over SSH and merges it into ~/.kube/config as its
 * own context (`spheron-<id>`), removed again when the instance ends.
 */
export const addToKubeconfigCommand: SpheronCommand = {
  id: 'spheron.instance.addToKubeconfig',
  title: 'Add to kubeconfig',
  async run(services, arg?: unknown): Promise<AddToKubeconfigResult | undefined> {
    const chosen = await resolveDeployment(services, arg, {
      title: 'Add to kubeconfig',
      accept: (deployment) => addToKubeconfigRefusal(deployment) === undefined,
    });
    if (!chosen) {
      return undefined;
    }
    // A link, the palette with an id, or a stale row can still name an instance without a cluster.
    const refusal = addToKubeconfigRefusal(chosen);
    if (refusal !== undefined) {
      services.logger.info(`Add to kubeconfig refused: ${refusal}`);
      void vscode.window.showWarningMessage(refusal);
      return undefined;
    }
    const { deployment, host } = await prepareSsh(services, chosen);
    const name = instanceLabel(deployment);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Fetching the kubeconfig from “${name}”` },
      () => services.ssh.runRemote(host, fetchKubeconfigCommand()),
    );
    const fetched = result.exitCode === 0 ? parseFetchedKubeconfig(result.stdout) : undefined;
    if (!fetched) {
      throw new Error(
        `No kubeconfig on “${name}” in ${KUBECONFIG_PLACES.join(', ')}${result.stderr.trim() ? ` (${result.stderr.trim().split('\n')[0] ?? ''})` : ''}. Is the Kubernetes add-on running there?`,
      );
    }
    const { entry, server } = kubeEntryFrom(deployment, fetched);
    const kubeconfig = userKubeconfigPath(services.ssh.homeDir);
    const changed = await updateKubeconfig(nodeFileSystem, kubeconfig, (text) =>
      addSpheronKubeEntry(text, entry),
    );
    services.logger.info(
      `Added context ${entry.name} (${server ?? 'no server'}) to ${kubeconfig} from ${fetched.path} on ${name}`,
    );
    void vscode.window.showInformationMessage(
      `Added context “${entry.name}” for “${name}” to ${kubeconfig}, from ${fetched.path} on the node${changed ? ` (previous file kept as ${kubeconfigBackupPath(kubeconfig)})` : ''}. It is removed when the instance ends.`,
    );
    return { context: entry.name, source: fetched.path, kubeconfig };
  },
};
