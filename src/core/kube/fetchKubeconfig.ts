// Fetching a cluster's kubeconfig from its node over SSH. The contract does not say where the add-on
// keeps it, so the standard places are tried in order and the answer names the file it came from.
import type { Deployment } from '../domain/types';
import { hasKubernetesAddon, isEnded } from '../model/classify';
import { instanceLabel } from '../model/instances';
import { firstEntryFields, spheronKubeEntryNames, withServer, type SpheronKubeEntry } from './kubeconfig';

/** k3s, kubeadm, then the login user's own; `$HOME` is the remote user's. */
export const KUBECONFIG_PLACES = [
  '/etc/rancher/k3s/k3s.yaml',
  '/etc/kubernetes/admin.conf',
  '$HOME/.kube/config',
] as const;

const HEADER = '@@spheron-kubeconfig ';
export const NO_KUBECONFIG_EXIT = 3;

/** A POSIX sh command printing a header line with the file's path, then the first kubeconfig found. */
export function fetchKubeconfigCommand(): string {
  return [
    `for f in ${KUBECONFIG_PLACES.map((place) => `"${place}"`).join(' ')}; do`,
    `  if [ -r "$f" ]; then printf '%s\\n' "${HEADER}$f"; exec cat "$f"; fi`,
    // Root-only files (k3s writes 0600 by default): only with passwordless sudo, never a prompt.
    `  if [ -e "$f" ] && sudo -n true 2>/dev/null; then printf '%s\\n' "${HEADER}$f"; exec sudo -n cat "$f"; fi`,
    'done',
    `exit ${NO_KUBECONFIG_EXIT}`,
  ].join('\n');
}

export interface FetchedKubeconfig {
  /** Where on the node it was found. */
  readonly path: string;
  readonly text: string;
}

export function parseFetchedKubeconfig(output: string): FetchedKubeconfig | undefined {
  const start = output.indexOf(HEADER);
  if (start < 0) {
    return undefined;
  }
  const lineEnd = output.indexOf('\n', start);
  if (lineEnd < 0) {
    return undefined;
  }
  return { path: output.slice(start + HEADER.length, lineEnd), text: output.slice(lineEnd + 1) };
}

/** The source named for a kubeconfig the API handed out with the deployment. */
export const API_KUBECONFIG_SOURCE = 'the Spheron API (kubernetesAddon.kubeconfig)';

/** The kubeconfig the API reported with the deployment, read like one fetched from the node. */
export function kubeconfigFromApi(
  deployment: Pick<Deployment, 'kubernetesAddon'>,
): FetchedKubeconfig | undefined {
  const text = deployment.kubernetesAddon?.kubeconfig;
  return text === undefined ? undefined : { path: API_KUBECONFIG_SOURCE, text };
}

/** `from the Spheron API`, or `from /etc/rancher/k3s/k3s.yaml on the node`. */
export function kubeconfigSourceText(fetched: FetchedKubeconfig): string {
  return fetched.path === API_KUBECONFIG_SOURCE ? 'from the Spheron API' : `from ${fetched.path} on the node`;
}

/**
 * Why “Add to kubeconfig” cannot work on this instance, in the user's words; undefined when it
 * can. Only Cluster instances with the Kubernetes add-on run a cluster to add.
 */
export function addToKubeconfigRefusal(
  deployment: Pick<Deployment, 'id' | 'name' | 'status' | 'instanceType' | 'kubernetesAddon'>,
): string | undefined {
  const name = instanceLabel(deployment);
  if (!hasKubernetesAddon(deployment)) {
    return deployment.instanceType === 'CLUSTER' || deployment.instanceType === ''
      ? `“${name}” was deployed without the Kubernetes add-on, so it runs no cluster to add to your kubeconfig.`
      : `“${name}” is not a Cluster instance: only Cluster instances with the Kubernetes add-on (Voltage Park H100 SXM5) run a cluster to add to your kubeconfig.`;
  }
  if (isEnded(deployment.status) || deployment.status === 'stopped') {
    return `“${name}” is ${deployment.status === 'terminated-provider' ? 'reclaimed' : deployment.status}; its cluster cannot be reached.`;
  }
  return undefined;
}

/** Our kubeconfig names carry the instance's id, so entries of ended instances can be found. */
export function kubeEntryName(deploymentId: string): string {
  return `spheron-${deploymentId}`;
}

/** The name a loopback server's certificate is checked against; 0.0.0.0 is in no certificate. */
const TLS_NAME_OF_LOOPBACK: Record<string, string> = {
  '127.0.0.1': '127.0.0.1',
  localhost: 'localhost',
  '[::1]': '::1',
};

const LOOPBACK_SERVER = /^(https?:\/\/)(127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\])(:\d+)?(\/.*)?$/;

/**
 * The entry for our kubeconfig from the node's file. A server on the node's loopback (k3s writes
 * `https://127.0.0.1:6443`) is pointed at the instance's address instead.
 */
export function kubeEntryFrom(
  deployment: Pick<Deployment, 'id' | 'ipAddress'>,
  fetched: FetchedKubeconfig,
): { readonly entry: SpheronKubeEntry; readonly server: string | undefined } {
  let clusterLines = firstEntryFields(fetched.text, 'clusters');
  const server = clusterLines
    .find((line) => line.startsWith('server:'))
    ?.slice('server:'.length)
    .trim();
  const loopback = server ? LOOPBACK_SERVER.exec(server) : null;
  let shownServer = server;
  if (loopback && deployment.ipAddress) {
    shownServer = `${loopback[1] ?? 'https://'}${deployment.ipAddress}${loopback[3] ?? ''}${loopback[4] ?? ''}`;
    clusterLines = withServer(clusterLines, shownServer);
    // The node's certificate was good for the loopback name the file used (k3s always lists
    // 127.0.0.1), not always for the public address: kubectl checks it against that name.
    const issuedFor = TLS_NAME_OF_LOOPBACK[loopback[2] ?? ''];
    if (
      issuedFor &&
      !clusterLines.some((line) => /^(tls-server-name|insecure-skip-tls-verify):/.test(line))
    ) {
      clusterLines = [...clusterLines, `tls-server-name: ${issuedFor}`];
    }
  }
  return {
    entry: {
      name: kubeEntryName(deployment.id),
      clusterLines,
      userLines: firstEntryFields(fetched.text, 'users'),
    },
    server: shownServer,
  };
}

/** Our entries whose instance the list shows as ended (other teams' instances are not listed). */
export function endedKubeEntryNames(kubeconfigText: string, deployments: readonly Deployment[]): string[] {
  const ours = new Set(spheronKubeEntryNames(kubeconfigText));
  return deployments
    .filter((deployment) => isEnded(deployment.status))
    .map((deployment) => kubeEntryName(deployment.id))
    .filter((name) => ours.has(name));
}
