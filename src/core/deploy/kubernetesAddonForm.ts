// The Kubernetes add-on in the deploy form: the versions the form offers, the checkbox's value,
// and the choice it sends. The versions call never blocks the form: when it fails or is slow, the
// offer's own version is the one choice. The optional OIDC configuration is checked only for its
// shape (no YAML parser): the API server that reads it is the judge of the rest.
import type { KubernetesVersion, Offer } from '../domain/types';
import { kubernetesAddonProblem, offerKubernetesAddon, type KubernetesAddonChoice } from './kubernetesAddon';

/** The form's add-on field: the checkbox, the version select and the OIDC text area. */
export interface KubernetesAddonFormValue {
  readonly enabled: boolean;
  readonly version: string;
  /** A Kubernetes AuthenticationConfiguration (YAML) as typed; empty or absent sends none. */
  readonly authenticationConfig?: string;
}

/** The largest AuthenticationConfiguration the form sends, in UTF-8 bytes (before base64). */
export const AUTHENTICATION_CONFIG_MAX_BYTES = 64 * 1024;

/** What the form needs to offer the add-on; absent (null) for offers that cannot carry it. */
export interface KubernetesAddonFormInit {
  /** Versions to choose from, the default first. */
  readonly versions: readonly string[];
  /** USD per hour the add-on adds to the offer's price. */
  readonly costPerHour: number;
  /** Why the list is only the offer's own version; undefined when it came from the API. */
  readonly versionsNote?: string;
}

export const KUBERNETES_VERSIONS_TIMEOUT_MS = 8000;

/** The versions the form offers: the available ones from the API, the offer's version first when listed. */
export function kubernetesVersionOptions(
  offerVersion: string,
  listed: readonly KubernetesVersion[],
): string[] {
  const available = [...new Set(listed.filter((item) => item.available).map((item) => item.version))];
  if (available.length === 0) {
    return [offerVersion];
  }
  return available.includes(offerVersion)
    ? [offerVersion, ...available.filter((version) => version !== offerVersion)]
    : available;
}

/**
 * The add-on part of the form's init for `offer`; null when the offer cannot carry it. A failed,
 * empty or slow versions call falls back to the offer's own version.
 */
