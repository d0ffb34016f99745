// The typed Spheron API client. It never reads settings or secrets itself: the key arrives through
// `getApiKey` on every request and is kept in no field, log line or error.
import { inspect } from 'node:util';
import { normalizeClusterHealth, normalizeKubernetesVersions } from './kubernetes';
import {
  AuthError,
  CancelledError,
  MinimumRuntimeError,
  NetworkError,
  RateLimitError,
  ResponseTooLargeError,
  SchemaError,
  TimeoutError,
  ValidationError,
} from './errors';
import type { SpheronError } from './errors';
import {
  checkAcknowledgement,
  normalizeBalance,
  normalizeCanTerminate,
  normalizeDeployment,
  normalizeDeploymentPage,
  normalizeOfferPage,
  normalizeProviders,
  normalizeSshKey,
  normalizeSshKeys,
  normalizeTeams,
  normalizeTerminate,
  normalizeVolume,
  normalizeVolumePage,
  normalizeVolumePricing,
  normalizeVolumeRegions,
} from './normalize';
import { readList } from './normalize';
import type { ListPage } from './normalize';
import {
  TERMINATED_STATUSES,
  TERMINATE_ENDPOINT,
  envelopeFailure,
  errorFromResponse,
} from './responseErrors';
import type { RequestBudgetSink } from './requestBudget';
import { DEFAULT_RETRY_POLICY, isRetryable, realSleep, retryDelayMs } from './retry';
import type { RetryPolicy, Sleep } from './retry';
import { isAllowedApiUrl } from '../settings/settings';
import { DEFAULT_MAX_RESPONSE_BYTES, RESPONSE_TOO_LARGE_CODE, loadUndiciTransport } from './transport';
import type { HttpMethod, LoadTransport, Transport, TransportRequest, TransportResponse } from './transport';
import type {
  Balance,
  CanTerminate,
  ClusterHealth,
  CreateDeploymentRequest,
  CreateVolumeRequest,
  Deployment,
  DeploymentStatus,
  KubernetesVersion,
  OfferCatalogue,
  OfferGroup,
  OfferPage,
  OfferQuery,
  ReadList,
  SshKey,
  Team,
  TerminateResult,
  UpdateVolumeRequest,
  Volume,
  VolumePricing,
  VolumeRegions,
} from '../domain/types';
import type { DeploymentListQuery, RequestOptions, SpheronApi } from './spheronApi';

export interface ApiLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SpheronClientOptions {
  /** e.g. `https://app.spheron.ai`; paths under `/api` are appended. */
  readonly baseUrl: string;
  /** Read on every request; undefined when signed out. */
  readonly getApiKey: () => Promise<string | undefined>;
  /** e.g. `spheron-vscode/0.1.0` (the live API rejects some default user agents with 403). */
  readonly userAgent: string;
  /** Per attempt; default 30 s. */
  readonly timeoutMs?: number;
  readonly logger?: ApiLogger;
  readonly retry?: Partial<RetryPolicy>;
  /** Waits between attempts; tests inject one that records the delays. */
  readonly sleep?: Sleep;
  /** Defaults to the lazily imported undici transport. */
  readonly loadTransport?: LoadTransport;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  /** Told about every attempt sent and every 429 (the shared request budget). */
  readonly budget?: RequestBudgetSink;
  /** Largest response body read; default 16 MB. Beyond it the request fails with ResponseTooLargeError. */
  readonly maxResponseBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_OFFER_PAGE_SIZE = 100;
const VOLUME_PAGE_SIZE = 100;
/** Stops a server that keeps reporting more pages from looping forever. */
const MAX_PAGES = 1000;

type QueryValue = string | number | undefined;

interface RequestSpec {
  readonly method: HttpMethod;
  /** Real path, ids included. */
  readonly path: string;
  /** `METHOD /template` with ids replaced, for errors. */
  readonly endpoint: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  /** `optional`: public endpoint, the key is sent when there is one (gpu-offers shows team discounts). */
  readonly auth: 'required' | 'optional';
  readonly onAttempt?: () => void;
}

type AttemptOutcome = { readonly response: TransportResponse } | { readonly error: SpheronError };

export class SpheronClient implements SpheronApi {
  readonly #baseUrl: string;
  readonly #getApiKey: () => Promise<string | undefined>;
  readonly #userAgent: string;
  readonly #timeoutMs: number;
  readonly #logger: ApiLogger | undefined;
  readonly #retry: RetryPolicy;
  readonly #sleep: Sleep;
  readonly #loadTransport: LoadTransport;
  readonly #random: () => number;
  readonly #budget: RequestBudgetSink | undefined;
  readonly #maxResponseBytes: number;
  #transport: Promise<Transport> | undefined;

