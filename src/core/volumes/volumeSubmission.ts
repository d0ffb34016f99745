// Exactly-once volume creation: the same discipline as deployments (core/forms/exactlyOnce.ts),
// because a volume also bills by the hour from the moment it exists.
import type { CreateVolumeRequest, Volume, VolumeRegions } from '../domain/types';
import type { RequestOptions, SpheronApi } from '../api/spheronApi';
import { ExactlyOnceSubmission, SubmissionRegistry } from '../forms/exactlyOnce';
import type { CreateStrategy, SubmissionOptions, SubmitState } from '../forms/exactlyOnce';
import { submitOnce } from '../forms/formSubmit';
import { buildCreateVolumeRequest, validateVolumeForm } from './volumeForm';
import type { VolumeField, VolumeFormValues } from './volumeForm';
import { sameProvider } from './providerRules';

export type VolumeApi = Pick<SpheronApi, 'createVolume' | 'listVolumes'>;

export interface VolumeSubmissionOptions extends SubmissionOptions {
  readonly api: VolumeApi;
  readonly createOptions?: RequestOptions;
  /** See DeploySubmissionOptions.clockSkewMs. */
  readonly clockSkewMs?: number;
}

const FIELD_HINTS: readonly (readonly [RegExp, VolumeField])[] = [
  [/region/i, 'region'],
  [/size|gb\b|capacity/i, 'sizeGb'],
  [/provider/i, 'provider'],
  [/name/i, 'name'],
];

export function volumeFieldErrorsFor(serverMessage: string): Partial<Record<VolumeField, string>> {
  const hit = FIELD_HINTS.find(([pattern]) => pattern.test(serverMessage));
  return hit ? { [hit[1]]: serverMessage } : {};
}

export function volumeStrategy(
  options: VolumeSubmissionOptions,
): CreateStrategy<CreateVolumeRequest, Volume> {
  const skewMs = options.clockSkewMs ?? 2 * 60_000;
  return {
    noun: 'volume',
    create: (request) => options.api.createVolume(request, options.createOptions),
    list: () => options.api.listVolumes(),
    idOf: (volume) => volume.id,
    nameOf: (volume) => volume.name,
    matches: (volume, request, startedAtMs) =>
      volume.name === request.name &&
      sameProvider(volume.provider, request.provider) &&
      (request.region === undefined || volume.region === null || volume.region === request.region) &&
      volume.sizeGb === request.sizeGb &&
      (volume.createdAtMs === null || volume.createdAtMs >= startedAtMs - skewMs),
    listTeam: () => options.api.listVolumes(),
    listedOf: (volume) => ({ name: volume.name, createdAtMs: volume.createdAtMs }),
    teamOf: (request) => request.teamId ?? '',
    requestName: (request) => request.name,
    fieldErrorsFor: volumeFieldErrorsFor,
  };
}

export class VolumeSubmission extends ExactlyOnceSubmission<CreateVolumeRequest, Volume> {
  constructor(options: VolumeSubmissionOptions) {
    super(volumeStrategy(options), options);
  }
}

export type VolumeSubmissionRegistry = SubmissionRegistry<CreateVolumeRequest, Volume, VolumeFormValues>;

export function createVolumeSubmissionRegistry(options: VolumeSubmissionOptions): VolumeSubmissionRegistry {
  return new SubmissionRegistry(volumeStrategy(options), options);
}

export interface VolumeFormSubmit {
  readonly registry: VolumeSubmissionRegistry;
  readonly api: VolumeApi;
  readonly sessionId: string;
  readonly form: VolumeFormValues;
  /** `/api/volumes/regions` for the form's provider. */
  readonly regions: VolumeRegions | undefined;
  readonly teamId: string | undefined;
}

/** The host's whole `createVolume` / `retryAfterUnconfirmed`; see submitDeployForm. */
export async function submitVolumeForm(
  input: VolumeFormSubmit,
  mode: 'submit' | 'retry' = 'submit',
): Promise<SubmitState> {
  return submitOnce(input, mode, {
    validate: () => validateVolumeForm(input.form, { regions: input.regions }),
    invalidMessage: 'Some fields need attention before creating the volume.',
    build: (value) => buildCreateVolumeRequest(value, input.teamId),
    knownIds: async () => (await input.api.listVolumes()).map((volume) => volume.id),
  });
}
