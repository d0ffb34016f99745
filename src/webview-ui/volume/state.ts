// The create-volume form's state and derived view, as pure functions (no DOM).
import type * as z from 'zod/mini';
import type { VolumeRegions } from '../../core/domain/types';
import { formatRate, formatUsd } from '../../core/model/format';
import { volumeProviderRules } from '../../core/volumes/providerRules';
import {
  pricedRegion,
  sizeFits,
  sizeLimits,
  validateVolumeForm,
  volumePrice,
  volumeRegionLabel,
} from '../../core/volumes/volumeForm';
import type { VolumeField, VolumeFieldErrors, VolumeFormValues } from '../../core/volumes/volumeForm';
import { volumeFormSchema } from '../../shared/volumeProtocol';
import type { ProviderRegionsMessage, VolumeInit } from '../../shared/volumeProtocol';
import * as formState from '../shared/formState';
import type { SubmitAction, SubmitBarView, SubmitSlice } from '../shared/formState';

export const persistedVolumeStateSchema = formState.persistedFormStateSchema(volumeFormSchema);
export type PersistedVolumeState = z.output<typeof persistedVolumeStateSchema>;

export interface VolumeState extends SubmitSlice<VolumeField> {
  readonly init: VolumeInit | undefined;
  readonly form: VolumeFormValues;
  /** Providers whose regions are being (re)loaded. */
  readonly loadingRegions: ReadonlySet<string>;
}

export type VolumeAction =
  | { readonly type: 'init'; readonly init: VolumeInit; readonly saved: PersistedVolumeState | undefined }
  | { readonly type: 'regions'; readonly entries: readonly ProviderRegionsMessage[] }
  | { readonly type: 'regionsLoading'; readonly provider: string }
  | { readonly type: 'edit'; readonly patch: Partial<VolumeFormValues> }
  | SubmitAction;

const VOLUME_FIELDS: readonly VolumeField[] = ['name', 'provider', 'region', 'sizeGb'];
/** A starting size when the provider's limits allow it. */
const DEFAULT_SIZE_GB = 100;

export function emptyVolumeState(): VolumeState {
  return {
    init: undefined,
    form: { name: '', provider: '', region: '', sizeGb: '' },
    ...formState.emptySubmitSlice<VolumeField>(),
    loadingRegions: new Set(),
  };
}

export function regionsFor(
  init: VolumeInit | undefined,
  provider: string,
): ProviderRegionsMessage | undefined {
  return init?.regions.find((entry) => entry.provider === provider);
}

/** Region and size to start with for a provider: its first region, 100 GB clamped to the limits. */
export function defaultsForProvider(
  provider: string,
  regions: VolumeRegions | null | undefined,
): Pick<VolumeFormValues, 'region' | 'sizeGb'> {
  const first = regions?.regions[0];
  const region = first ? first.id : '';
  const limits = sizeLimits({ name: '', provider, region, sizeGb: '' }, regions ?? undefined);
  const size = Math.min(limits.max, Math.max(limits.min, DEFAULT_SIZE_GB));
  return { region, sizeGb: String(size) };
}

function locked(state: VolumeState): boolean {
  return formState.isFormLocked(state.submit, state.sending);
}

function isVolumeField(value: string): value is VolumeField {
  return (VOLUME_FIELDS as readonly string[]).includes(value);
}

function mergeRegions(
  current: readonly ProviderRegionsMessage[],
  entries: readonly ProviderRegionsMessage[],
): ProviderRegionsMessage[] {
  const byProvider = new Map(current.map((entry) => [entry.provider, entry]));
  for (const entry of entries) {
    byProvider.set(entry.provider, entry);
  }
  return [...byProvider.values()];
}

