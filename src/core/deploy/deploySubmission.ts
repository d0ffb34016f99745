// Exactly-once deployment creation (see exactlyOnce.ts), wired to the Spheron API.
import type { CreateDeploymentRequest, Deployment, Offer, Volume } from '../domain/types';
import type { RequestOptions, SpheronApi } from '../api/spheronApi';
import { sameProvider } from '../volumes/providerRules';
import { buildCreateDeploymentRequest } from './createRequest';
import { KubernetesAddonError, type KubernetesAddonChoice } from './kubernetesAddon';
import { validateDeployForm } from './deployForm';
import type { DeployField, DeployFormValues } from './deployForm';
import { ExactlyOnceSubmission, SubmissionRegistry } from '../forms/exactlyOnce';
import type { Clock, CreateStrategy, SubmissionOptions, SubmitState } from '../forms/exactlyOnce';
import { submitOnce } from '../forms/formSubmit';

export type DeployApi = Pick<SpheronApi, 'createDeployment' | 'listDeployments'>;

export interface DeploySubmissionOptions extends SubmissionOptions {
  readonly api: DeployApi;
  readonly clock?: Clock;
  /**
   * How much earlier than our submit time a deployment's `createdAt` may be and still count as
   * ours: our clock and Spheron's disagree a little.
   */
  readonly clockSkewMs?: number;
  /** Passed to the create request (overrides the client's per-request timeout). */
  readonly createOptions?: RequestOptions;
}

export const DEFAULT_CLOCK_SKEW_MS = 2 * 60_000;

/**
 * `voltage-park` matches `voltage-park`, an id-suffixed `voltage-park-…` (contract §4.5) and the old
 * spelling `voltagepark`: the live API lists offers as `datacrunch` and deployments as
 * `data-crunch`, so a create from such an offer must still find its deployment.
 */
function sameProviderSlug(reported: string, requested: string): boolean {
  const a = reported.toLowerCase();
  const b = requested.toLowerCase();
  return a === b || a.startsWith(`${b}-`) || sameProvider(a, b);
}

// First match wins: the add-on's words before "cluster" (a word of region messages too).
const FIELD_HINTS: readonly (readonly [RegExp, DeployField])[] = [
  [/authentication|oidc|\bjwt\b|issuer/i, 'kubernetesAuthentication'],
  [/kubernetes|\bk8s\b/i, 'kubernetesAddon'],
  // A volume's message often names its region: it is about the volume.
  [/volume/i, 'volumeIds'],
  [/region|cluster/i, 'region'],
  [/operating ?system|\bos\b|image/i, 'operatingSystem'],
  [/ssh|public key|\bkey\b/i, 'sshKey'],
  [/cloud-?init|startup|runcmd|package/i, 'startupScript'],
  [/\bname\b/i, 'name'],
];

/** Puts a 400's words next to the field they are about; the message also shows at the top. */
export function deployFieldErrorsFor(serverMessage: string): Partial<Record<DeployField, string>> {
  const hit = FIELD_HINTS.find(([pattern]) => pattern.test(serverMessage));
  return hit ? { [hit[1]]: serverMessage } : {};
}

export function deploymentStrategy(
  options: Pick<DeploySubmissionOptions, 'api' | 'clockSkewMs' | 'createOptions'>,
): CreateStrategy<CreateDeploymentRequest, Deployment> {
  const skewMs = options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
  return {
    noun: 'deployment',
    create: (request) => options.api.createDeployment(request, options.createOptions),
    list: (request) => options.api.listDeployments({ teamId: request.teamId }),
    idOf: (deployment) => deployment.id,
    nameOf: (deployment, request) => deployment.name ?? request.name ?? deployment.id,
    matches: (deployment, request, startedAtMs) =>
      (request.name === undefined || deployment.name === request.name) &&
      sameProviderSlug(deployment.provider, request.provider) &&
      deployment.region === request.region &&
      (deployment.offerId === null || deployment.offerId === request.offerId) &&
      (deployment.createdAtMs === null || deployment.createdAtMs >= startedAtMs - skewMs),
    listTeam: (teamId) => options.api.listDeployments({ teamId }),
    listedOf: (deployment) => ({ name: deployment.name, createdAtMs: deployment.createdAtMs }),
    teamOf: (request) => request.teamId,
    requestName: (request) => request.name ?? request.offerId,
    fieldErrorsFor: deployFieldErrorsFor,
  };
}

/** One form session's deployment create. */
export class DeploySubmission extends ExactlyOnceSubmission<CreateDeploymentRequest, Deployment> {
  constructor(options: DeploySubmissionOptions) {
    super(deploymentStrategy(options), options);
  }
}

export type DeploySubmissionRegistry = SubmissionRegistry<
  CreateDeploymentRequest,
  Deployment,
  DeployFormValues
>;

export function createDeploySubmissionRegistry(options: DeploySubmissionOptions): DeploySubmissionRegistry {
  return new SubmissionRegistry(deploymentStrategy(options), options);
}

export interface DeployFormSubmit {
  readonly registry: DeploySubmissionRegistry;
  readonly api: DeployApi;
  readonly sessionId: string;
  readonly form: DeployFormValues;
  readonly offer: Offer;
  /** The group's gpuType (sent verbatim). */
  readonly groupGpuType: string;
  readonly teamId: string;
  readonly registeredKeyIds: readonly string[];
  readonly volumes: readonly Volume[];
  /** The Kubernetes add-on, for a cluster offer that carries it. */
  readonly kubernetesAddon?: KubernetesAddonChoice;
}

/**
 * The host's whole `submitDeploy` (mode `submit`) or `retryAfterUnconfirmed` (mode `retry`):
 * validates the form again with the same rules as the webview, builds the body from the one
 * offer, snapshots the team's deployment ids and submits through the registry. Invalid input
 * answers `failed` with field errors and sends nothing.
 */
export async function submitDeployForm(
  input: DeployFormSubmit,
  mode: 'submit' | 'retry' = 'submit',
): Promise<SubmitState> {
  return submitOnce(input, mode, {
    validate: () =>
      validateDeployForm(input.form, {
        offer: input.offer,
        registeredKeyIds: input.registeredKeyIds,
        volumes: input.volumes,
      }),
    invalidMessage: 'Some fields need attention before deploying.',
    build: (value) =>
      buildCreateDeploymentRequest(
        input.offer,
        input.groupGpuType,
        value,
        input.teamId,
        input.kubernetesAddon,
      ),
    refusal: (error) => (error instanceof KubernetesAddonError ? error.message : undefined),
    knownIds: async () =>
      (await input.api.listDeployments({ teamId: input.teamId })).map((deployment) => deployment.id),
  });
}
