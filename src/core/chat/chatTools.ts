// The language-model tools an agent in chat can use: their inputs (checked here, since an agent's
// input is untrusted text), their answers (short lines an agent can reason with) and the
// confirmations shown before a tool spends or ends something. No answer ever carries the API key,
// a Jupyter token or anything else secret: only what the Spheron views show.
import * as z from 'zod/mini';
import type { Deployment, Offer, OfferGroup, TeamBalance, Volume } from '../domain/types';
import { deployCost, minimumRuntimeOf } from '../deploy/cost';
import {
  kubernetesAddonProblem,
  offerKubernetesAddon,
  pricePerHourWithAddon,
  type KubernetesAddonChoice,
} from '../deploy/kubernetesAddon';
import {
  AUTHENTICATION_CONFIG_MAX_BYTES,
  authenticationConfigProblem,
  kubernetesAddonChoiceOf,
} from '../deploy/kubernetesAddonForm';
import { burnRate, runway } from '../model/costs';
import { isEnded } from '../model/classify';
import { formatBalance, formatDuration, formatRate, formatUsd } from '../model/format';
import { costSoFar, instanceLabel, uptimeMs } from '../model/instances';
import { offerHardwareLabel, regionLabel } from '../model/offers';

import type { ChatToolName } from './toolNames';

export { CHAT_TOOL_NAMES, type ChatToolName } from './toolNames';

/** An agent's input the tool cannot use; the message tells the agent what to send instead. */
export class ChatToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChatToolInputError';
  }
}

const ID = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/));
const TEXT = z.string().check(z.minLength(1), z.maxLength(200));

export const INPUT_SCHEMAS = {
  spheron_findOffers: z.strictObject({
    gpu: z.optional(TEXT),
    minVramGb: z.optional(z.number().check(z.positive(), z.lte(10_000))),
    maxPricePerHour: z.optional(z.number().check(z.positive(), z.lte(100_000))),
    region: z.optional(TEXT),
    type: z.optional(z.enum(['spot', 'dedicated', 'cluster'])),
    limit: z.optional(z.int().check(z.gte(1), z.lte(50))),
  }),
  spheron_listInstances: z.strictObject({ includeEnded: z.optional(z.boolean()) }),
  spheron_balance: z.strictObject({}),
  spheron_deploy: z.strictObject({
    provider: ID,
    offerId: ID,
    name: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/)),
    region: z.optional(TEXT),
    operatingSystem: z.optional(TEXT),
    sshKeyId: z.optional(ID),
    kubernetesVersion: z.optional(z.string().check(z.regex(/^\d+\.\d+(?:\.\d+)?$/))),
    kubernetesAuthenticationConfig: z.optional(
      z.string().check(z.maxLength(AUTHENTICATION_CONFIG_MAX_BYTES)),
    ),
  }),
  spheron_terminate: z.strictObject({ deploymentId: ID }),
  spheron_startJupyter: z.strictObject({ deploymentId: ID }),
} as const;

export type ChatToolInput<Name extends ChatToolName> = z.output<(typeof INPUT_SCHEMAS)[Name]>;

/** The tool's input, or ChatToolInputError naming each field that is wrong. */
export function parseToolInput<Name extends ChatToolName>(name: Name, input: unknown): ChatToolInput<Name> {
  const result = z.safeParse(INPUT_SCHEMAS[name], input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = issue.path.join('.') || 'input';
      switch (issue.code) {
        case 'unrecognized_keys':
          return `unknown field(s) ${issue.keys.join(', ')}`;
        case 'invalid_type':
          return `${field} must be a ${issue.expected}`;
        case 'too_big':
          return `${field} must be at most ${String(issue.maximum)}`;
        case 'too_small':
          return `${field} must be at least ${String(issue.minimum)}`;
        case 'invalid_value':
          return `${field} must be one of ${issue.values.map(String).join(', ')}`;
        case 'invalid_format':
        case 'invalid_union':
        case 'invalid_key':
        case 'invalid_element':
        case 'not_multiple_of':
        case 'custom':
          return `${field} has the wrong format`;
      }
    });
    throw new ChatToolInputError(`Invalid input for ${name}: ${problems.join('; ')}.`);
  }
  return result.data as ChatToolInput<Name>;
}

const TYPE_OF: Record<string, string> = { spot: 'SPOT', dedicated: 'DEDICATED', cluster: 'CLUSTER' };

