// The create-volume form's `init`: the providers it offers with their rules, their regions, and
// what the session already submitted.
import type { VolumeRegions } from '../domain/types';
import type { VolumeInit } from '../../shared/volumeProtocol';
import { isKnownVolumeProvider, volumeProviderRules } from './providerRules';
import type { VolumeSubmissionRegistry } from './volumeSubmission';

export interface VolumeInitInput {
  readonly sessionId: string;
  readonly team: { readonly id: string; readonly name: string } | undefined;
  /**
   * `/api/volumes/regions` per provider the form should offer (`regions: null` with an error when
   * loading failed). Offer voltage-park and data-crunch: sesterce also needs a `cloudId`, which this
   * form does not ask for.
   */
  readonly regions: readonly {
    readonly provider: string;
    readonly regions: VolumeRegions | null;
    readonly error?: string;
  }[];
  readonly defaultProvider?: string;
  readonly registry: VolumeSubmissionRegistry;
}

export function buildVolumeInit(input: VolumeInitInput): VolumeInit {
  return {
    sessionId: input.sessionId,
    team: input.team ? { id: input.team.id, name: input.team.name } : null,
    // The providers offered are those whose regions the host loaded, in that order.
    providers: input.regions
      .map((entry) => entry.provider)
      .filter(isKnownVolumeProvider)
      .map((id) => {
        const rules = volumeProviderRules(id);
        return { id, label: rules?.label ?? id, summary: rules?.summary ?? '' };
      }),
    regions: input.regions.map((entry) =>
      entry.error === undefined
        ? { provider: entry.provider, regions: entry.regions }
        : { provider: entry.provider, regions: entry.regions, error: entry.error },
    ),
    ...(input.defaultProvider ? { defaultProvider: input.defaultProvider } : {}),
    submitState: input.registry.stateOf(input.sessionId),
    submittedForm: input.registry.formOf(input.sessionId) ?? null,
  };
}
