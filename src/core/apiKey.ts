/** Where the API key lives. The vscode layer backs it with SecretStorage. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export const API_KEY_SECRET = 'spheron.apiKey';
export const API_KEY_ENV_VAR = 'SPHERON_API_KEY';

export type ApiKeySource = 'secretStorage' | 'environment';

export interface ResolvedApiKey {
  readonly key: string;
  readonly source: ApiKeySource;
}

/** SecretStorage first; the `SPHERON_API_KEY` environment variable when it holds none. */
export async function resolveApiKey(
  secrets: SecretStore,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ResolvedApiKey | undefined> {
  const stored = (await secrets.get(API_KEY_SECRET))?.trim();
  if (stored) {
    return { key: stored, source: 'secretStorage' };
  }
  const fromEnv = env[API_KEY_ENV_VAR]?.trim();
  return fromEnv ? { key: fromEnv, source: 'environment' } : undefined;
}
