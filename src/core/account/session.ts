import { API_KEY_SECRET, apiKeySecret, resolveApiKey, type ApiKeySource, type SecretStore } from './apiKey';
import { AuthError } from '../api/errors';
import { forwardingApi } from '../api/forwardingApi';
import type { Balance, TeamBalance } from '../domain/types';
import type { RequestOptions, SpheronApi } from '../api/spheronApi';
import { Emitter } from '../util/events';
import type { KeyValueStore } from '../util/keyValueStore';

const SELECTED_TEAM_KEY = 'spheron.selectedTeamId';

export type SessionState =
  { readonly signedIn: false } | { readonly signedIn: true; readonly source: ApiKeySource };

export class InvalidApiKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidApiKeyError';
  }
}

/** Builds an API client that reads its key through the given function. */
export type ApiFactory = (getApiKey: () => Promise<string | undefined>) => SpheronApi;

export interface SessionDeps {
  readonly secrets: SecretStore;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly state: KeyValueStore;
  readonly createApi: ApiFactory;
  /** The API URL in use (`spheron.apiBaseUrl`): keys are stored and read per URL. */
  readonly baseUrl: () => string;
  /** Told every key that is resolved or signed in with, so the log can scrub it. */
  readonly learnSecret?: (key: string) => void;
}

/**
 * Who we are talking to Spheron as: the API key (SecretStorage, else SPHERON_API_KEY) and the
 * team chosen for team-scoped calls. The key is only ever read on demand, never cached in a field.
 */
export class Session {
  private readonly changed = new Emitter<SessionState>();
  readonly onDidChange = this.changed.event;
  /** The client used by everything else; it re-reads the key per request. */
  readonly api: SpheronApi;
  private client: SpheronApi;

  constructor(private readonly deps: SessionDeps) {
    this.client = this.buildClient();
    this.api = forwardingApi(() => this.client);
  }

  private buildClient(): SpheronApi {
    return this.deps.createApi(async () => (await this.resolveKey())?.key);
  }

  private async resolveKey() {
    const resolved = await resolveApiKey(this.deps.secrets, this.deps.env, this.deps.baseUrl());
    if (resolved) {
      this.deps.learnSecret?.(resolved.key);
    }
    return resolved;
  }

  /** Rebuilds the client, e.g. after the API URL setting changed; holders of `api` follow. */
  rebuildClient(): void {
    this.client = this.buildClient();
  }

  async state(): Promise<SessionState> {
    const resolved = await this.resolveKey();
    return resolved ? { signedIn: true, source: resolved.source } : { signedIn: false };
  }

  /**
   * Checks the key against /api/balance before storing it. A rejected key stores nothing and
   * throws InvalidApiKeyError; other failures (network, server) propagate as typed errors.
   */
  async signIn(rawKey: string, options?: RequestOptions): Promise<Balance> {
    const key = rawKey.trim();
    if (!key) {
      throw new InvalidApiKeyError('The API key is empty.');
    }
    if (/\s/.test(key)) {
      throw new InvalidApiKeyError('The API key must not contain spaces or line breaks.');
    }
    this.deps.learnSecret?.(key);
    const baseUrl = this.deps.baseUrl();
    const probe = this.deps.createApi(() => Promise.resolve(key));
    let balance: Balance;
    try {
      balance = await probe.getBalance(options);
    } catch (error) {
      if (error instanceof AuthError) {
        throw new InvalidApiKeyError(
          'Spheron rejected this API key. Copy it again from the dashboard (Settings → API).',
        );
      }
      throw error;
    }
    await this.deps.secrets.store(apiKeySecret(baseUrl), key);
    this.changed.fire(await this.state());
    return balance;
  }

  /** Forgets the key of the API in use (and a key from an earlier version, bound to none). */
  async signOut(): Promise<void> {
    await this.deps.secrets.delete(apiKeySecret(this.deps.baseUrl()));
    await this.deps.secrets.delete(API_KEY_SECRET);
    await this.deps.state.update(SELECTED_TEAM_KEY, undefined);
    this.changed.fire(await this.state());
  }

  /** Called when the key in use may have changed: SecretStorage in another window, or the API URL. */
  async secretsChanged(): Promise<void> {
    this.changed.fire(await this.state());
  }

  selectedTeamId(): string | undefined {
    const value = this.deps.state.get<unknown>(SELECTED_TEAM_KEY);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  async selectTeam(teamId: string): Promise<void> {
    await this.deps.state.update(SELECTED_TEAM_KEY, teamId);
    this.changed.fire(await this.state());
  }

  /** The remembered team when it still exists, else the API's current team, else the first. */
  currentTeam(balance: Balance): TeamBalance | undefined {
    const selected = this.selectedTeamId();
    return (
      balance.teams.find((team) => team.teamId === selected) ??
      balance.teams.find((team) => team.isCurrentTeam) ??
      balance.teams[0]
    );
  }

  dispose(): void {
    this.changed.dispose();
  }
}
