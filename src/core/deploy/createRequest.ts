// The create body. The six offer-coupled fields come from ONE offer entry, verbatim (contract
// §4.3): mixing fields of two offers makes the API reject the request or deploy the wrong thing.
import type { CloudInit, CreateDeploymentRequest, Offer } from '../domain/types';
import type { DeployFieldErrors, ValidDeployForm } from './deployForm';
import { kubernetesAddonRequest, type KubernetesAddonChoice } from './kubernetesAddon';

export class InvalidDeployFormError extends Error {
  constructor(readonly fieldErrors: DeployFieldErrors) {
    super(Object.values(fieldErrors).join(' '));
    this.name = 'InvalidDeployFormError';
  }
}

/**
 * The create body for a valid form. `kubernetesAddon` adds the add-on; it throws
 * KubernetesAddonError unless the offer is a cluster offer that carries it.
 */
export function buildCreateDeploymentRequest(
  offer: Offer,
  groupGpuType: string,
  form: ValidDeployForm,
  teamId: string,
  kubernetesAddon?: KubernetesAddonChoice,
): CreateDeploymentRequest {
  const errors: DeployFieldErrors = {};
  if (!offer.regions.includes(form.region)) {
    errors.region = 'This offer is not available in that region.';
  }
  if (!offer.osOptions.includes(form.operatingSystem)) {
    errors.operatingSystem = 'This offer does not provide that operating system.';
  }
  if (form.startup && !offer.supportsCloudInit) {
    errors.startupScript = 'This offer does not run startup scripts.';
  }
  if (groupGpuType === '' || (offer.gpuType !== '' && offer.gpuType !== groupGpuType)) {
    errors.form = 'The offer does not belong to this GPU group. Reopen the form from the offer list.';
  }
  if (teamId === '') {
    errors.form = 'No team is selected.';
  }
  if (Object.keys(errors).length > 0) {
    throw new InvalidDeployFormError(errors);
  }
  const addon = kubernetesAddon ? kubernetesAddonRequest(offer, kubernetesAddon) : undefined;
  const cloudInit: CloudInit | undefined = form.startup
    ? {
        ...(form.startup.packages.length > 0 ? { packages: [...form.startup.packages] } : {}),
        ...(form.startup.runcmd.length > 0 ? { runcmd: [...form.startup.runcmd] } : {}),
      }
    : undefined;
  return {
    provider: offer.provider,
    offerId: offer.offerId,
    gpuType: groupGpuType,
    gpuCount: offer.gpuCount,
    region: form.region,
    operatingSystem: form.operatingSystem,
    instanceType: offer.instanceType,
    teamId,
    name: form.name,
    ...(form.sshKey.kind === 'registered'
      ? { sshKeyId: form.sshKey.keyId }
      : { sshPublicKey: form.sshKey.publicKey }),
    ...(cloudInit ? { cloudInit } : {}),
    ...(form.volumeIds.length > 0 ? { volumeIds: [...form.volumeIds] } : {}),
    ...(addon ? { kubernetesAddon: addon } : {}),
  };
}