  constructor(options: SpheronClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new ValidationError('', 'The Spheron API URL is not a valid URL.');
    }
    if (!isAllowedApiUrl(url.toString())) {
      throw new ValidationError(
        '',
        'The Spheron API URL must start with https:// (http:// only for a server on this machine).',
      );
    }
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#getApiKey = options.getApiKey;
    this.#userAgent = options.userAgent;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#logger = options.logger;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#sleep = options.sleep ?? realSleep;
    this.#loadTransport = options.loadTransport ?? loadUndiciTransport;
    this.#random = options.random ?? Math.random;
    this.#budget = options.budget;
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  // ---- providers and offers ----

  async listProviders(options?: RequestOptions): Promise<string[]> {
    const endpoint = 'GET /api/providers';
    const response = await this.#send(
      { method: 'GET', path: '/api/providers', endpoint, auth: 'optional' },
      options,
    );
    return normalizeProviders(endpoint, response.bodyText, this.#warn);
  }

  listGpuOffers(
    query: OfferQuery & { page: number; limit: number },
    options?: RequestOptions,
  ): Promise<OfferPage> {
    return this.#offerPage(query, options, undefined);
  }

  /**
   * Loads every page of the catalogue one after the other. `onPage` runs after each page; an
   * exception it throws propagates unchanged. Groups repeated across pages are kept once.
   */
  async listAllGpuOffers(
    query: OfferQuery,
    options?: RequestOptions & { pageSize?: number; onPage?: (page: OfferPage) => void },
  ): Promise<OfferCatalogue> {
    const limit = options?.pageSize ?? DEFAULT_OFFER_PAGE_SIZE;
    let requests = 0;
    let rejected = 0;
    const groups: OfferGroup[] = [];
    const seen = new Set<string>();
    let totalGroups = 0;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const result = await this.#offerPage({ ...query, page, limit }, options, () => requests++);
      options?.onPage?.(result);
      rejected += result.rejected;
      for (const group of result.groups) {
        if (!seen.has(group.gpuType)) {
          seen.add(group.gpuType);
          groups.push(group);
        }
      }
      totalGroups = result.totalGroups;
      // A page whose every offer was unreadable is still a page: go on to the next.
      if (page >= result.totalPages || result.groups.length + result.rejected === 0) {
        break;
      }
    }
    return { groups, rejected, totalGroups, requests, fetchedAtMs: Date.now() };
  }

