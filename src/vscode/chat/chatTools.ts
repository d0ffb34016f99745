import * as vscode from 'vscode';
import type { OfferGroup } from '../../core/domain/types';
import {
  balanceResult,
  chatKubernetesAddon,
  ChatToolInputError,
  deployConfirmation,
  findOffers,
  instancesResult,
  offersResult,
  parseToolInput,
  startJupyterConfirmation,
  terminateConfirmation,
  type ChatToolInput,
  type ChatToolName,
  type ToolConfirmation,
} from '../../core/chat/chatTools';
import { deployCost, minimumRuntimeOf } from '../../core/deploy/cost';
import { pricePerHourWithAddon, type KubernetesAddonChoice } from '../../core/deploy/kubernetesAddon';
import { initialDeployForm } from '../../core/deploy/deployForm';
import { submitDeployForm } from '../../core/deploy/deploySubmission';
import { findOfferInCatalogue, isDeployableOffer, type CatalogueOffer } from '../../core/deploy/offerPicks';
import { isEnded } from '../../core/model/classify';
import { formatRate } from '../../core/model/format';
import { instanceLabel } from '../../core/model/instances';
import { terminateNow } from '../commands/terminate';
import type { Services } from '../services';

/** What the shell's registered tool stubs call once main is loaded. */
export interface ChatTools {
  prepare(name: ChatToolName, input: unknown): Promise<ToolConfirmation | undefined>;
  invoke(name: ChatToolName, input: unknown, token?: vscode.CancellationToken): Promise<string>;
}

async function catalogue(services: Services): Promise<readonly OfferGroup[]> {
  const offers = services.data.offers;
  if (!offers.state.value) {
    await offers.refresh();
  }
  const value = offers.state.value;
  if (!value) {
    throw offers.state.error instanceof Error
      ? offers.state.error
      : new Error('Could not load the GPU catalogue.');
  }
  return value.groups;
}

async function deployableOffer(
  services: Services,
  input: ChatToolInput<'spheron_deploy'>,
): Promise<CatalogueOffer> {
  const found = findOfferInCatalogue(await catalogue(services), input);
  if (!found) {
    throw new ChatToolInputError(
      `No offer ${input.offerId} from ${input.provider} in the catalogue; use spheron_findOffers for current offers.`,
    );
  }
  if (!isDeployableOffer(found.offer)) {
    throw new ChatToolInputError(
      `Offer ${input.offerId} cannot be deployed now (maintenance or unavailable).`,
    );
  }
  return found;
}

async function loaded<T>(resource: {
  state: { value: T | undefined; error: unknown };
  refresh(): Promise<unknown>;
}): Promise<T> {
  if (resource.state.value === undefined) {
    await resource.refresh();
  }
  const { value, error } = resource.state;
  if (value === undefined) {
    throw error instanceof Error ? error : new Error('Could not load from Spheron.');
  }
  return value;
}

/** The add-on asked for, checked against the offer and the versions its provider offers now. */
async function kubernetesAddonFor(
  services: Services,
  offer: CatalogueOffer['offer'],
  input: ChatToolInput<'spheron_deploy'>,
): Promise<KubernetesAddonChoice | undefined> {
  const choice = chatKubernetesAddon(offer, input);
  if (!choice) {
    return undefined;
  }
  const versions = await services.session.api.listKubernetesVersions(offer.provider);
  const available = versions.filter((version) => version.available).map((version) => version.version);
  if (!available.includes(choice.version)) {
    throw new ChatToolInputError(
      `Kubernetes ${choice.version} is not offered on ${offer.provider} now; available: ${available.join(', ') || 'none'}.`,
    );
  }
  return choice;
}

async function deploy(services: Services, input: ChatToolInput<'spheron_deploy'>): Promise<string> {
  const { offer, group } = await deployableOffer(services, input);
  const kubernetesAddon = await kubernetesAddonFor(services, offer, input);
  const teamId = await services.data.teamId();
  if (!teamId) {
    throw new Error('The API key sees no team to deploy for.');
  }
  const balance = await services.data.balance.refresh().then(() => services.data.currentTeam()?.balance);
  const pricePerHour = pricePerHourWithAddon(offer, kubernetesAddon !== undefined);
  const cost = deployCost({
    pricePerHour,
    minimumRuntimeMinutes: minimumRuntimeOf(offer),
    balance,
  });
  if (!cost.canAfford) {
    throw new Error(cost.reason);
  }
  const keys = await loaded(services.sshKeys);
  const keyId = input.sshKeyId ?? (keys.length === 1 ? keys[0]?.id : undefined);
  if (!keyId) {
    throw new ChatToolInputError(
      keys.length === 0
        ? 'The team has no registered SSH key; add one with Spheron: Upload SSH Key first.'
        : `Pick an sshKeyId: ${keys.map((key) => `${key.id} (${key.name})`).join(', ')}.`,
    );
  }
  const form = {
    ...initialDeployForm({ offer, suggestedName: input.name, defaultKey: { kind: 'registered', keyId } }),
    ...(input.region ? { region: input.region } : {}),
    ...(input.operatingSystem ? { operatingSystem: input.operatingSystem } : {}),
  };
  // One session per team and name: the same request asked twice is the same create, sent once.
  const state = await submitDeployForm({
    registry: services.deployPanels.registry,
    api: services.session.api,
    sessionId: `chat:${teamId}:${input.name}`,
    form,
    offer,
    groupGpuType: group.gpuType,
    teamId,
    registeredKeyIds: keys.map((key) => key.id),
    volumes: [],
    ...(kubernetesAddon ? { kubernetesAddon } : {}),
  });
  switch (state.kind) {
    case 'created':
      void services.deploymentWatcher.watch(state.id, state.name);
      void services.explorer.refresh('instances');
      return `Created id=${state.id} name=${state.name} · deploying · ${formatRate(pricePerHour)}${kubernetesAddon ? ` · Kubernetes ${kubernetesAddon.version} add-on` : ''}. It takes a few minutes to run; spheron_listInstances shows its status.`;
    case 'failed': {
      const fields = Object.entries(state.fieldErrors).map(([field, message]) => `${field}: ${message}`);
      throw new ChatToolInputError([state.message, ...fields].join(' '));
    }
    case 'unconfirmed':
      return `Not confirmed: ${state.message} Do not deploy again; spheron_listInstances shows whether ${input.name} exists.`;
    case 'idle':
    case 'submitting':
      return `The create of ${input.name} is still being checked; do not deploy again. spheron_listInstances shows whether it exists.`;
  }
}