/** Deployable offers matching the agent's filters, cheapest first. */
export function findOffers(
  groups: readonly OfferGroup[],
  input: ChatToolInput<'spheron_findOffers'>,
): Offer[] {
  const gpu = input.gpu?.toLowerCase().replace(/[\s_-]+/g, '');
  const region = input.region?.toLowerCase();
  return groups
    .flatMap((group) => group.offers)
    .filter(
      (offer) =>
        offer.available &&
        !offer.maintenance &&
        (gpu === undefined ||
          `${offer.gpuType} ${offer.gpuDisplayName}`
            .toLowerCase()
            .replace(/[\s_-]+/g, '')
            .includes(gpu)) &&
        (input.minVramGb === undefined || (offer.vramGbPerGpu ?? 0) >= input.minVramGb) &&
        (input.maxPricePerHour === undefined || offer.pricePerHour <= input.maxPricePerHour) &&
        (region === undefined ||
          offer.regions.some(
            (candidate) =>
              candidate.toLowerCase().includes(region) ||
              regionLabel(candidate).toLowerCase().includes(region),
          )) &&
        (input.type === undefined || offer.instanceType.toUpperCase() === TYPE_OF[input.type]),
    )
    .sort((a, b) => a.pricePerHour - b.pricePerHour || a.offerId.localeCompare(b.offerId))
    .slice(0, input.limit ?? 10);
}

/** ` · Kubernetes add-on 1.35 +$0.50/h`, for the offers that can carry it. */
function addonNote(offer: Offer): string {
  const addon = offerKubernetesAddon(offer);
  return addon
    ? ` · Kubernetes add-on ${addon.version} available (kubernetesVersion) +${formatRate(addon.totalCostPerHour)}`
    : '';
}

/**
 * The add-on the agent asked for, or ChatToolInputError saying why this offer cannot carry it.
 * Undefined when it asked for none.
 */
export function chatKubernetesAddon(
  offer: Offer,
  input: Pick<ChatToolInput<'spheron_deploy'>, 'kubernetesVersion' | 'kubernetesAuthenticationConfig'>,
): KubernetesAddonChoice | undefined {
  if (input.kubernetesVersion === undefined) {
    if (input.kubernetesAuthenticationConfig !== undefined) {
      throw new ChatToolInputError(
        'kubernetesAuthenticationConfig goes with kubernetesVersion: it configures the Kubernetes add-on.',
      );
    }
    return undefined;
  }
  // The same checks and encoding as the deploy form's OIDC field.
  const authProblem = authenticationConfigProblem(input.kubernetesAuthenticationConfig);
  if (authProblem !== undefined) {
    throw new ChatToolInputError(`kubernetesAuthenticationConfig: ${authProblem}`);
  }
  const choice = kubernetesAddonChoiceOf({
    enabled: true,
    version: input.kubernetesVersion,
    authenticationConfig: input.kubernetesAuthenticationConfig,
  }) ?? { version: input.kubernetesVersion };
  const problem = kubernetesAddonProblem(offer, choice);
  if (problem !== undefined) {
    throw new ChatToolInputError(`${problem} Deploy without kubernetesVersion, or pick such an offer.`);
  }
  return choice;
}

/** One line per offer, with what deploy needs (provider and offerId). */
export function offersResult(offers: readonly Offer[]): string {
  if (offers.length === 0) {
    return 'No deployable offer matches. Loosen a filter (GPU, VRAM, price, region or type).';
  }
  return [
    `${offers.length} offer(s), cheapest first:`,
    ...offers.map(
      (offer) =>
        `- provider=${offer.provider} offerId=${offer.offerId} · ${offer.gpuDisplayName} ${offerHardwareLabel(offer)} · ${formatRate(offer.pricePerHour)} · ${offer.instanceType.toLowerCase()} · min ${minimumRuntimeOf(offer)} min · regions: ${offer.regions.map(regionLabel).join(', ')}${addonNote(offer)}`,
    ),
  ].join('\n');
}