  async #offerPage(
    query: OfferQuery & { page: number; limit: number },
    options: RequestOptions | undefined,
    onAttempt: (() => void) | undefined,
  ): Promise<OfferPage> {
    const endpoint = 'GET /api/gpu-offers';
    const response = await this.#send(
      {
        method: 'GET',
        path: '/api/gpu-offers',
        endpoint,
        auth: 'optional',
        query: {
          page: query.page,
          limit: query.limit,
          search: query.search,
          sortBy: query.sortBy,
          sortOrder: query.sortOrder,
          instanceType: query.instanceType,
        },
        onAttempt,
      },
      options,
    );
    return normalizeOfferPage(endpoint, response.bodyText, query, this.#warn);
  }

  // ---- deployments ----

  /** Never repeated except after a 429: a create that timed out may still have made a VM. */
  async createDeployment(request: CreateDeploymentRequest, options?: RequestOptions): Promise<Deployment> {
    const endpoint = 'POST /api/deployments';
    const response = await this.#send(
      {
        method: 'POST',
        path: '/api/deployments',
        endpoint,
        auth: 'required',
        body: createDeploymentBody(request),
      },
      options,
    );
    return normalizeDeployment(endpoint, response.bodyText, this.#warn);
  }

  async listDeployments(query: DeploymentListQuery, options?: RequestOptions): Promise<ReadList<Deployment>> {
    const endpoint = 'GET /api/deployments';
    // The contract's answer is a bare array; if a wrapped answer reports more pages, follow them.
    return this.#collectPages(async (page) => {
      const response = await this.#send(
        {
          method: 'GET',
          path: '/api/deployments',
          endpoint,
          auth: 'required',
          query: { teamId: query.teamId, status: query.status, page: page > 1 ? page : undefined },
        },
        options,
      );
      return normalizeDeploymentPage(endpoint, response.bodyText, this.#warn);
    });
  }

  async getDeployment(id: string, options?: RequestOptions): Promise<Deployment> {
    const endpoint = 'GET /api/deployments/{id}';
    const path = idPath('/api/deployments/', id, endpoint);
    const response = await this.#send({ method: 'GET', path, endpoint, auth: 'required' }, options);
    return normalizeDeployment(endpoint, response.bodyText, this.#warn);
  }

  async renameDeployment(id: string, name: string, options?: RequestOptions): Promise<Deployment> {
    const endpoint = 'PATCH /api/deployments/{id}';
    const path = idPath('/api/deployments/', id, endpoint);
    const response = await this.#send(
      { method: 'PATCH', path, endpoint, auth: 'required', body: { name } },
      options,
    );
    return normalizeDeployment(endpoint, response.bodyText, this.#warn);
  }

  /** "Already terminated" is success (`alreadyTerminated: true`); inside the minimum runtime, MinimumRuntimeError. */
  async terminateDeployment(id: string, options?: RequestOptions): Promise<TerminateResult> {
    const endpoint = TERMINATE_ENDPOINT;
    const path = idPath('/api/deployments/', id, endpoint);
    let response: TransportResponse;
    try {
      response = await this.#send({ method: 'DELETE', path, endpoint, auth: 'required' }, options);
    } catch (error) {
      const currentStatus = error instanceof ValidationError ? error.details['currentStatus'] : undefined;
      if (typeof currentStatus === 'string' && TERMINATED_STATUSES.includes(currentStatus)) {
        return { id, alreadyTerminated: true, status: currentStatus as DeploymentStatus, stoppedAtMs: null };
      }
      throw error;
    }
    if (!isJson(response.bodyText)) {
      return this.#confirmTerminated(id, options);
    }
    return normalizeTerminate(endpoint, response.bodyText, id);
  }

  /**
   * An empty or unreadable answer to terminate proves nothing: success is reported only once the
   * instance itself says it ended. Still inside the minimum runtime means the delete was refused.
   */
  async #confirmTerminated(id: string, options: RequestOptions | undefined): Promise<TerminateResult> {
    this.#warn(`${TERMINATE_ENDPOINT}: the answer was empty or not JSON; checking the instance's status.`);
    const deployment = await this.getDeployment(id, options);
    if (TERMINATED_STATUSES.includes(deployment.rawStatus)) {
      return { id, alreadyTerminated: false, status: deployment.status, stoppedAtMs: deployment.stoppedAtMs };
    }
    const allowed = await this.canTerminate(id, options);
    if (!allowed.canTerminate && allowed.timeRemainingMinutes > 0) {
      throw new MinimumRuntimeError(
        TERMINATE_ENDPOINT,
        Math.ceil(allowed.timeRemainingMinutes),
        allowed.minimumRuntimeMinutes,
      );
    }
    throw new SchemaError(
      TERMINATE_ENDPOINT,
      '',
      `the answer was empty and the instance still reports “${deployment.rawStatus}”`,
    );
  }

  async canTerminate(id: string, options?: RequestOptions): Promise<CanTerminate> {
    const endpoint = 'GET /api/deployments/{id}/can-terminate';
    const path = `${idPath('/api/deployments/', id, endpoint)}/can-terminate`;
    const response = await this.#send({ method: 'GET', path, endpoint, auth: 'required' }, options);
    return normalizeCanTerminate(endpoint, response.bodyText);
  }

  // ---- ssh keys ----

  async listSshKeys(options?: RequestOptions): Promise<ReadList<SshKey>> {
    const endpoint = 'GET /api/ssh-keys';
    const response = await this.#send(
      { method: 'GET', path: '/api/ssh-keys', endpoint, auth: 'required' },
      options,
    );
    return normalizeSshKeys(endpoint, response.bodyText, this.#warn);
  }

  async getSshKey(id: string, options?: RequestOptions): Promise<SshKey> {
    const endpoint = 'GET /api/ssh-keys/{id}';
    const path = idPath('/api/ssh-keys/', id, endpoint);
    const response = await this.#send({ method: 'GET', path, endpoint, auth: 'required' }, options);
    return normalizeSshKey(endpoint, response.bodyText);
  }

  async createSshKey(
    request: { name: string; publicKey: string; teamId?: string },
    options?: RequestOptions,
  ): Promise<SshKey> {
    const endpoint = 'POST /api/ssh-keys';
    const body = withDefined({ name: request.name, publicKey: request.publicKey, teamId: request.teamId });
    const response = await this.#send(
      { method: 'POST', path: '/api/ssh-keys', endpoint, auth: 'required', body },
      options,
    );
    return normalizeSshKey(endpoint, response.bodyText);
  }

  async deleteSshKey(id: string, options?: RequestOptions): Promise<void> {
    const endpoint = 'DELETE /api/ssh-keys/{id}';
    const path = idPath('/api/ssh-keys/', id, endpoint);
    const response = await this.#send({ method: 'DELETE', path, endpoint, auth: 'required' }, options);
    checkAcknowledgement(endpoint, response.bodyText);
  }

  // ---- volumes ----

  async listVolumes(query?: { status?: string }, options?: RequestOptions): Promise<ReadList<Volume>> {
    const endpoint = 'GET /api/volumes';
    return this.#collectPages(async (page) => {
      const response = await this.#send(
        {
          method: 'GET',
          path: '/api/volumes',
          endpoint,
          auth: 'required',
          query: { page, limit: VOLUME_PAGE_SIZE, status: query?.status },
        },
        options,
      );
      return normalizeVolumePage(endpoint, response.bodyText, this.#warn);
    });
  }

  async createVolume(request: CreateVolumeRequest, options?: RequestOptions): Promise<Volume> {
    const endpoint = 'POST /api/volumes';
    const body = withDefined({
      name: request.name,
      sizeInGb: request.sizeGb,
      provider: request.provider,
      region: request.region,
      cloudId: request.cloudId,
      deploymentId: request.deploymentId,
      teamId: request.teamId,
    });
    const response = await this.#send(
      { method: 'POST', path: '/api/volumes', endpoint, auth: 'required', body },
      options,
    );
    return normalizeVolume(endpoint, response.bodyText);
  }

  async getVolume(id: string, options?: RequestOptions): Promise<Volume> {
    const endpoint = 'GET /api/volumes/{id}';
    const path = idPath('/api/volumes/', id, endpoint);
    const response = await this.#send({ method: 'GET', path, endpoint, auth: 'required' }, options);
    return normalizeVolume(endpoint, response.bodyText);
  }

  async updateVolume(id: string, request: UpdateVolumeRequest, options?: RequestOptions): Promise<Volume> {
    const endpoint = 'PATCH /api/volumes/{id}';
    const path = idPath('/api/volumes/', id, endpoint);
    const body = withDefined({ name: request.name, sizeInGb: request.sizeGb });
    const response = await this.#send({ method: 'PATCH', path, endpoint, auth: 'required', body }, options);
    return normalizeVolume(endpoint, response.bodyText);
  }

  async deleteVolume(id: string, options?: RequestOptions): Promise<void> {
    const endpoint = 'DELETE /api/volumes/{id}';
    const path = idPath('/api/volumes/', id, endpoint);
    const response = await this.#send({ method: 'DELETE', path, endpoint, auth: 'required' }, options);
    checkAcknowledgement(endpoint, response.bodyText);
  }

  attachVolume(id: string, deploymentId: string, options?: RequestOptions): Promise<Volume> {
    return this.#attachment('attach', id, deploymentId, options);
  }

  detachVolume(id: string, deploymentId: string, options?: RequestOptions): Promise<Volume> {
    return this.#attachment('detach', id, deploymentId, options);
  }

  async #attachment(
    action: 'attach' | 'detach',
    id: string,
    deploymentId: string,
    options: RequestOptions | undefined,
  ): Promise<Volume> {
    const endpoint = `POST /api/volumes/{id}/${action}`;
    const path = `${idPath('/api/volumes/', id, endpoint)}/${action}`;
    const response = await this.#send(
      { method: 'POST', path, endpoint, auth: 'required', body: { deploymentId } },
      options,
    );
    return normalizeVolume(endpoint, response.bodyText);
  }

  async getVolumePricing(
    query: { provider: string; region?: string; cloudId?: string },
    options?: RequestOptions,
  ): Promise<VolumePricing> {
    const endpoint = 'GET /api/volumes/pricing';
    const response = await this.#send(
      {
        method: 'GET',
        path: '/api/volumes/pricing',
        endpoint,
        auth: 'required',
        query: { provider: query.provider, region: query.region, cloudId: query.cloudId },
      },
      options,
    );
    return normalizeVolumePricing(endpoint, response.bodyText, query.provider);
  }

  async getVolumeRegions(provider: string, options?: RequestOptions): Promise<VolumeRegions> {
    const endpoint = 'GET /api/volumes/regions';
    const response = await this.#send(
      { method: 'GET', path: '/api/volumes/regions', endpoint, auth: 'required', query: { provider } },
      options,
    );
    return normalizeVolumeRegions(endpoint, response.bodyText);
  }

  // ---- balance and teams ----

  async getBalance(options?: RequestOptions): Promise<Balance> {
    const endpoint = 'GET /api/balance';
    const response = await this.#send(
      { method: 'GET', path: '/api/balance', endpoint, auth: 'required' },
      options,
    );
    return normalizeBalance(endpoint, response.bodyText);
  }

  async listTeams(options?: RequestOptions): Promise<Team[]> {
    const endpoint = 'GET /api/teams';
    const response = await this.#send(
      { method: 'GET', path: '/api/teams', endpoint, auth: 'required' },
      options,
    );
    return normalizeTeams(endpoint, response.bodyText, this.#warn);
  }

  // ---- Kubernetes add-on (Voltage Park clusters) ----

  async listKubernetesVersions(provider: string, options?: RequestOptions): Promise<KubernetesVersion[]> {
    const endpoint = 'GET /api/kubernetes/versions';
    const response = await this.#send(
      { method: 'GET', path: '/api/kubernetes/versions', endpoint, auth: 'required', query: { provider } },
      options,
    );
    return normalizeKubernetesVersions(endpoint, response.bodyText);
  }

  async getClusterHealth(clusterId: string, options?: RequestOptions): Promise<ClusterHealth> {
    const endpoint = 'GET /api/kubernetes/{clusterId}/health';
    const path = `${idPath('/api/kubernetes/', clusterId, endpoint)}/health`;
    const response = await this.#send({ method: 'GET', path, endpoint, auth: 'required' }, options);
    return normalizeClusterHealth(endpoint, response.bodyText);
  }

  // ---- lifecycle and presentation ----

  /** Closes pooled connections, if the HTTP layer was ever loaded. */
  async dispose(): Promise<void> {
    const transport = this.#transport;
    this.#transport = undefined;
    if (transport) {
      try {
        await (await transport).close?.();
      } catch {
        // Nothing to release when loading failed.
      }
    }
  }

  toString(): string {
    return `SpheronClient(${displayUrl(this.#baseUrl)})`;
  }

  toJSON(): { baseUrl: string } {
    return { baseUrl: displayUrl(this.#baseUrl) };
  }

  [inspect.custom](): string {
    return this.toString();
  }

  // ---- the request loop ----

  async #collectPages<T extends { readonly id: string }>(
    fetchPage: (page: number) => Promise<ListPage<T>>,
  ): Promise<ReadList<T>> {
    const items: T[] = [];
    let rejected = 0;
    const seen = new Set<string>();
    for (let page = 1; page <= MAX_PAGES; page++) {
      const result = await fetchPage(page);
      rejected += result.rejected;
      for (const item of result.items) {
        if (!seen.has(item.id)) {
          seen.add(item.id);
          items.push(item);
        }
      }
      if (
        result.totalPages === undefined ||
        page >= result.totalPages ||
        result.items.length + result.rejected === 0
      ) {
        break;
      }
    }
    return readList(items, rejected);
  }

  /** Sends with retries; resolves with a 2xx answer or rejects with a SpheronError. */
  async #send(spec: RequestSpec, options: RequestOptions | undefined): Promise<TransportResponse> {
    const { endpoint, method } = spec;
    const signal = options?.signal;
    const timeoutMs = options?.timeoutMs ?? this.#timeoutMs;
    if (signal?.aborted) {
      throw new CancelledError(endpoint);
    }
    const key = await this.#readKey(endpoint);
    if (spec.auth === 'required' && key === undefined) {
      throw new AuthError(401, endpoint, undefined, 'missing');
    }
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.#userAgent };
    if (key !== undefined) {
      headers['Authorization'] = `Bearer ${key}`;
    }
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const url = `${this.#baseUrl}${spec.path}${queryString(spec.query)}`;
    const maxAttempts = Math.max(1, this.#retry.maxAttempts);

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) {
        throw new CancelledError(endpoint);
      }
      const transport = await this.#loadedTransport(endpoint);
      spec.onAttempt?.();
      this.#budget?.record();
      const startedMs = performance.now();
      const outcome = await attemptOnce(
        transport,
        { method, url, headers, body, maxBodyBytes: this.#maxResponseBytes },
        signal,
        timeoutMs,
        endpoint,
      );
      const elapsedMs = Math.round(performance.now() - startedMs);
      const attemptNote = attempt > 1 ? ` (attempt ${attempt}/${maxAttempts})` : '';

      if ('response' in outcome && outcome.response.status >= 200 && outcome.response.status < 300) {
        this.#debug(`${method} ${spec.path} -> ${outcome.response.status} in ${elapsedMs} ms${attemptNote}`);
        const failure = envelopeFailure({
          endpoint,
          status: outcome.response.status,
          headers: outcome.response.headers,
          bodyText: outcome.response.bodyText,
          nowMs: Date.now(),
          secret: key,
        });
        if (failure) {
          this.#debug(`${method} ${spec.path}: the answer said success: false`);
          throw failure;
        }
        return outcome.response;
      }
      const error =
        'error' in outcome
          ? outcome.error
          : errorFromResponse({
              endpoint,
              status: outcome.response.status,
              headers: outcome.response.headers,
              bodyText: outcome.response.bodyText,
              nowMs: Date.now(),
              secret: key,
            });
      if (error instanceof RateLimitError) {
        this.#budget?.rateLimited(error.retryAfterMs);
      }
      const retry = attempt < maxAttempts && isRetryable(method, error, this.#retry);
      const delayMs = retry ? retryDelayMs(attempt, error, this.#retry, this.#random) : 0;
      const label = 'response' in outcome ? String(outcome.response.status) : describeFailure(error);
      this.#debug(
        `${method} ${spec.path} -> ${label} in ${elapsedMs} ms${attemptNote}${retry ? `, retrying in ${delayMs} ms` : ''}`,
      );
      if (!retry) {
        throw error;
      }
      try {
        await this.#sleep(delayMs, signal);
      } catch {
        throw new CancelledError(endpoint);
      }
    }
  }

  async #readKey(endpoint: string): Promise<string | undefined> {
    let key: string | undefined;
    try {
      key = await this.#getApiKey();
    } catch {
      throw new AuthError(401, endpoint, undefined, 'missing');
    }
    const trimmed = key?.trim();
    return trimmed ? trimmed : undefined;
  }

  async #loadedTransport(endpoint: string): Promise<Transport> {
    this.#transport ??= this.#loadTransport();
    try {
      return await this.#transport;
    } catch {
      this.#transport = undefined;
      throw new NetworkError(endpoint, 'EHTTPLOAD');
    }
  }

  /** What normalizers report: items left out, values chosen between disagreeing fields. */
  readonly #warn = (message: string): void => {
    try {
      this.#logger?.warn(message);
    } catch {
      // A failing logger must not fail the request.
    }
  };

  #debug(message: string): void {
    try {
      this.#logger?.debug(message);
    } catch {
      // A failing logger must not fail the request.
    }
  }
}