async function terminate(services: Services, input: ChatToolInput<'spheron_terminate'>): Promise<string> {
  const deployment = await services.session.api.getDeployment(input.deploymentId);
  const name = instanceLabel(deployment);
  if (isEnded(deployment.status)) {
    return `${name} (id=${deployment.id}) has already ended (${deployment.status}).`;
  }
  // The user confirmed in chat (prepareInvocation); the guarded terminate path does the rest.
  const result = await terminateNow(services, deployment, services.prompts.confirmedInChat());
  switch (result) {
    case 'terminated':
      return `Terminated ${name} (id=${deployment.id}). It no longer bills.`;
    case 'already-terminated':
      return `${name} (id=${deployment.id}) was already terminated.`;
    case 'scheduled':
      return `${name} (id=${deployment.id}) is inside Spheron's minimum runtime: it will be terminated when allowed, while VS Code stays open.`;
    case 'cancelled':
      return `${name} (id=${deployment.id}) was not terminated.`;
  }
}

async function startJupyter(
  services: Services,
  input: ChatToolInput<'spheron_startJupyter'>,
): Promise<string> {
  const url = await vscode.commands.executeCommand<string | undefined>(
    'spheron.instance.openJupyter',
    input.deploymentId,
    services.prompts.confirmedInChat(),
  );
  if (!url) {
    return `Jupyter was not opened on ${input.deploymentId}; the user was told why.`;
  }
  // The URL carries Jupyter's token: the agent gets the forwarded address only.
  return `Jupyter is open in the editor, forwarded to ${new URL(url).origin}/ (signed in for the user).`;
}

export function createChatTools(services: Services): ChatTools {
  return {
    async prepare(name, rawInput) {
      switch (name) {
        case 'spheron_deploy': {
          const input = parseToolInput(name, rawInput);
          const { offer } = await deployableOffer(services, input);
          return deployConfirmation(
            offer,
            input.name,
            services.data.currentTeam()?.balance,
            chatKubernetesAddon(offer, input),
          );
        }
        case 'spheron_terminate': {
          const input = parseToolInput(name, rawInput);
          return terminateConfirmation(
            await services.session.api.getDeployment(input.deploymentId),
            Date.now(),
          );
        }
        case 'spheron_startJupyter': {
          const input = parseToolInput(name, rawInput);
          return startJupyterConfirmation(await services.session.api.getDeployment(input.deploymentId));
        }
        case 'spheron_findOffers':
        case 'spheron_listInstances':
        case 'spheron_balance':
          // Read-only: no confirmation.
          return undefined;
      }
    },
    async invoke(name, rawInput, token) {
      if (token?.isCancellationRequested) {
        throw new vscode.CancellationError();
      }
      switch (name) {
        case 'spheron_findOffers':
          return offersResult(findOffers(await catalogue(services), parseToolInput(name, rawInput)));
        case 'spheron_listInstances': {
          const input = parseToolInput(name, rawInput);
          await services.data.deployments.refresh();
          return instancesResult(await loaded(services.data.deployments), input, Date.now());
        }
        case 'spheron_balance': {
          parseToolInput(name, rawInput);
          await Promise.all([
            services.data.balance.refresh(),
            services.data.deployments.refresh(),
            services.data.volumes.refresh(),
          ]);
          return balanceResult(
            services.data.currentTeam(),
            await loaded(services.data.deployments),
            await loaded(services.data.volumes),
          );
        }
        case 'spheron_deploy':
          return deploy(services, parseToolInput(name, rawInput));
        case 'spheron_terminate':
          return terminate(services, parseToolInput(name, rawInput));
        case 'spheron_startJupyter':
          return startJupyter(services, parseToolInput(name, rawInput));
      }
    },
  };
}
