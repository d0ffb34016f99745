// Our contexts in the user's kubeconfig, kept in step with the instance list.
import { join } from 'node:path';
import type { Deployment } from '../domain/types';
import type { Logger } from '../util/logger';
import type { SshFileSystem } from '../ssh/fileSystem';
import { endedKubeEntryNames } from './fetchKubeconfig';
import { removeSpheronKubeEntry } from './kubeconfig';
import { updateKubeconfig } from './kubeconfigFile';

/** Where our contexts go: `~/.kube/config`, where kubectl and the Kubernetes extension look. */
export function userKubeconfigPath(homeDir: string): string {
  return join(homeDir, '.kube', 'config');
}

/** Removes the contexts of instances the list shows as ended; no write when there are none. */
export async function pruneEndedKubeEntries(
  fs: SshFileSystem,
  homeDir: string,
  deployments: readonly Deployment[],
  logger: Logger,
): Promise<string[]> {
  const path = userKubeconfigPath(homeDir);
  let removed: string[] = [];
  await updateKubeconfig(fs, path, (text) => {
    removed = endedKubeEntryNames(text, deployments);
    return removed.reduce((current, name) => removeSpheronKubeEntry(current, name), text);
  });
  if (removed.length > 0) {
    logger.info(`Removed ${removed.join(', ')} from ${path}: the instance ended`);
  }
  return removed;
}