/** One attempt under its own timeout, also aborted by the caller's signal. Never rejects. */
async function attemptOnce(
  transport: Transport,
  request: Omit<TransportRequest, 'signal'>,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  endpoint: string,
): Promise<AttemptOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCallerAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    const response = await transport.request({ ...request, signal: controller.signal });
    return { response };
  } catch (error) {
    if (signal?.aborted) {
      return { error: new CancelledError(endpoint) };
    }
    if (timedOut) {
      return { error: new TimeoutError(endpoint, timeoutMs) };
    }
    if ((error as { code?: unknown } | null)?.code === RESPONSE_TOO_LARGE_CODE) {
      return { error: new ResponseTooLargeError(endpoint, request.maxBodyBytes) };
    }
    return { error: new NetworkError(endpoint, networkCauseCode(error)) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }
}

const FRIENDLY_CAUSE_CODES: Readonly<Record<string, string>> = {
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
};

/** A short code like `ECONNREFUSED` from a transport failure; never the error's message or URL. */
export function networkCauseCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const record = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(record.code)) {
      return FRIENDLY_CAUSE_CODES[record.code] ?? record.code;
    }
    current = record.cause ?? (Array.isArray(record.errors) ? (record.errors[0] as unknown) : undefined);
  }
  return undefined;
}

