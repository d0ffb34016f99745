// The create-volume form: rules, parsed values and price. Pure, so the webview validates as the
// user types with the same code the host uses before it calls the API.
import * as z from 'zod/mini';
import type { CreateVolumeRequest, VolumeRegion, VolumeRegions } from '../domain/types';
import { isKnownVolumeProvider, volumeProviderLabel, volumeProviderRules } from './providerRules';

export const VOLUME_NAME_MAX_LENGTH = 60;
/** Hours in an average month (365 × 24 / 12), the convention cloud price lists use. */
export const HOURS_PER_MONTH = 730;

export type VolumeField = 'name' | 'provider' | 'region' | 'sizeGb';
export type VolumeFieldErrors = Partial<Record<VolumeField, string>>;

/** What the form holds; the size is text as typed. */
export interface VolumeFormValues {
  readonly name: string;
  readonly provider: string;
  readonly region: string;
  readonly sizeGb: string;
}

export interface VolumeFormContext {
  /** `/api/volumes/regions` for the chosen provider; undefined while it loads. */
  readonly regions: VolumeRegions | undefined;
}

export interface ValidVolumeForm {
  readonly name: string;
  readonly provider: string;
  /** Only for providers that take one (contract: required for data-crunch, sesterce, spheron-ai). */
  readonly region: string | undefined;
  readonly sizeGb: number;
  /** The region whose limits and rate apply. */
  readonly pricedRegion: VolumeRegion | undefined;
}

export type VolumeFormResult =
  | { readonly ok: true; readonly value: ValidVolumeForm }
  | { readonly ok: false; readonly fieldErrors: VolumeFieldErrors };

/**
 * Spheron's rule for volume names (stricter than for instances, which it takes as free text): the
 * hint says so, since the deploy form's name rule differs.
 */
export const VOLUME_NAME_HINT = `Lowercase letters, digits, hyphens (-) and underscores (_); up to ${VOLUME_NAME_MAX_LENGTH} characters. Spheron requires this for volume names; instance names follow the SSH host name rule instead.`;

const volumeNameSchema = z
  .string()
  .check(
    z.minLength(1, 'Enter a name.'),
    z.regex(/^[a-z0-9_-]*$/, 'Use only lowercase letters, digits, hyphens (-) and underscores (_).'),
  );

function firstIssue(result: {
  success: boolean;
  error?: { issues: readonly { message: string }[] };
}): string {
  return result.error?.issues[0]?.message ?? 'Invalid value.';
}

/** Why the name is not acceptable (worded as the deploy form's name rule), or undefined. */
export function validateVolumeName(name: string): string | undefined {
  if (name.length > VOLUME_NAME_MAX_LENGTH) {
    return `Use at most ${VOLUME_NAME_MAX_LENGTH} characters (this has ${name.length}).`;
  }
  const result = volumeNameSchema.safeParse(name);
  return result.success ? undefined : firstIssue(result);
}

/**
 * The region whose limits apply: the chosen one, or the provider's only region when the provider
 * takes no region in the body (Voltage Park has one location).
 */
export function pricedRegion(
  values: VolumeFormValues,
  regions: VolumeRegions | undefined,
): VolumeRegion | undefined {
  const list = regions?.regions ?? [];
  const chosen = list.find((region) => region.id === values.region);
  if (chosen) {
    return chosen;
  }
  return list.length === 1 && !volumeProviderRules(values.provider)?.regionRequired ? list[0] : undefined;
}

/** Inclusive size limits in GB for the form as it stands. */
export function sizeLimits(
  values: VolumeFormValues,
  regions: VolumeRegions | undefined,
): { min: number; max: number } {
  const region = pricedRegion(values, regions);
  if (region) {
    return { min: Math.max(1, Math.ceil(region.minSizeGb)), max: Math.floor(region.maxSizeGb) };
  }
  return { min: 1, max: volumeProviderRules(values.provider)?.maxSizeGb ?? Number.MAX_SAFE_INTEGER };
}

function validateSize(text: string, limits: { min: number; max: number }): string | number {
  const trimmed = text.trim();
  if (trimmed === '') {
    return 'Enter a size in GB.';
  }
  if (!/^\d+$/.test(trimmed)) {
    return 'Enter a whole number of GB.';
  }
  const size = Number(trimmed);
  if (size < limits.min || size > limits.max) {
    return `Choose between ${limits.min} and ${limits.max} GB.`;
  }
  return size;
}

/** True when the typed size is a whole number of GB inside the limits (kept across a provider switch). */
export function sizeFits(text: string, limits: { min: number; max: number }): boolean {
  return typeof validateSize(text, limits) === 'number';
}

/** A region as the form lists it: its name with the id once (`Finland (FIN-01)`, never twice). */
export function volumeRegionLabel(region: { readonly id: string; readonly name: string }): string {
  const name = region.name.trim();
  if (name === '' || name === region.id) {
    return region.id;
  }
  return name.includes(region.id) ? name : `${name} (${region.id})`;
}

export function validateVolumeForm(values: VolumeFormValues, context: VolumeFormContext): VolumeFormResult {
  const fieldErrors: VolumeFieldErrors = {};
  const nameError = validateVolumeName(values.name);
  if (nameError) {
    fieldErrors.name = nameError;
  }
  const rules = volumeProviderRules(values.provider);
  if (!isKnownVolumeProvider(values.provider) || !rules) {
    fieldErrors.provider = values.provider
      ? `${values.provider} does not offer volumes.`
      : 'Choose a provider.';
  }
  const regionList = context.regions?.regions ?? [];
  const region = pricedRegion(values, context.regions);
  if (values.region !== '' && !regionList.some((r) => r.id === values.region)) {
    fieldErrors.region = context.regions
      ? `${volumeProviderLabel(values.provider)} has no region "${values.region}".`
      : 'Regions are still loading.';
  } else if (rules?.regionRequired && values.region === '') {
    fieldErrors.region = 'Choose a region.';
  }
  const size = validateSize(values.sizeGb, sizeLimits(values, context.regions));
  if (typeof size === 'string') {
    fieldErrors.sizeGb = size;
  }
  if (Object.keys(fieldErrors).length > 0 || typeof size === 'string') {
    return { ok: false, fieldErrors };
  }
  return {
    ok: true,
    value: {
      name: values.name,
      provider: values.provider,
      region: rules?.regionRequired ? values.region : undefined,
      sizeGb: size,
      pricedRegion: region,
    },
  };
}

export function buildCreateVolumeRequest(
  form: ValidVolumeForm,
  teamId: string | undefined,
): CreateVolumeRequest {
  return {
    name: form.name,
    sizeGb: form.sizeGb,
    provider: form.provider,
    ...(form.region !== undefined ? { region: form.region } : {}),
    ...(teamId ? { teamId } : {}),
  };
}

export interface VolumePrice {
  readonly perHour: number;
  readonly perMonth: number;
}

/** `hourlyRatePerGb × sizeGb` per hour; a month is 730 hours. */
export function volumePrice(hourlyRatePerGb: number, sizeGb: number): VolumePrice {
  const perHour = Math.max(0, hourlyRatePerGb) * Math.max(0, sizeGb);
  return { perHour, perMonth: perHour * HOURS_PER_MONTH };
}
