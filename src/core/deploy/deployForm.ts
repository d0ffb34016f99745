// The deploy form: what it holds, its rules, and the validated result the create body is built
// from. Pure and free of Node APIs, so the webview validates as the user types with this code.
import * as z from 'zod/mini';
import type { Offer, Volume } from '../domain/types';
import {
  kubernetesAddonFieldProblem,
  kubernetesAuthenticationFieldProblem,
  type KubernetesAddonFormValue,
} from './kubernetesAddonForm';
import { deploymentNameProblem } from './names';
import { volumesForOffer } from './volumeCompatibility';

export type SshKeyChoice =
  | { readonly kind: 'none' }
  | { readonly kind: 'registered'; readonly keyId: string }
  /** A raw OpenSSH public key sent as `ssh_public_key` (Spheron mints a temporary key). */
  | { readonly kind: 'public-key'; readonly publicKey: string };

/** The form as the user fills it (startup text as typed). */
export interface DeployFormValues {
  readonly name: string;
  readonly region: string;
  readonly operatingSystem: string;
  readonly sshKey: SshKeyChoice;
  readonly volumeIds: readonly string[];
  /** apt packages, separated by spaces, commas or new lines. */
  readonly packages: string;
  /** Shell commands, one per line, run as root after boot. */
  readonly commands: string;
  /** Only on offers that can carry the add-on. */
  readonly kubernetesAddon?: KubernetesAddonFormValue;
}

export const DEPLOY_FIELDS = [
  'name',
  'region',
  'operatingSystem',
  'sshKey',
  'volumeIds',
  'startupScript',
  'kubernetesAddon',
  /** The add-on's OIDC configuration (part of the `kubernetesAddon` value). */
  'kubernetesAuthentication',
  'form',
] as const;
export type DeployField = (typeof DEPLOY_FIELDS)[number];
export type DeployFieldErrors = Partial<Record<DeployField, string>>;

export interface ValidDeployForm {
  readonly name: string;
  readonly region: string;
  readonly operatingSystem: string;
  readonly sshKey: Exclude<SshKeyChoice, { kind: 'none' }>;
  readonly volumeIds: readonly string[];
  /** Undefined when there is nothing to run. */
  readonly startup: { readonly packages: readonly string[]; readonly runcmd: readonly string[] } | undefined;
}

export type DeployFormResult =
  | { readonly ok: true; readonly value: ValidDeployForm }
  | { readonly ok: false; readonly fieldErrors: DeployFieldErrors };

export interface DeployFormContext {
  readonly offer: Offer;
  readonly registeredKeyIds: readonly string[];
  readonly volumes: readonly Volume[];
}

export const MAX_PACKAGES = 100;
export const MAX_COMMAND_LENGTH = 4096;
/** Cloud-init user data is limited to 16 KB on common providers; stay well inside it. */
export const MAX_STARTUP_BYTES = 12 * 1024;

const packageNameSchema = z.string().check(z.maxLength(200), z.regex(/^[A-Za-z0-9][A-Za-z0-9.+_:=~-]*$/));

const publicKeyLineSchema = z
  .string()
  .check(
    z.regex(
      /^(ssh-ed25519|sk-ssh-ed25519@openssh\.com|ecdsa-sha2-nistp(256|384|521)|sk-ecdsa-sha2-nistp256@openssh\.com|ssh-rsa) [A-Za-z0-9+/]+={0,2}( [^\r\n]*)?$/,
    ),
  );

export function emptyDeployForm(): DeployFormValues {
  return {
    name: '',
    region: '',
    operatingSystem: '',
    sshKey: { kind: 'none' },
    volumeIds: [],
    packages: '',
    commands: '',
  };
}

export function parsePackages(text: string): string[] {
  return text.split(/[\s,]+/).filter((word) => word !== '');
}

export function parseCommands(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+$/, ''))
    .filter((line) => line.trim() !== '');
}

/** C0 controls other than tab, and DEL: they break YAML and terminals. */
function hasControlCharacter(line: string): boolean {
  for (const char of line) {
    const code = char.charCodeAt(0);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      return true;
    }
  }
  return false;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