function describeFailure(error: SpheronError): string {
  return error instanceof NetworkError && error.causeCode ? `network ${error.causeCode}` : error.kind;
}

function isJson(bodyText: string): boolean {
  try {
    JSON.parse(bodyText);
    return true;
  } catch {
    return false;
  }
}

function idPath(prefix: string, id: string, endpoint: string): string {
  if (id.trim() === '') {
    throw new ValidationError(endpoint, 'An id is required.');
  }
  return `${prefix}${encodeURIComponent(id)}`;
}

function queryString(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (!query) {
    return '';
  }
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') {
      params.append(name, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function withDefined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** The wire body: `sshPublicKey` → `ssh_public_key`; optional parts only when set. */
export function createDeploymentBody(request: CreateDeploymentRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    provider: request.provider,
    offerId: request.offerId,
    gpuType: request.gpuType,
    gpuCount: request.gpuCount,
    region: request.region,
    operatingSystem: request.operatingSystem,
    instanceType: request.instanceType,
    teamId: request.teamId,
  };
  if (request.name) {
    body['name'] = request.name;
  }
  if (request.sshKeyId) {
    body['sshKeyId'] = request.sshKeyId;
  }
  if (request.sshPublicKey) {
    body['ssh_public_key'] = request.sshPublicKey;
  }
  const cloudInit = request.cloudInit;
  if (
    cloudInit &&
    ((cloudInit.packages?.length ?? 0) > 0 ||
      (cloudInit.runcmd?.length ?? 0) > 0 ||
      (cloudInit.writeFiles?.length ?? 0) > 0)
  ) {
    body['cloudInit'] = cloudInit;
  }
  if (request.volumeIds && request.volumeIds.length > 0) {
    body['volumeIds'] = request.volumeIds;
  }
  const addon = request.kubernetesAddon;
  if (addon) {
    // Contract §4.3: snake_case inside; the OIDC configuration only when the user gave one.
    body['kubernetesAddon'] = {
      version: addon.version,
      ...(addon.authenticationConfigB64 ? { authentication_config_b64: addon.authenticationConfigB64 } : {}),
    };
  }
  return body;
}

/** Origin and path only: no credentials, query or fragment. */
function displayUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.origin}${url.pathname === '/' ? '' : url.pathname}`;
}
