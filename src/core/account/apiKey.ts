import { DEFAULT_API_BASE_URL, isLoopbackUrl } from '../settings/settings';

/** Where the API key lives. The vscode layer backs it with SecretStorage. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The one key of earlier versions, not bound to an API; moved to the default API's entry on first read. */
export const API_KEY_SECRET = 'spheron.apiKey';
export const API_KEY_ENV_VAR = 'SPHERON_API_KEY';

export type ApiKeySource = 'secretStorage' | 'environment';

export interface ResolvedApiKey {
  readonly key: string;
  readonly source: ApiKeySource;
}

/** `https://app.spheron.ai/` → `https://app.spheron.ai`: origin and path, no trailing slash. */
function canonicalUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseUrl.trim().replace(/\/+$/, '');
  }
}

/**
 * The SecretStorage entry of the key for one API. A key is stored per API URL, so changing
 * `spheron.apiBaseUrl` never sends one API's key to another host.
 */
export function apiKeySecret(baseUrl: string): string {
  return `${API_KEY_SECRET}@${canonicalUrl(baseUrl)}`;
}

/**
 * The environment's key is meant for Spheron: it goes to the default API, or to one on this
 * machine (the simulator), never to another host someone pointed the setting at.
 */
export function environmentKeyAllowed(baseUrl: string): boolean {
  return canonicalUrl(baseUrl) === canonicalUrl(DEFAULT_API_BASE_URL) || isLoopbackUrl(baseUrl);
}

/**
 * The key for `baseUrl`: its SecretStorage entry first (a key from an earlier version is moved to
 * the default API's entry), else `SPHERON_API_KEY` where environmentKeyAllowed says so.
 */
export async function resolveApiKey(
  secrets: SecretStore,
  env: Readonly<Record<string, string | undefined>>,
  baseUrl: string,
): Promise<ResolvedApiKey | undefined> {
  const name = apiKeySecret(baseUrl);
  let stored = (await secrets.get(name))?.trim();
  if (!stored && canonicalUrl(baseUrl) === canonicalUrl(DEFAULT_API_BASE_URL)) {
    stored = await migrateLegacyKey(secrets, name);
  }
  if (stored) {
    return { key: stored, source: 'secretStorage' };
  }
  const fromEnv = env[API_KEY_ENV_VAR]?.trim();
  return fromEnv && environmentKeyAllowed(baseUrl) ? { key: fromEnv, source: 'environment' } : undefined;
}

async function migrateLegacyKey(secrets: SecretStore, name: string): Promise<string | undefined> {
  const legacy = (await secrets.get(API_KEY_SECRET))?.trim();
  if (legacy) {
    await secrets.store(name, legacy);
    await secrets.delete(API_KEY_SECRET);
  }
  return legacy || undefined;
}