function startupProblem(
  packages: readonly string[],
  commands: readonly string[],
  offer: Offer,
): string | undefined {
  if (packages.length === 0 && commands.length === 0) {
    return undefined;
  }
  if (!offer.supportsCloudInit) {
    return 'This offer does not run startup scripts. Remove the packages and commands, or choose another offer.';
  }
  if (packages.length > MAX_PACKAGES) {
    return `Use at most ${MAX_PACKAGES} packages.`;
  }
  const badPackage = packages.find((name) => !packageNameSchema.safeParse(name).success);
  if (badPackage !== undefined) {
    return `"${badPackage}" is not a package name (letters, digits and . + _ : = ~ - only).`;
  }
  const badCommand = commands.findIndex(hasControlCharacter);
  if (badCommand !== -1) {
    return `Command ${badCommand + 1} contains a control character.`;
  }
  const longCommand = commands.findIndex((line) => line.length > MAX_COMMAND_LENGTH);
  if (longCommand !== -1) {
    return `Command ${longCommand + 1} is longer than ${MAX_COMMAND_LENGTH} characters.`;
  }
  if (utf8Length(packages.join(' ') + commands.join('\n')) > MAX_STARTUP_BYTES) {
    return `The startup script is larger than ${MAX_STARTUP_BYTES / 1024} KB.`;
  }
  return undefined;
}

function sshKeyProblem(choice: SshKeyChoice, registeredKeyIds: readonly string[]): string | undefined {
  switch (choice.kind) {
    case 'none':
      return 'Choose an SSH key. Without one you cannot log in to the instance.';
    case 'registered':
      return registeredKeyIds.includes(choice.keyId)
        ? undefined
        : 'That SSH key is no longer registered with Spheron. Choose another.';
    case 'public-key':
      return publicKeyLineSchema.safeParse(choice.publicKey.trim()).success
        ? undefined
        : 'That is not an OpenSSH public key (ssh-ed25519, ecdsa-sha2-… or ssh-rsa).';
  }
}

export function validateDeployForm(values: DeployFormValues, context: DeployFormContext): DeployFormResult {
  const { offer } = context;
  const fieldErrors: DeployFieldErrors = {};
  if (offer.maintenance) {
    fieldErrors.form = 'The provider has put this offer under maintenance. Choose another offer.';
  }
  const nameProblem = deploymentNameProblem(values.name);
  if (nameProblem) {
    fieldErrors.name = nameProblem;
  }
  if (!offer.regions.includes(values.region)) {
    fieldErrors.region =
      values.region === '' ? 'Choose a region.' : 'This offer is not available in that region.';
  }
  if (!offer.osOptions.includes(values.operatingSystem)) {
    fieldErrors.operatingSystem =
      values.operatingSystem === ''
        ? 'Choose an operating system.'
        : 'This offer does not provide that operating system.';
  }
  const keyProblem = sshKeyProblem(values.sshKey, context.registeredKeyIds);
  if (keyProblem) {
    fieldErrors.sshKey = keyProblem;
  }
  const compatibility = volumesForOffer(context.volumes, offer, values.region);
  const volumeIds = [...new Set(values.volumeIds)];
  const compatibleIds = new Set(compatibility.compatible.map((volume) => volume.id));
  if (volumeIds.some((id) => !compatibleIds.has(id))) {
    fieldErrors.volumeIds =
      'A chosen volume cannot be attached to this instance. Check the volume list again.';
  } else if (compatibility.maxSelectable !== undefined && volumeIds.length > compatibility.maxSelectable) {
    fieldErrors.volumeIds =
      `Choose at most ${compatibility.maxSelectable === 1 ? 'one volume' : `${compatibility.maxSelectable} volumes`}: ${compatibility.providerRule ?? ''}`.trim();
  }
  const packages = parsePackages(values.packages);
  const commands = parseCommands(values.commands);
  const startup = startupProblem(packages, commands, offer);
  if (startup) {
    fieldErrors.startupScript = startup;
  }
  const addonProblem = kubernetesAddonFieldProblem(values.kubernetesAddon, offer);
  if (addonProblem) {
    fieldErrors.kubernetesAddon = addonProblem;
  }
  const authenticationProblem = kubernetesAuthenticationFieldProblem(values.kubernetesAddon);
  if (authenticationProblem) {
    fieldErrors.kubernetesAuthentication = authenticationProblem;
  }
  if (Object.keys(fieldErrors).length > 0 || values.sshKey.kind === 'none') {
    return { ok: false, fieldErrors };
  }
  return {
    ok: true,
    value: {
      name: values.name,
      region: values.region,
      operatingSystem: values.operatingSystem,
      sshKey:
        values.sshKey.kind === 'public-key'
          ? { kind: 'public-key', publicKey: values.sshKey.publicKey.trim() }
          : values.sshKey,
      volumeIds,
      startup: packages.length > 0 || commands.length > 0 ? { packages, runcmd: commands } : undefined,
    },
  };
}

/** Picks sensible starting values for a fresh form: first region, first OS, first key. */
export function initialDeployForm(options: {
  readonly offer: Offer;
  readonly suggestedName: string;
  readonly defaultKey: SshKeyChoice;
}): DeployFormValues {
  return {
    ...emptyDeployForm(),
    name: options.suggestedName,
    region: options.offer.regions[0] ?? '',
    operatingSystem: options.offer.osOptions[0] ?? '',
    sshKey: options.defaultKey,
  };
}
