// The create-volume form's state and derived view, as pure functions (no DOM).
import * as z from 'zod/mini';
import type { VolumeRegions } from '../../core/domain/types';
import { formatRate, formatUsd } from '../../core/model/format';
import { volumeProviderRules } from '../../core/volumes/providerRules';
import { pricedRegion, sizeLimits, validateVolumeForm, volumePrice } from '../../core/volumes/volumeForm';
import type { VolumeField, VolumeFieldErrors, VolumeFormValues } from '../../core/volumes/volumeForm';
import type { SubmitStateMessage } from '../../shared/protocol';
import { volumeFormSchema } from '../../shared/volumeProtocol';
import type { ProviderRegionsMessage, VolumeInit } from '../../shared/volumeProtocol';

export const persistedVolumeStateSchema = z.object({
  sessionId: z.string(),
  form: volumeFormSchema,
  touched: z.array(z.string()),
});
export type PersistedVolumeState = z.output<typeof persistedVolumeStateSchema>;

export interface VolumeState {
  readonly init: VolumeInit | undefined;
  readonly form: VolumeFormValues;
  readonly touched: ReadonlySet<VolumeField>;
  readonly submitAttempted: boolean;
  readonly submit: SubmitStateMessage;
  readonly sending: boolean;
  readonly serverFieldErrors: VolumeFieldErrors;
  /** Providers whose regions are being (re)loaded. */
  readonly loadingRegions: ReadonlySet<string>;
}

export type VolumeAction =
  | { readonly type: 'init'; readonly init: VolumeInit; readonly saved: PersistedVolumeState | undefined }
  | { readonly type: 'regions'; readonly entries: readonly ProviderRegionsMessage[] }
  | { readonly type: 'regionsLoading'; readonly provider: string }
  | { readonly type: 'edit'; readonly patch: Partial<VolumeFormValues> }
  | { readonly type: 'sendSubmit' }
  | { readonly type: 'submitState'; readonly state: SubmitStateMessage }
  | {
      readonly type: 'requestFailed';
      readonly message: string;
      readonly fieldErrors: Readonly<Record<string, string>>;
    };

const VOLUME_FIELDS: readonly VolumeField[] = ['name', 'provider', 'region', 'sizeGb'];
/** A starting size when the provider's limits allow it. */
const DEFAULT_SIZE_GB = 100;

export function emptyVolumeState(): VolumeState {
  return {
    init: undefined,
    form: { name: '', provider: '', region: '', sizeGb: '' },
    touched: new Set(),
    submitAttempted: false,
    submit: { kind: 'idle' },
    sending: false,
    serverFieldErrors: {},
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
  return state.sending || ['submitting', 'created', 'unconfirmed'].includes(state.submit.kind);
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
      let form: VolumeFormValues;
      let touched: ReadonlySet<VolumeField> = new Set();
      if (saved && saved.sessionId === init.sessionId) {
        form = saved.form;
        touched = new Set(VOLUME_FIELDS.filter((field) => saved.touched.includes(field)));
      } else if (init.submittedForm) {
        form = init.submittedForm;
      } else {
        const provider = init.defaultProvider ?? init.providers[0]?.id ?? '';
        form = { name: '', provider, ...defaultsForProvider(provider, regionsFor(init, provider)?.regions) };
      }
      return {
        ...emptyVolumeState(),
        init,
        form,
        touched,
        submit: init.submitState,
        serverFieldErrors: init.submitState.kind === 'failed' ? init.submitState.fieldErrors : {},
      };
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
        // A new provider has other regions and limits: start from its defaults.
        patch = {
          ...defaultsForProvider(patch.provider, regionsFor(state.init, patch.provider)?.regions),
          ...patch,
        };
      }
      const touched = new Set(state.touched);
      const serverFieldErrors: VolumeFieldErrors = { ...state.serverFieldErrors };
      for (const key of Object.keys(action.patch) as VolumeField[]) {
        touched.add(key);
        delete serverFieldErrors[key];
      }
      return { ...state, form: { ...state.form, ...patch }, touched, serverFieldErrors };
    }
    case 'sendSubmit':
      return { ...state, sending: true, submitAttempted: true };
    case 'submitState':
      return {
        ...state,
        submit: action.state,
        sending: false,
        serverFieldErrors:
          action.state.kind === 'failed' ? action.state.fieldErrors : state.serverFieldErrors,
      };
    case 'requestFailed':
      return {
        ...state,
        sending: false,
        submit: { kind: 'failed', message: action.message, fieldErrors: action.fieldErrors },
        serverFieldErrors: action.fieldErrors,
      };
  }
}

export function persistedVolumeState(state: VolumeState): PersistedVolumeState | undefined {
  return state.init
    ? { sessionId: state.init.sessionId, form: state.form, touched: [...state.touched] }
    : undefined;
}

export interface VolumeView {
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
  readonly busy: boolean;
  readonly progressText: string | undefined;
  readonly submit: SubmitStateMessage;
  readonly canCheckAgain: boolean;
  readonly canTryAgain: boolean;
}

export function deriveVolumeView(state: VolumeState): VolumeView {
  const { init, form, submit } = state;
  const isLocked = locked(state) || !init;
  const busy = state.sending || submit.kind === 'submitting';
  const entry = regionsFor(init, form.provider);
  const regions = entry?.regions ?? undefined;
  const validation = validateVolumeForm(form, { regions });
  const fieldErrors: VolumeFieldErrors = {};
  if (!validation.ok) {
    for (const [field, message] of Object.entries(validation.fieldErrors) as [VolumeField, string][]) {
      if (state.submitAttempted || state.touched.has(field)) {
        fieldErrors[field] = message;
      }
    }
  }
  Object.assign(fieldErrors, state.serverFieldErrors);
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
      label: r.name === r.id ? r.id : `${r.name} (${r.id})`,
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
    busy,
    progressText:
      submit.kind === 'submitting'
        ? submit.phase === 'checking'
          ? 'Spheron did not answer clearly; checking whether the volume was created…'
          : 'Creating the volume…'
        : state.sending
          ? 'Sending…'
          : undefined,
    submit,
    canCheckAgain: submit.kind === 'unconfirmed' && !busy,
    canTryAgain: submit.kind === 'unconfirmed' && submit.retryAllowed && !busy,
  };
}