export async function loadKubernetesAddonFormInit(
  offer: Pick<Offer, 'provider' | 'instanceType' | 'kubernetesAddon'>,
  listVersions: (provider: string) => Promise<readonly KubernetesVersion[]>,
  timeoutMs = KUBERNETES_VERSIONS_TIMEOUT_MS,
): Promise<KubernetesAddonFormInit | null> {
  const addon = offerKubernetesAddon(offer);
  if (!addon) {
    return null;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const listed = await Promise.race([listVersions(offer.provider), timeout]);
    if (listed === 'timeout') {
      return fallback(addon.version, addon.totalCostPerHour, 'Spheron did not list the versions in time');
    }
    const versions = kubernetesVersionOptions(addon.version, listed);
    return {
      versions,
      costPerHour: addon.totalCostPerHour,
      versionsNote: listed.some((item) => item.available)
        ? undefined
        : `Spheron listed no versions; ${addon.version} is the offer's own.`,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fallback(addon.version, addon.totalCostPerHour, `The versions could not be loaded (${reason})`);
  } finally {
    clearTimeout(timer);
  }
}

function fallback(version: string, costPerHour: number, why: string): KubernetesAddonFormInit {
  return { versions: [version], costPerHour, versionsNote: `${why}; ${version} is the offer's own version.` };
}

/** The field's starting value: unticked, with the first version chosen. */
export function initialKubernetesAddonValue(init: KubernetesAddonFormInit): KubernetesAddonFormValue {
  return { enabled: false, version: init.versions[0] ?? '' };
}

/** Why the field's value cannot be sent with `offer`; undefined when it can (or is unticked). */
export function kubernetesAddonFieldProblem(
  value: KubernetesAddonFormValue | undefined,
  offer: Pick<Offer, 'instanceType' | 'kubernetesAddon' | 'name' | 'offerId'>,
): string | undefined {
  if (!value?.enabled) {
    return undefined;
  }
  if (value.version === '') {
    return 'Choose a Kubernetes version.';
  }
  return kubernetesAddonProblem(offer, { version: value.version });
}

/** Why the field's OIDC configuration cannot be sent; undefined when it can, is blank or unticked. */
export function kubernetesAuthenticationFieldProblem(
  value: KubernetesAddonFormValue | undefined,
): string | undefined {
  return value?.enabled ? authenticationConfigProblem(value.authenticationConfig) : undefined;
}

// Top-level lines only (no indentation); a key or value may be quoted, a comment may follow.
const KIND_LINE = /^(["']?)kind\1[ \t]*:[ \t]*(["']?)([^"'#\s]*)\2[ \t]*(?:#.*)?$/;
const API_VERSION_LINE =
  /^(["']?)apiVersion\1[ \t]*:[ \t]*(["']?)apiserver\.config\.k8s\.io\/[A-Za-z0-9]+\2[ \t]*(?:#.*)?$/;

/** Whether the text area holds a configuration to send (blank means none). */
function hasAuthenticationConfig(text: string | undefined): text is string {
  return text !== undefined && text.trim() !== '';
}

/**
 * Why `text` cannot be sent as the add-on's OIDC configuration; undefined when it can or is blank.
 * It must fit AUTHENTICATION_CONFIG_MAX_BYTES and carry the top-level `apiVersion:
 * apiserver.config.k8s.io/…` and `kind: AuthenticationConfiguration` lines.
 */
export function authenticationConfigProblem(text: string | undefined): string | undefined {
  if (!hasAuthenticationConfig(text)) {
    return undefined;
  }
  const bytes = utf8Length(text);
  if (bytes > AUTHENTICATION_CONFIG_MAX_BYTES) {
    return `The OIDC configuration is ${Math.ceil(bytes / 1024)} KB; at most ${AUTHENTICATION_CONFIG_MAX_BYTES / 1024} KB can be sent. Remove what the cluster does not need.`;
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const kinds = lines.flatMap((line) => {
    const match = KIND_LINE.exec(line.trimEnd());
    return match ? [match[3] ?? ''] : [];
  });
  const advice =
    'Paste the whole AuthenticationConfiguration file, or leave the field empty to use the cluster’s own credentials.';
  if (!kinds.includes('AuthenticationConfiguration')) {
    const other = kinds.find((kind) => kind !== '');
    return other === undefined
      ? `This is not a Kubernetes AuthenticationConfiguration: it needs a top-level line “kind: AuthenticationConfiguration”. ${advice}`
      : `This is a Kubernetes ${other}, not an AuthenticationConfiguration: it needs “kind: AuthenticationConfiguration”. ${advice}`;
  }
  if (!lines.some((line) => API_VERSION_LINE.test(line.trimEnd()))) {
    return `This is not a Kubernetes AuthenticationConfiguration: it needs a top-level line “apiVersion: apiserver.config.k8s.io/v1beta1” (or v1alpha1, v1, as your cluster’s Kubernetes version takes). ${advice}`;
  }
  return undefined;
}

/** `text` as the API takes it: base64 of its UTF-8 bytes (btoa: the webview shares this module). */
export function authenticationConfigBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** The choice to send, when the box is ticked; with the OIDC configuration when one was given. */
export function kubernetesAddonChoiceOf(
  value: KubernetesAddonFormValue | undefined,
): KubernetesAddonChoice | undefined {
  if (!value?.enabled) {
    return undefined;
  }
  return hasAuthenticationConfig(value.authenticationConfig)
    ? {
        version: value.version,
        authenticationConfigB64: authenticationConfigBase64(value.authenticationConfig),
      }
    : { version: value.version };
}

/**
 * The choice in words for the log: the version, and only the size of the OIDC configuration (it
 * names issuers and client ids, which the log has no need of).
 */
export function kubernetesAddonLogText(value: KubernetesAddonFormValue | undefined): string | undefined {
  if (!value?.enabled) {
    return undefined;
  }
  const auth = value.authenticationConfig;
  return hasAuthenticationConfig(auth)
    ? `Kubernetes ${value.version} add-on with OIDC authentication (${utf8Length(auth)} bytes)`
    : `Kubernetes ${value.version} add-on`;
}
