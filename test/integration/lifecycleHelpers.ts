// Shared by the deploy, lifecycle and volume extension-host tests: a simulator in a known state, the
// form panels' message path (what the webview would send and what the host answers), and the rows
// of the Instances and Volumes views. Not a test file itself (no `.test.ts`).
import * as vscode from 'vscode';
import { REQUEST_BUDGET_KEY } from '../../src/core/api/requestBudget';
import type { Deployment } from '../../src/core/domain/types';
import { buildCreateDeploymentRequest } from '../../src/core/deploy/createRequest';
import type { KubernetesAddonChoice } from '../../src/core/deploy/kubernetesAddon';
import type { ModelNode } from '../../src/core/model/nodes';
import type { DeployFormValues } from '../../src/core/deploy/deployForm';
import type { Services } from '../../src/vscode/services';
import type { DeployPanel } from '../../src/vscode/webview/deployPanel';
import type { VolumePanel } from '../../src/vscode/webview/volumePanel';
import { sameProvider } from '../simulator/realWorld';
import { SEED_IDS } from '../simulator/seed';
import { simulatorAdmin, spheronApi, waitFor } from './helpers';

/** Ids of the simulator's seed. */
export const SEED = SEED_IDS;

/** Offers of the seed catalogue the tests deploy, with the group each belongs to. */
export const OFFERS = {
  /** tensordock RTX 4090, $0.38/h, us-east-1, 20 min minimum. */
  rtx4090: { provider: 'tensordock', offerId: 'rtx-4090-tensordock-1', gpuType: 'RTX4090_PCIE' },
  /** Voltage Park 8× H100 cluster, $21.52/h, Dallas, TX, 60 min minimum. */
  vpCluster: { provider: 'voltage-park', offerId: 'vp-h100-sxm5-8x-ib', gpuType: 'H100_SXM5' },
  /** DataCrunch H100 spot, FIN-01. */
  dcH100Fin01: { provider: 'data-crunch', offerId: 'dc-1h100-sxm5-spot', gpuType: 'H100_SXM5' },
  /** DataCrunch A100, FIN-02. */
  dcA100Fin02: { provider: 'data-crunch', offerId: 'dc-1a100-80g-sxm4', gpuType: 'A100_80G_SXM4' },
} as const;

export interface SimDeployment {
  readonly id: string;
  readonly name: string | null;
  readonly providerId: string;
  readonly offerId: string;
  readonly gpuType: string;
  readonly gpuCount: number;
  readonly region: string;
  readonly operatingSystem: string;
  readonly instanceType: string;
  readonly sshKeyId: string | null;
  readonly status: string;
  readonly teamId: string;
  readonly createdAt: string;
  readonly kubernetesAddon?: { readonly version: string; readonly clusterId: string } | null;
  /** The add-on's OIDC configuration as the create sent it (admin state only); null: none. */
  readonly kubernetesAuthenticationConfigB64?: string | null;
}

export interface SimVolume {
  readonly id: string;
  readonly name: string;
  readonly providerId: string;
  readonly region: string | null;
  readonly attachedToDeploymentIds: readonly string[];
  readonly status: string;
}

export interface SimState {
  readonly deployments: SimDeployment[];
  readonly volumes: SimVolume[];
}

export interface SimRequests {
  readonly total: number;
  readonly byRoute: Record<string, number>;
  readonly entries: { method: string; path: string; route: string; status: number; atMs: number }[];
}

export const simState = () => simulatorAdmin<SimState>('state');
export const simRequests = () => simulatorAdmin<SimRequests>('requests');
export async function createPosts(): Promise<number> {
  return (await simRequests()).byRoute['POST /api/deployments'] ?? 0;
}

/** The deployments in the simulator that were not there before (by id). */
export async function newDeployments(before: readonly SimDeployment[]): Promise<SimDeployment[]> {
  const known = new Set(before.map((deployment) => deployment.id));
  return (await simState()).deployments.filter((deployment) => !known.has(deployment.id));
}

interface SimConfig {
  rateLimit: { general: number; creates: number; windowSeconds: number };
  [key: string]: unknown;
}

/**
 * Puts the simulator back to its seed (faults, request log and rate-limit windows cleared), turns
 * its rate limits off (these tests send more requests than one window allows; rate limiting is
 * tested elsewhere) and makes the extension forget what it loaded before. Returns the restore step.
 */
export async function freshSimulator(services: Services): Promise<() => Promise<void>> {
  const { config } = await simulatorAdmin<{ config: SimConfig }>('config', {});
  const previousLimits = config.rateLimit;
  await simulatorAdmin('reset', {});
  await simulatorAdmin('config', { rateLimit: { general: 0, creates: 0 } });
  await resetRequestBudget(services);
  await resyncExtension(services);
  return async () => {
    await simulatorAdmin('faults', undefined, 'DELETE');
    await simulatorAdmin('config', { rateLimit: previousLimits });
  };
}

