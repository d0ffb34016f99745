// Which instances a volume can be attached to, and the words for when none can. The provider's
// rule is always part of the explanation, so a refusal says what would work.
import type { Deployment, Volume } from '../domain/types';
import { isEnded } from '../model/classify';
import { instanceLabel } from '../model/instances';
import { sameProvider, volumeProviderLabel, volumeProviderRules } from './providerRules';
import { checkAttach } from './volumeRules';

export interface AttachTargets {
  readonly allowed: readonly Deployment[];
  readonly refused: readonly { readonly deployment: Deployment; readonly reason: string }[];
}

export function attachTargets(
  volume: Volume,
  deployments: readonly Deployment[],
  allVolumes: readonly Volume[],
): AttachTargets {
  const names = new Map(deployments.map((deployment) => [deployment.id, instanceLabel(deployment)]));
  const allowed: Deployment[] = [];
  const refused: { deployment: Deployment; reason: string }[] = [];
  for (const deployment of deployments) {
    if (isEnded(deployment.status)) {
      continue;
    }
    const check = checkAttach(
      volume,
      {
        id: deployment.id,
        name: instanceLabel(deployment),
        provider: deployment.provider,
        region: deployment.region,
        status: deployment.status,
      },
      allVolumes,
      (id) => names.get(id),
    );
    if (check.allowed) {
      allowed.push(deployment);
    } else {
      refused.push({ deployment, reason: check.reason });
    }
  }
  return { allowed, refused };
}

/** The provider's rule in one sentence, or a note that the provider has no volumes. */
export function providerRuleSentence(provider: string): string {
  return (
    volumeProviderRules(provider)?.summary ??
    `${volumeProviderLabel(provider)} has no volume rules this extension knows.`
  );
}

/** Why nothing can take the volume: the most telling refusal, then the provider's rule. */
export function noAttachTargetMessage(volume: Volume, targets: AttachTargets): string {
  const rule = providerRuleSentence(volume.provider);
  if (targets.refused.length === 0) {
    return `There is no running instance to attach volume “${volume.name}” to. ${rule}`;
  }
  // A refusal about an instance of the volume's own provider says more than "wrong provider".
  const telling = targets.refused.find((entry) => sameProvider(entry.deployment.provider, volume.provider));
  const reason = (telling ?? targets.refused[0])?.reason ?? '';
  return `No instance can take volume “${volume.name}” now. ${reason} ${rule}`.replace(/\s+/g, ' ').trim();
}

/** Spheron's refusal of an attach or detach, with the rule that probably caused it. */
export function volumeRefusalMessage(
  action: 'attach' | 'detach' | 'delete',
  volume: Volume,
  instanceName: string | undefined,
  serverMessage: string,
): string {
  const target = instanceName ? ` ${action === 'attach' ? 'to' : 'from'} “${instanceName}”` : '';
  const text = serverMessage.trim().replace(/\.$/, '') || 'the request was not accepted';
  const rule = action === 'delete' ? '' : ` ${providerRuleSentence(volume.provider)}`;
  return `Spheron refused to ${action} volume “${volume.name}”${target}: ${text}.${rule}`;
}
