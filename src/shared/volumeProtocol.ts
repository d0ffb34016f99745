// Messages of the create-volume form (webview `volume`). See protocol.ts for the envelope.
import * as z from 'zod/mini';
import type { VolumeFormValues } from '../core/volumes/volumeForm';
import { list, teamSchema, volumeRegionsSchema } from './domainSchemas';
import { defineFormProtocol, formMessageParsers, type SameShape } from './formProtocol';
import { submitStateSchema } from './protocol';
import type { HostMessage, ParseResult, WebviewMessage } from './protocol';

export const volumeFormSchema = z.object({
  name: z.string().check(z.maxLength(200)),
  provider: z.string().check(z.maxLength(100)),
  region: z.string().check(z.maxLength(200)),
  sizeGb: z.string().check(z.maxLength(20)),
});

export const volumeProviderInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** The provider's rules in words. */
  summary: z.string(),
});

export const providerRegionsSchema = z.object({
  provider: z.string(),
  /** Null when loading them failed; the form offers to retry. */
  regions: z.nullable(volumeRegionsSchema),
  error: z.optional(z.string()),
});
export type ProviderRegionsMessage = z.output<typeof providerRegionsSchema>;

export const volumeInitSchema = z.object({
  sessionId: z.string().check(z.minLength(1)),
  team: z.nullable(teamSchema),
  providers: list(volumeProviderInfoSchema),
  regions: list(providerRegionsSchema),
  /** Preselected provider (e.g. from the context the command ran in). */
  defaultProvider: z.optional(z.string()),
  submitState: submitStateSchema,
  submittedForm: z.nullable(volumeFormSchema),
});
export type VolumeInit = z.output<typeof volumeInitSchema>;

export const volumeUpdateSchema = z.object({
  regions: z.optional(list(providerRegionsSchema)),
});

export const volumeProtocol = defineFormProtocol({
  name: 'volume',
  submitMethod: 'createVolume',
  form: volumeFormSchema,
  init: volumeInitSchema,
  update: volumeUpdateSchema,
  requests: {
    /** `/api/volumes/regions?provider=…`. */
    loadRegions: {
      params: z.object({ provider: z.string().check(z.minLength(1)) }),
      result: volumeRegionsSchema,
    },
  },
  commands: {
    showVolume: z.object({ volumeId: z.string().check(z.minLength(1)) }),
  },
});
export type VolumeProtocol = typeof volumeProtocol;
export type VolumeWebviewMessage = WebviewMessage<VolumeProtocol>;
export type VolumeHostMessage = HostMessage<VolumeProtocol>;

const parsers = formMessageParsers(volumeProtocol);
export const parseVolumeWebviewMessage: (raw: unknown) => ParseResult<VolumeWebviewMessage> = parsers.webview;
export const parseVolumeHostMessage: (raw: unknown) => ParseResult<VolumeHostMessage> = parsers.host;

const formMatchesCore: SameShape<z.output<typeof volumeFormSchema>, VolumeFormValues> = true;
void formMatchesCore;