/**
 * Forgets the extension's own count of requests in the last 15 wall-clock minutes. The suites
 * before spent it, and background work (the deployment watcher, polling, health checks) slows
 * down or waits as it fills, which would stretch every timing a test relies on.
 */
export async function resetRequestBudget(services: Services): Promise<void> {
  await services.globalState.update(REQUEST_BUDGET_KEY, undefined);
}

/** Reloads what the extension caches from the API (after the simulator changed behind its back). */
export async function resyncExtension(services: Services): Promise<void> {
  for (const entry of services.terminations.scheduled()) {
    await services.terminations.cancel(entry.deploymentId);
  }
  await Promise.all([
    services.data.balance.refresh(),
    services.sshKeys.refresh(),
    services.explorer.refresh('instances'),
    services.explorer.refresh('volumes'),
  ]);
}

/** Closes every deploy and volume form (a test must not meet the previous one's panel). */
export function closeForms(services: Services): void {
  for (const panel of services.deployPanels.all()) {
    panel.dispose();
  }
  services.volumePanels.panel?.dispose();
}

export async function services(): Promise<Services> {
  return (await spheronApi()).services;
}

// ---- the form panels' message path --------------------------------------------------------------

interface PostedMessage {
  readonly type: string;
  readonly data?: unknown;
  readonly requestId?: string;
  readonly ok?: boolean;
  readonly error?: { message: string; fieldErrors?: Record<string, string> };
}

export type SubmitStateMessage =
  | { kind: 'idle' }
  | { kind: 'submitting'; phase: 'creating' | 'checking'; startedAtMs: number }
  | { kind: 'created'; id: string; name: string }
  | { kind: 'unconfirmed'; message: string; retryAllowed: boolean; checkedAtMs?: number }
  | { kind: 'failed'; message: string; fieldErrors: Record<string, string> };

let requestCounter = 0;

/**
 * Talks to a form panel the way its webview does: `ready`, requests with a `requestId` (answered
 * by a `response`), commands. Records everything the host posts back.
 */
export class FormConversation {
  readonly posted: PostedMessage[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly panel: Pick<DeployPanel | VolumePanel, 'deliver'> & {
      host: { onDidPostMessage: vscode.Event<unknown> };
    },
  ) {
    this.subscription = panel.host.onDidPostMessage((message) => this.posted.push(message as PostedMessage));
  }

  /** Says `ready` (optionally with the session the webview restored) and returns the `init` data. */
  async ready<Init>(sessionId?: string): Promise<Init> {
    const before = this.posted.length;
    await this.panel.deliver(sessionId === undefined ? { type: 'ready' } : { type: 'ready', sessionId });
    const init = await waitFor(() => this.posted.slice(before).find((message) => message.type === 'init'), {
      timeoutMs: 20_000,
      message: 'the init notification',
    });
    return init.data as Init;
  }

  /** Sends a request and returns the host's answer (the `data` of an ok response, else throws). */
  async request<Result>(method: string, params: unknown): Promise<Result> {
    const response = await this.requestRaw(method, params);
    if (!response.ok) {
      throw new Error(`${method} failed: ${response.error?.message ?? 'no message'}`);
    }
    return response.data as Result;
  }

  /** Sends a request and returns the whole `response` message. */
  async requestRaw(method: string, params: unknown): Promise<PostedMessage> {
    requestCounter += 1;
    const requestId = `test-${requestCounter}`;
    await this.panel.deliver({ type: 'request', requestId, method, params });
    return waitFor(
      () => this.posted.find((message) => message.type === 'response' && message.requestId === requestId),
      { timeoutMs: 60_000, message: `the response to ${method}` },
    );
  }