/** One line per instance: id, name, status, rate, cost so far, uptime. */
export function instancesResult(
  deployments: readonly Deployment[],
  input: ChatToolInput<'spheron_listInstances'>,
  nowMs: number,
): string {
  const shown = deployments.filter(
    (deployment) => input.includeEnded === true || !isEnded(deployment.status),
  );
  if (shown.length === 0) {
    return input.includeEnded ? 'The team has no instances.' : 'No instance is running or deploying.';
  }
  return [
    `${shown.length} instance(s):`,
    ...shown.map((deployment) => {
      const uptime = uptimeMs(deployment, nowMs);
      return `- id=${deployment.id} name=${instanceLabel(deployment)} · ${deployment.status} · ${deployment.gpuCount ?? '?'}× ${deployment.gpuType} · ${formatRate(deployment.hourlyRate)} · ${formatUsd(costSoFar(deployment, nowMs))} so far${uptime === undefined ? '' : ` · up ${formatDuration(uptime)}`}`;
    }),
  ].join('\n');
}

/** The team's balance, what burns now and how long the balance lasts. */
export function balanceResult(
  team: TeamBalance | undefined,
  deployments: readonly Deployment[],
  volumes: readonly Volume[],
): string {
  if (!team) {
    return 'No team: the API key sees no team.';
  }
  const burn = burnRate(deployments, volumes);
  const lasts = runway(team.balance, burn.totalPerHour);
  return [
    `team=${team.teamName} · balance ${formatBalance(team.balance)}`,
    `burn ${formatRate(burn.totalPerHour)} (${burn.activeCount} active instance(s) ${formatRate(burn.activePerHour)}, ${burn.stoppedCount} stopped ${formatRate(burn.stoppedPerHour)}, ${burn.volumeCount} volume(s) ${formatRate(burn.volumesPerHour)})`,
    `balance lasts ${lasts.text} at this rate`,
  ].join('\n');
}

export interface ToolConfirmation {
  readonly title: string;
  readonly message: string;
}

/**
 * Shown in chat before a deploy: the name, the price per hour and the minimum charge, both with
 * the Kubernetes add-on's cost when it is asked for.
 */
export function deployConfirmation(
  offer: Offer,
  name: string,
  balance: number | undefined,
  kubernetesAddon?: KubernetesAddonChoice,
): ToolConfirmation {
  const cost = deployCost({
    pricePerHour: pricePerHourWithAddon(offer, kubernetesAddon !== undefined),
    minimumRuntimeMinutes: minimumRuntimeOf(offer),
    balance,
  });
  const addon = kubernetesAddon ? offerKubernetesAddon(offer) : undefined;
  const lines = [
    `Deploy “${name}”: ${offer.gpuDisplayName} ${offerHardwareLabel(offer)} from ${offer.provider}${kubernetesAddon && addon ? ` with the Kubernetes ${kubernetesAddon.version} add-on${kubernetesAddon.authenticationConfigB64 ? ' (OIDC authentication as given)' : ''}` : ''} at ${formatRate(cost.perHour)} (${addon ? `${formatRate(offer.pricePerHour)} + ${formatRate(addon.totalCostPerHour)} for the add-on; ` : ''}${formatUsd(cost.perDay)} per day).`,
    `Spheron charges at least ${formatUsd(cost.minimumCharge)} (${cost.minimumRuntimeMinutes} minutes) even if it is terminated sooner.`,
  ];
  if (cost.balance !== undefined) {
    lines.push(`Balance ${formatBalance(cost.balance)}.`);
  }
  return { title: `Deploy ${name} at ${formatRate(cost.perHour)}?`, message: lines.join(' ') };
}

/** Shown in chat before a terminate: the name, the price, the cost so far and the minimum runtime. */
export function terminateConfirmation(deployment: Deployment, nowMs: number): ToolConfirmation {
  const name = instanceLabel(deployment);
  return {
    title: `Terminate ${name}?`,
    message: `Terminate “${name}” (${deployment.status}, ${formatRate(deployment.hourlyRate)}, ${formatUsd(costSoFar(deployment, nowMs))} so far). Its disk is destroyed. Inside Spheron's minimum runtime (the minimum charge is billed either way) it is terminated when Spheron allows it, while VS Code stays open.`,
  };
}

/** Shown in chat before Jupyter is started on an instance. */
export function startJupyterConfirmation(deployment: Deployment): ToolConfirmation {
  const name = instanceLabel(deployment);
  return {
    title: `Open Jupyter on ${name}?`,
    message: `Open Jupyter on “${name}” (${deployment.status}, ${formatRate(deployment.hourlyRate)}): it forwards the port over SSH and, if Jupyter is not running there, starts it on the instance.`,
  };
}
