import * as vscode from 'vscode';
import { addSpheronKubeEntry } from '../../core/kube/kubeconfig';
import { kubeconfigBackupPath, updateKubeconfig } from '../../core/kube/kubeconfigFile';
import type { Deployment } from '../../core/domain/types';
import {
  addToKubeconfigRefusal,
  fetchKubeconfigCommand,
  KUBECONFIG_PLACES,
  kubeconfigFromApi,
  kubeconfigSourceText,
  kubeEntryFrom,
  parseFetchedKubeconfig,
  type FetchedKubeconfig,
} from '../../core/kube/fetchKubeconfig';
import { instanceLabel } from '../../core/model/instances';
import { nodeFileSystem } from '../../core/ssh/fileSystem';
import { userKubeconfigPath } from '../../core/kube/kubeconfigSync';
import { prepareSsh } from '../ssh/prepare';
import { resolveDeployment } from './instanceArgs';
import type { Services } from '../services';
import type { SpheronCommand } from './types';

export interface AddToKubeconfigResult {
  readonly context: string;
  /** Where on the node the kubeconfig was found, or API_KUBECONFIG_SOURCE. */
  readonly source: string;
  readonly kubeconfig: string;
}

/**
 * The cluster's kubeconfig: the one the API hands out with the deployment when it does (no SSH
 * needed), otherwise the first one found in the standard places on the node, over SSH.
 */
async function clusterKubeconfig(
  services: Services,
  chosen: Deployment,
): Promise<{ deployment: Deployment; fetched: FetchedKubeconfig }> {
  const listed = kubeconfigFromApi(chosen);
  if (listed) {
    return { deployment: chosen, fetched: listed };
  }
  // The list may leave out what the instance's own answer carries.
  const latest = await services.session.api.getDeployment(chosen.id);
  const fromApi = kubeconfigFromApi(latest);
  if (fromApi) {
    return { deployment: latest, fetched: fromApi };
  }
  const { deployment, host } = await prepareSsh(services, latest);
  const name = instanceLabel(deployment);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Fetching the kubeconfig from “${name}”` },
    () => services.ssh.runRemote(host, fetchKubeconfigCommand()),
  );
  const fetched = result.exitCode === 0 ? parseFetchedKubeconfig(result.stdout) : undefined;
  if (!fetched) {
    throw new Error(
      `No kubeconfig on “${name}” in ${KUBECONFIG_PLACES.join(', ')}${result.stderr.trim() ? ` (${result.stderr.trim().split('\n')[0] ?? ''})` : ''}, and Spheron's API gave none. Is the Kubernetes add-on running there?`,
    );
  }
  return { deployment, fetched };
}

/**
 * Merges the cluster's kubeconfig (from the API, or from the node over SSH) into ~/.kube/config as
 * its own context (`spheron-<id>`), removed again when the instance ends.
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
    const { deployment, fetched } = await clusterKubeconfig(services, chosen);
    const name = instanceLabel(deployment);
    const { entry, server } = kubeEntryFrom(deployment, fetched);
    const kubeconfig = userKubeconfigPath(services.ssh.homeDir);
    const changed = await updateKubeconfig(nodeFileSystem, kubeconfig, (text) =>
      addSpheronKubeEntry(text, entry),
    );
    services.logger.info(
      `Added context ${entry.name} (${server ?? 'no server'}) for ${name} to ${kubeconfig}, ${kubeconfigSourceText(fetched)}`,
    );
    void vscode.window.showInformationMessage(
      `Added context “${entry.name}” for “${name}” to ${kubeconfig}, ${kubeconfigSourceText(fetched)}${changed ? ` (previous file kept as ${kubeconfigBackupPath(kubeconfig)})` : ''}. It is removed when the instance ends.`,
    );
    return { context: entry.name, source: fetched.path, kubeconfig };
  },
};
