// Builds the deploy form's `init` data from domain values, so the host panel code only gathers
// inputs. Host-side only (the webview never imports this).
import type { Deployment, Offer, SshKey, Volume } from '../domain/types';
import { minimumRuntimeOf } from './cost';
import type { DeploySubmissionRegistry } from './deploySubmission';
import type { KubernetesAddonFormInit } from './kubernetesAddonForm';
import { suggestDeploymentName, type NamedInstance } from './names';
import type { KeyGenerationPlan } from '../keys/keygen';
import type { LocalKeyMatch } from '../keys/localKeys';
import type { DeployInit, LocalKeyMessage } from '../../shared/deployProtocol';

export function localKeyMessage(match: LocalKeyMatch): LocalKeyMessage {
  const { local, registered } = match;
  return {
    path: local.path,
    type: local.type,
    family: local.family,
    fingerprint: local.fingerprint,
    comment: local.comment,
    publicKey: local.line,
    hasPrivateKey: local.hasPrivateKey,
    registeredKeyId: registered?.id ?? null,
  };
}

/** What the form needs of each instance: its name (duplicate warning) and status (outcome). */
export function namedInstances(deployments: readonly Deployment[]): NamedInstance[] {
  return deployments.map((deployment) => ({
    id: deployment.id,
    name: deployment.name,
    status: deployment.status === 'unknown' ? deployment.rawStatus : deployment.status,
  }));
}

export interface DeployInitInput {
  readonly sessionId: string;
  readonly offer: Offer;
  readonly group: { readonly gpuType: string; readonly displayName: string };
  readonly team: { readonly id: string; readonly name: string };
  /** USD; undefined when it could not be loaded. */
  readonly balance: number | undefined;
  /** What the team burns now (burnRatePerHour, as the status bar). */
  readonly burnPerHour: number;
  readonly keys: readonly SshKey[];
  readonly localKeys: readonly LocalKeyMatch[];
  /** From planKeyGeneration; shown only when there is no local key. */
  readonly keygenPlan: KeyGenerationPlan | undefined;
  readonly volumes: readonly Volume[];
  /** The team's instances as last listed. */
  readonly deployments: readonly Deployment[];
  readonly registry: DeploySubmissionRegistry;
  readonly random?: () => number;
  /** From loadKubernetesAddonFormInit; null or absent when the offer cannot carry the add-on. */
  readonly kubernetesAddon?: KubernetesAddonFormInit | null;
}

export function buildDeployInit(input: DeployInitInput): DeployInit {
  return {
    sessionId: input.sessionId,
    offer: input.offer,
    group: { gpuType: input.group.gpuType, displayName: input.group.displayName },
    team: { id: input.team.id, name: input.team.name },
    balance: input.balance ?? null,
    burnPerHour: Math.max(0, input.burnPerHour),
    minimumRuntimeMinutes: minimumRuntimeOf(input.offer),
    keys: input.keys,
    localKeys: input.localKeys.map(localKeyMessage),
    keygen:
      input.localKeys.length === 0 && input.keygenPlan
        ? { command: input.keygenPlan.displayCommand, keyPath: input.keygenPlan.keyPath }
        : null,
    volumes: input.volumes,
    instances: namedInstances(input.deployments),
    suggestedName: suggestDeploymentName(input.group.gpuType, input.random),
    submitState: input.registry.stateOf(input.sessionId),
    submittedForm: input.registry.formOf(input.sessionId) ?? null,
    kubernetesAddon: input.kubernetesAddon ?? null,
  };
}