export function volumeReducer(state: VolumeState, action: VolumeAction): VolumeState {
  switch (action.type) {
    case 'init': {
      const { init, saved } = action;
      const { form, touched } = formState.startingValues(init, saved, isVolumeField, () => {
        const provider = init.defaultProvider ?? init.providers[0]?.id ?? '';
        return { name: '', provider, ...defaultsForProvider(provider, regionsFor(init, provider)?.regions) };
      });
      return { ...emptyVolumeState(), ...formState.submitSliceOf(init.submitState, touched), init, form };
    }
    case 'regions': {
      if (!state.init) {
        return state;
      }
      const init = { ...state.init, regions: mergeRegions(state.init.regions, action.entries) };
      const loadingRegions = new Set(state.loadingRegions);
      for (const entry of action.entries) {
        loadingRegions.delete(entry.provider);
      }
      let form = state.form;
      const mine = action.entries.find((entry) => entry.provider === form.provider);
      if (mine?.regions && !locked(state)) {
        const defaults = defaultsForProvider(form.provider, mine.regions);
        form = { ...form, region: form.region || defaults.region, sizeGb: form.sizeGb || defaults.sizeGb };
      }
      return { ...state, init, form, loadingRegions };
    }
    case 'regionsLoading':
      return { ...state, loadingRegions: new Set([...state.loadingRegions, action.provider]) };
    case 'edit': {
      if (locked(state)) {
        return state;
      }
      let patch = action.patch;
      if (patch.provider !== undefined && patch.provider !== state.form.provider) {
        // A new provider has other regions and limits: start from its defaults, but keep a size
        // the user chose while the new provider allows it.
        const regions = regionsFor(state.init, patch.provider)?.regions ?? undefined;
        const defaults = defaultsForProvider(patch.provider, regions);
        const limits = sizeLimits({ ...state.form, ...defaults, provider: patch.provider }, regions);
        const sizeGb = sizeFits(state.form.sizeGb, limits) ? state.form.sizeGb.trim() : defaults.sizeGb;
        patch = { ...defaults, sizeGb, ...patch };
      }
      const touched = formState.touchFields(state, Object.keys(action.patch) as VolumeField[]);
      return { ...state, form: { ...state.form, ...patch }, ...touched };
    }
    case 'sendSubmit':
    case 'submitState':
    case 'requestFailed':
      return formState.reduceSubmit(state, action);
  }
}

export function persistedVolumeState(state: VolumeState): PersistedVolumeState | undefined {
  return formState.persistedFormState(state.init?.sessionId, state);
}

export interface VolumeView extends SubmitBarView {
  readonly ready: boolean;
  readonly form: VolumeFormValues;
  readonly locked: boolean;
  readonly providerOptions: readonly { value: string; label: string }[];
  readonly regionOptions: readonly { value: string; label: string }[];
  readonly regionRequired: boolean;
  readonly regionsError: string | undefined;
  readonly regionsLoading: boolean;
  readonly sizeHelp: string;
  readonly providerRules: string;
  readonly fieldErrors: VolumeFieldErrors;
  readonly formError: string | undefined;
  readonly pricePerHour: string;
  readonly pricePerMonth: string;
  readonly rateNote: string;
  readonly createEnabled: boolean;
}

export function deriveVolumeView(state: VolumeState): VolumeView {
  const { init, form, submit } = state;
  const isLocked = locked(state) || !init;
  const entry = regionsFor(init, form.provider);
  const regions = entry?.regions ?? undefined;
  const validation = validateVolumeForm(form, { regions });
  const fieldErrors: VolumeFieldErrors = formState.shownFieldErrors(
    state,
    validation.ok ? {} : validation.fieldErrors,
  );
  const limits = sizeLimits(form, regions);
  const region = pricedRegion(form, regions);
  const size = /^\d+$/.test(form.sizeGb.trim()) ? Number(form.sizeGb.trim()) : 0;
  const price = region ? volumePrice(region.hourlyRatePerGb, size) : undefined;
  const rules = volumeProviderRules(form.provider);
  const maxText = limits.max >= Number.MAX_SAFE_INTEGER ? 'no stated maximum' : `up to ${limits.max} GB`;
  return {
    ready: init !== undefined,
    form,
    locked: isLocked,
    providerOptions: (init?.providers ?? []).map((p) => ({ value: p.id, label: p.label })),
    regionOptions: (regions?.regions ?? []).map((r) => ({
      value: r.id,
      label: volumeRegionLabel(r),
    })),
    regionRequired: rules?.regionRequired ?? true,
    regionsError:
      entry && entry.regions === null ? (entry.error ?? 'Could not load the regions.') : undefined,
    regionsLoading: state.loadingRegions.has(form.provider),
    sizeHelp: `Whole GB, at least ${limits.min}, ${maxText}.`,
    providerRules: init?.providers.find((p) => p.id === form.provider)?.summary ?? rules?.summary ?? '',
    fieldErrors,
    formError: submit.kind === 'failed' ? submit.message : undefined,
    pricePerHour: price ? formatRate(price.perHour) : '—',
    pricePerMonth: price ? formatUsd(price.perMonth) : '—',
    rateNote: region
      ? `${formatRate(region.hourlyRatePerGb)} per GB; a month is 730 hours.`
      : 'Choose a region to see the price.',
    createEnabled: !isLocked && validation.ok,
    ...formState.submitBarView(state, 'volume'),
  };
}