  /** The `submitState` notifications posted so far, in order. */
  submitStates(): SubmitStateMessage[] {
    return this.posted
      .filter((message) => message.type === 'submitState')
      .map((message) => message.data as SubmitStateMessage);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

export interface DeployInitData {
  readonly sessionId: string;
  readonly offer: {
    provider: string;
    offerId: string;
    regions: string[];
    osOptions: string[];
    pricePerHour: number;
    gpuCount: number;
    instanceType: string;
  };
  readonly group: { gpuType: string; displayName: string };
  readonly team: { id: string; name: string };
  readonly balance: number | null;
  readonly minimumRuntimeMinutes: number;
  readonly keys: { id: string; name: string }[];
  readonly suggestedName: string;
  readonly submitState: SubmitStateMessage;
  readonly submittedForm: DeployFormValues | null;
}

/**
 * An offer as the simulator serves it now: its provider spelled as the catalogue spells it (the
 * real-world profile uses the old slugs, e.g. `datacrunch`) and its group's gpuType as served
 * (lower case in some groups there). Found by offer id and `sameProvider`, never by spelling.
 */
export async function servedOffer(
  services: Services,
  offer: { provider: string; offerId: string },
): Promise<{ provider: string; offerId: string; gpuType: string }> {
  const catalogue = await services.session.api.listAllGpuOffers({});
  for (const group of catalogue.groups) {
    const entry = group.offers.find(
      (candidate) => candidate.offerId === offer.offerId && sameProvider(candidate.provider, offer.provider),
    );
    if (entry) {
      return { provider: entry.provider, offerId: entry.offerId, gpuType: group.gpuType };
    }
  }
  throw new Error(`offer ${offer.offerId} is not in the simulator's catalogue`);
}

/** Opens the deploy form for an offer through the command, as the Offers view's "Deploy…" does. */
export async function openDeployForm(
  offer: { provider: string; offerId: string },
  sessionId?: string,
): Promise<{ panel: DeployPanel; talk: FormConversation; init: DeployInitData }> {
  // The offer row hands the command the offer as the catalogue spells it.
  const served = await servedOffer(await services(), offer);
  const panel = await vscode.commands.executeCommand<DeployPanel | undefined>('spheron.deploy', {
    provider: served.provider,
    offerId: served.offerId,
  });
  if (!panel) {
    throw new Error(`spheron.deploy opened no form for ${offer.offerId}`);
  }
  const talk = new FormConversation(panel);
  const init = await talk.ready<DeployInitData>(sessionId);
  return { panel, talk, init };
}

/** A valid form for the offer: the first region and OS, verbatim, and the seed's registered key. */
export function formFor(init: DeployInitData, patch: Partial<DeployFormValues> = {}): DeployFormValues {
  return {
    name: uniqueName('it'),
    region: init.offer.regions[0] ?? '',
    operatingSystem: init.offer.osOptions[0] ?? '',
    sshKey: { kind: 'registered', keyId: SEED.sshKey },
    volumeIds: [],
    packages: '',
    commands: '',
    ...patch,
  };
}

export function submitDeploy(
  talk: FormConversation,
  sessionId: string,
  form: DeployFormValues,
): Promise<SubmitStateMessage> {
  return talk.request<SubmitStateMessage>('submitDeploy', { sessionId, form });
}

let nameCounter = 0;
/** A deployment or volume name no earlier test used (letters, digits, hyphens). */
export function uniqueName(prefix: string): string {
  nameCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${nameCounter}`;
}

// ---- deployments made for a test ----------------------------------------------------------------

/** Creates a deployment straight through the API (setup for lifecycle tests, not the subject). */
export async function createDeployment(
  services: Services,
  offer: { provider: string; offerId: string; gpuType: string },
  name: string,
  kubernetesAddon?: KubernetesAddonChoice,
): Promise<Deployment> {
  const catalogue = await services.session.api.listAllGpuOffers({});
  const group = catalogue.groups.find((candidate) =>
    candidate.offers.some(
      (entry) => entry.offerId === offer.offerId && sameProvider(entry.provider, offer.provider),
    ),
  );
  const entry = group?.offers.find(
    (candidate) => candidate.offerId === offer.offerId && sameProvider(candidate.provider, offer.provider),
  );
  if (!group || !entry) {
    throw new Error(`offer ${offer.offerId} is not in the simulator's catalogue`);
  }
  // The extension's own mapping from an offer to the create body.
  const request = buildCreateDeploymentRequest(
    entry,
    group.gpuType,
    {
      name,
      region: entry.regions[0] ?? '',
      operatingSystem: entry.osOptions[0] ?? '',
      sshKey: { kind: 'registered', keyId: SEED.sshKey },
      volumeIds: [],
      startup: undefined,
    },
    SEED.team,
    kubernetesAddon,
  );
  return services.session.api.createDeployment(request);
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Moves the simulated clock (deploying → running after 45 s; the minimum runtime is 20 min). */
export async function advanceClock(seconds: number): Promise<void> {
  await simulatorAdmin('clock/advance', { seconds });
}

export async function simDeployment(id: string): Promise<SimDeployment | undefined> {
  return (await simState()).deployments.find((deployment) => deployment.id === id);
}

// ---- the views ----------------------------------------------------------------------------------

/** The Instances view's row for a deployment, as the tree provider hands it to VS Code. */
export function instanceRow(services: Services, deploymentId: string): vscode.TreeItem | undefined {
  const node = services.explorer.instancesTree.nodes.find(
    (candidate: ModelNode) => candidate.id === `instance:${deploymentId}`,
  );
  return node ? services.explorer.instancesTree.getTreeItem(node) : undefined;
}

/** The Volumes view's row for a volume. */
export function volumeRow(services: Services, volumeId: string): vscode.TreeItem | undefined {
  const node = services.explorer.volumesTree.nodes.find(
    (candidate: ModelNode) => candidate.id === `volume:${volumeId}`,
  );
  return node ? services.explorer.volumesTree.getTreeItem(node) : undefined;
}

export function labelOf(item: vscode.TreeItem | undefined): string | undefined {
  const label = item?.label;
  return typeof label === 'string' ? label : label?.label;
}
