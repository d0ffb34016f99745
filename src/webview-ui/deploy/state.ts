// The deploy form's state and everything derived from it, as pure functions (no DOM), so the
// rules the user sees are tested in plain Node. main.ts/view.ts only render `deriveDeployView`.
import type * as z from 'zod/mini';
import { deployCost, costLinesWithKubernetesAddon } from '../../core/deploy/cost';
import { pricePerHourWithAddon } from '../../core/deploy/kubernetesAddon';
import {
  initialKubernetesAddonValue,
  type KubernetesAddonFormValue,
} from '../../core/deploy/kubernetesAddonForm';
import type { CostLine, DeployCost } from '../../core/deploy/cost';
import { DEPLOY_FIELDS, initialDeployForm, validateDeployForm } from '../../core/deploy/deployForm';
import type {
  DeployField,
  DeployFieldErrors,
  DeployFormValues,
  SshKeyChoice,
} from '../../core/deploy/deployForm';
import { duplicateNameWarning } from '../../core/deploy/names';
import { hiddenVolumesSummary, volumesForOffer } from '../../core/deploy/volumeCompatibility';
import { toOffer } from '../../shared/domainSchemas';
import { deployDraftSchema } from '../../shared/deployProtocol';
import type {
  CreatedKeyMessage,
  DeployInit,
  DeployUpdate,
  LocalKeyMessage,
} from '../../shared/deployProtocol';
import type { Offer, SshKey, Volume } from '../../core/domain/types';
import { instanceTypeDisplayName } from '../../core/model/displayNames';
import { formatRate } from '../../core/model/format';
import * as formState from '../shared/formState';
import type { SubmitAction, SubmitBarView, SubmitSlice } from '../shared/formState';

/** What survives hide/show and reloads (vscode.setState). */
export const persistedDeployStateSchema = formState.persistedFormStateSchema(deployDraftSchema);
export type PersistedDeployState = z.output<typeof persistedDeployStateSchema>;

export type KeyActivity =
  | { readonly kind: 'idle' }
  | { readonly kind: 'uploading'; readonly path: string }
  /** "Create a key" was clicked; the form asks before ssh-keygen runs. */
  | { readonly kind: 'confirmingCreate' }
  | { readonly kind: 'creating' }
  | { readonly kind: 'error'; readonly message: string };

export interface DeployState extends SubmitSlice<DeployField> {
  readonly init: DeployInit | undefined;
  readonly form: DeployFormValues;
  readonly keyActivity: KeyActivity;
}

export type DeployAction =
  | { readonly type: 'init'; readonly init: DeployInit; readonly saved: PersistedDeployState | undefined }
  | { readonly type: 'update'; readonly update: DeployUpdate }
  | { readonly type: 'edit'; readonly patch: Partial<DeployFormValues> }
  | SubmitAction
  | { readonly type: 'keyActivity'; readonly activity: KeyActivity }
  | { readonly type: 'keyUploaded'; readonly key: SshKey; readonly localPath: string }
  | { readonly type: 'localKeyCreated'; readonly created: CreatedKeyMessage };

export function emptyDeployState(): DeployState {
  return {
    init: undefined,
    form: {
      name: '',
      region: '',
      operatingSystem: '',
      sshKey: { kind: 'none' },
      volumeIds: [],
      packages: '',
      commands: '',
    },
    ...formState.emptySubmitSlice<DeployField>(),
    keyActivity: { kind: 'idle' },
  };
}

const FIELDS_OF_PATCH: Readonly<Record<keyof DeployFormValues, readonly DeployField[]>> = {
  name: ['name'],
  region: ['region'],
  operatingSystem: ['operatingSystem'],
  sshKey: ['sshKey'],
  volumeIds: ['volumeIds'],
  packages: ['startupScript'],
  commands: ['startupScript'],
  // One value holds the version and the OIDC text; an edit of either touches both.
  kubernetesAddon: ['kubernetesAddon', 'kubernetesAuthentication'],
};

/** The best key to start with: a local key already registered, else a usable local key, else a registered one. */
export function defaultKeyChoice(
  keys: readonly SshKey[],
  localKeys: readonly LocalKeyMessage[],
): SshKeyChoice {
  const usable = localKeys.filter((key) => key.hasPrivateKey);
  const registeredLocal = usable.find(
    (key) => key.registeredKeyId !== null && keys.some((k) => k.id === key.registeredKeyId),
  );
  if (registeredLocal?.registeredKeyId) {
    return { kind: 'registered', keyId: registeredLocal.registeredKeyId };
  }
  const local = usable[0];
  if (local) {
    return { kind: 'public-key', publicKey: local.publicKey };
  }
  const registered = keys[0];
  return registered ? { kind: 'registered', keyId: registered.id } : { kind: 'none' };
}

export function deployReducer(state: DeployState, action: DeployAction): DeployState {
  switch (action.type) {
    case 'init': {
      const { init, saved } = action;
      const { form, touched } = formState.startingValues(init, saved, isDeployField, () =>
        initialDeployForm({
          offer: toOffer(init.offer),
          suggestedName: init.suggestedName,
          defaultKey: defaultKeyChoice(init.keys, init.localKeys),
        }),
      );
      return {
        ...emptyDeployState(),
        ...formState.submitSliceOf(init.submitState, touched),
        init,
        form: withKubernetesAddonField(form, init),
      };
    }
    case 'update': {
      if (!state.init) {
        return state;
      }
      const update = action.update;
      const init: DeployInit = {
        ...state.init,
        ...(update.balance !== undefined ? { balance: update.balance } : {}),
        ...(update.burnPerHour !== undefined ? { burnPerHour: update.burnPerHour } : {}),
        ...(update.keys !== undefined ? { keys: update.keys } : {}),
        ...(update.localKeys !== undefined ? { localKeys: update.localKeys } : {}),
        ...(update.keygen !== undefined ? { keygen: update.keygen } : {}),
        ...(update.volumes !== undefined ? { volumes: update.volumes } : {}),
        ...(update.instances !== undefined ? { instances: update.instances } : {}),
      };
      let form = state.form;
      if (form.sshKey.kind === 'none' && update.keys !== undefined) {
        form = { ...form, sshKey: defaultKeyChoice(init.keys, init.localKeys) };
      }
      return { ...state, init, form };
    }
    case 'edit': {
      if (formState.isFormLocked(state.submit, state.sending)) {
        return state;
      }
      const keys = Object.keys(action.patch) as (keyof DeployFormValues)[];
      const touchedFields = formState.touchFields(
        state,
        keys.flatMap((key) => FIELDS_OF_PATCH[key]),
      );
      let form: DeployFormValues = { ...state.form, ...action.patch };
      if (action.patch.region !== undefined && action.patch.volumeIds === undefined && state.init) {
        // A volume that fit the old region may not fit the new one; drop it rather than keep a hidden choice.
        const compatible = volumesForOffer(
          state.init.volumes,
          toOffer(state.init.offer),
          form.region,
        ).compatible;
        form = { ...form, volumeIds: form.volumeIds.filter((id) => compatible.some((v) => v.id === id)) };
      }
      return { ...state, form, ...touchedFields };
    }
    case 'sendSubmit':
    case 'submitState':
    case 'requestFailed':
      return formState.reduceSubmit(state, action);
    case 'keyActivity':
      return { ...state, keyActivity: action.activity };
    case 'keyUploaded': {
      if (!state.init) {
        return state;
      }
      const keys = [...state.init.keys.filter((k) => k.id !== action.key.id), action.key];
      const localKeys = state.init.localKeys.map((local) =>
        local.path === action.localPath ? { ...local, registeredKeyId: action.key.id } : local,
      );
      const form = formState.isFormLocked(state.submit, state.sending)
        ? state.form
        : { ...state.form, sshKey: { kind: 'registered' as const, keyId: action.key.id } };
      return { ...state, init: { ...state.init, keys, localKeys }, form, keyActivity: { kind: 'idle' } };
    }
    case 'localKeyCreated': {
      if (!state.init) {
        return state;
      }
      const { local, registered, registrationError } = action.created;
      const localKeys = [local, ...state.init.localKeys.filter((k) => k.path !== local.path)];
      const keys = registered
        ? [...state.init.keys.filter((k) => k.id !== registered.id), registered]
        : state.init.keys;
      const choice: SshKeyChoice = registered
        ? { kind: 'registered', keyId: registered.id }
        : { kind: 'public-key', publicKey: local.publicKey };
      const form = formState.isFormLocked(state.submit, state.sending)
        ? state.form
        : { ...state.form, sshKey: choice };
      const keyActivity: KeyActivity = registrationError
        ? {
            kind: 'error',
            message: `Created ${keyFileLabel(local.path)}, but registering it with Spheron failed (${registrationError}). It is sent with this deployment only; try “Upload my local key” later.`,
          }
        : { kind: 'idle' };
      return {
        ...state,
        init: { ...state.init, keys, localKeys, keygen: null },
        form,
        keyActivity,
      };
    }
  }
}

/** Gives an eligible offer's form the add-on field (an older saved form lacks it); others never carry it. */
function withKubernetesAddonField(form: DeployFormValues, init: DeployInit): DeployFormValues {
  const addon = init.kubernetesAddon;
  if (!addon) {
    const { kubernetesAddon: _dropped, ...rest } = form;
    return rest;
  }
  return form.kubernetesAddon ? form : { ...form, kubernetesAddon: initialKubernetesAddonValue(addon) };
}

export interface KubernetesAddonView {
  readonly checked: boolean;
  readonly version: string;
  readonly versions: readonly string[];
  /** `adds $0.50/h`, beside the checkbox. */
  readonly costText: string;
  readonly note: string | undefined;
  /** The OIDC text area's text; the area shows only while the box is ticked. */
  readonly authenticationConfig: string;
}

function kubernetesAddonViewOf(
  init: DeployInit,
  value: KubernetesAddonFormValue | undefined,
): KubernetesAddonView | undefined {
  const addon = init.kubernetesAddon;
  if (!addon) {
    return undefined;
  }
  const version = value?.version ?? addon.versions[0] ?? '';
  return {
    checked: value?.enabled === true,
    version,
    // A restored form may hold a version the API no longer lists; keep it visible.
    versions:
      addon.versions.includes(version) || version === '' ? addon.versions : [version, ...addon.versions],
    costText: `adds ${formatRate(addon.costPerHour)} to the price`,
    note: addon.versionsNote,
    authenticationConfig: value?.authenticationConfig ?? '',
  };
}

function isDeployField(value: string): value is DeployField {
  return (DEPLOY_FIELDS as readonly string[]).includes(value);
}

export function persistedState(state: DeployState): PersistedDeployState | undefined {
  return formState.persistedFormState(state.init?.sessionId, state);
}

/**
 * A local key file as the form names it: `~/.ssh/<file>` (keys are only ever read from `~/.ssh`),
 * never the absolute path, which may be a temporary home.
 */
export function keyFileLabel(keyPath: string): string {
  const file = keyPath.split(/[\\/]/).pop() ?? keyPath;
  return `~/.ssh/${file}`;
}

/** The line above the ssh-keygen command: what is true about the keys the form has. */
export function keygenIntroText(init: DeployInit, form: DeployFormValues): string {
  const { sshKey } = form;
  const selected =
    sshKey.kind === 'registered' ? init.keys.find((key) => key.id === sshKey.keyId) : undefined;
  if (selected) {
    return `Using your registered key “${selected.name}”; no local key was found in ~/.ssh. If its private key is not on this computer, create a new key:`;
  }
  if (init.keys.length > 0) {
    return 'No local key was found in ~/.ssh, so none of your registered keys can be used from this computer. Create one:';
  }
  return 'No SSH key was found in ~/.ssh, and none is registered with Spheron. Create one:';
}

/** The question asked before ssh-keygen runs: where the key goes and that Spheron gets it. */
export function keygenConfirmText(init: DeployInit): string {
  const file = init.keygen ? keyFileLabel(init.keygen.keyPath) : '~/.ssh';
  return `Create a new key pair at ${file} (private key) and ${file}.pub, and register the public key with Spheron for team ${init.team.name}? Existing files are never overwritten.`;
}

export interface KeyOption {
  /** `registered:<id>`, `local:<path>` or `public-key`. */
  readonly value: string;
  readonly label: string;
  readonly description: string;
}

export const INSTANCE_TYPE_EXPLANATIONS: Readonly<Record<string, string>> = {
  SPOT: 'Spot: a cheaper virtual machine that the provider can reclaim at any time. Keep your work on a volume or push it often.',
  DEDICATED: 'Dedicated: reserved for you until you terminate it, never reclaimed (99.95% SLA).',
  CLUSTER:
    'Cluster: 8-GPU bare-metal nodes with a fast interconnect for distributed training (Voltage Park only).',
};

export function instanceTypeExplanation(instanceType: string): string {
  return (
    INSTANCE_TYPE_EXPLANATIONS[instanceType] ??
    `${instanceType}: an instance type this extension does not know; Spheron decides its terms.`
  );
}

export interface DeployView extends SubmitBarView {
  readonly ready: boolean;
  readonly offer: Offer | undefined;
  readonly title: string;
  readonly summary: string;
  readonly form: DeployFormValues;
  /** Another live instance has this name: a warning, Deploy stays enabled. */
  readonly nameWarning: string | undefined;
  /** The created instance's status as the Instances list last showed it. */
  readonly createdStatus: string | undefined;
  /** Errors to show now (client rules for touched fields or after a submit, plus the server's). */
  readonly fieldErrors: DeployFieldErrors;
  readonly formError: string | undefined;
  readonly locked: boolean;
  readonly regionOptions: readonly string[];
  readonly osOptions: readonly string[];
  readonly instanceType: string;
  readonly instanceTypeExplanation: string;
  readonly keyOptions: readonly KeyOption[];
  readonly selectedKey: string;
  /** The local key to offer for upload (not yet registered), if any. */
  readonly uploadCandidate: LocalKeyMessage | undefined;
  readonly keygenCommand: string | undefined;
  /** Shown above the command; undefined when the command is not shown. */
  readonly keygenIntro: string | undefined;
  /** The confirmation shown after "Create a key" is clicked; undefined otherwise. */
  readonly keygenConfirm: string | undefined;
  readonly keyActivity: KeyActivity;
  readonly volumes: readonly Volume[];
  readonly selectedVolumeIds: readonly string[];
  /** Volumes that cannot be ticked now (limit reached). */
  readonly disabledVolumeIds: readonly string[];
  readonly volumesNote: string | undefined;
  readonly hiddenVolumesNote: string | undefined;
  /** Each hidden volume with the reason, for the expandable list under the note. */
  readonly hiddenVolumes: readonly { readonly id: string; readonly text: string }[];
  readonly startupEnabled: boolean;
  readonly startupNote: string;
  /** Undefined for offers that cannot carry the Kubernetes add-on. */
  readonly kubernetesAddon: KubernetesAddonView | undefined;
  readonly cost: DeployCost | undefined;
  readonly costLines: readonly CostLine[];
  readonly costWarning: string | undefined;
  readonly deployEnabled: boolean;
  readonly deployLabel: string;
}

function keyOptionsOf(init: DeployInit, form: DeployFormValues): { options: KeyOption[]; selected: string } {
  const options: KeyOption[] = [];
  for (const key of init.keys) {
    options.push({
      value: `registered:${key.id}`,
      label: key.name,
      description: key.fingerprint
        ? `registered with Spheron · ${key.fingerprint}`
        : 'registered with Spheron',
    });
  }
  for (const local of init.localKeys) {
    if (local.registeredKeyId === null) {
      options.push({
        value: `local:${local.path}`,
        label: `${keyFileLabel(local.path)} (not uploaded)`,
        description: `${local.fingerprint}${local.hasPrivateKey ? '' : ' · no private key next to it'} · sent with this deployment only`,
      });
    }
  }
  let selected = '';
  if (form.sshKey.kind === 'registered') {
    selected = `registered:${form.sshKey.keyId}`;
  } else if (form.sshKey.kind === 'public-key') {
    const publicKey = form.sshKey.publicKey;
    const local = init.localKeys.find((key) => key.publicKey === publicKey);
    if (local && local.registeredKeyId === null) {
      selected = `local:${local.path}`;
    } else {
      options.push({
        value: 'public-key',
        label: 'Public key from before',
        description: publicKey.slice(0, 60),
      });
      selected = 'public-key';
    }
  }
  return { options, selected };
}

/** Maps a key option value back to the form's choice. */
export function keyChoiceFromOption(value: string, init: DeployInit, current: SshKeyChoice): SshKeyChoice {
  if (value.startsWith('registered:')) {
    return { kind: 'registered', keyId: value.slice('registered:'.length) };
  }
  if (value.startsWith('local:')) {
    const path = value.slice('local:'.length);
    const local = init.localKeys.find((key) => key.path === path);
    return local ? { kind: 'public-key', publicKey: local.publicKey } : { kind: 'none' };
  }
  return value === 'public-key' ? current : { kind: 'none' };
}

export function deriveDeployView(state: DeployState): DeployView {
  const { init, form } = state;
  const submit = state.submit;
  const locked = formState.isFormLocked(submit, state.sending);
  const bar = formState.submitBarView(state, 'deployment');
  if (!init) {
    return {
      ready: false,
      offer: undefined,
      title: 'Deploy',
      summary: '',
      form,
      nameWarning: undefined,
      createdStatus: undefined,
      fieldErrors: {},
      formError: undefined,
      locked: true,
      regionOptions: [],
      osOptions: [],
      instanceType: '',
      instanceTypeExplanation: '',
      keyOptions: [],
      selectedKey: '',
      uploadCandidate: undefined,
      keygenCommand: undefined,
      keygenIntro: undefined,
      keygenConfirm: undefined,
      keyActivity: state.keyActivity,
      volumes: [],
      selectedVolumeIds: [],
      disabledVolumeIds: [],
      volumesNote: undefined,
      hiddenVolumesNote: undefined,
      hiddenVolumes: [],
      startupEnabled: false,
      startupNote: '',
      kubernetesAddon: undefined,
      cost: undefined,
      costLines: [],
      costWarning: undefined,
      deployEnabled: false,
      deployLabel: 'Deploy',
      busy: bar.busy,
      progressText: undefined,
      submit,
      canCheckAgain: false,
      canTryAgain: false,
    };
  }
  const offer = toOffer(init.offer);
  const validation = validateDeployForm(form, {
    offer,
    registeredKeyIds: init.keys.map((key) => key.id),
    volumes: init.volumes,
  });
  const fieldErrors: DeployFieldErrors = formState.shownFieldErrors(
    state,
    validation.ok ? {} : validation.fieldErrors,
    ['form'],
  );
  const addonChosen = Boolean(init.kubernetesAddon) && form.kubernetesAddon?.enabled === true;
  const cost = deployCost({
    pricePerHour: pricePerHourWithAddon(offer, addonChosen),
    minimumRuntimeMinutes: init.minimumRuntimeMinutes,
    balance: init.balance ?? undefined,
    currentBurnPerHour: init.burnPerHour,
  });
  const compatibility = volumesForOffer(init.volumes, offer, form.region);
  const selectedVolumeIds = form.volumeIds.filter((id) => compatibility.compatible.some((v) => v.id === id));
  const limitReached =
    compatibility.maxSelectable !== undefined && selectedVolumeIds.length >= compatibility.maxSelectable;
  const disabledVolumeIds = limitReached
    ? compatibility.compatible.filter((v) => !selectedVolumeIds.includes(v.id)).map((v) => v.id)
    : [];
  const { options: keyOptions, selected: selectedKey } = keyOptionsOf(init, form);
  const keygenShown = init.localKeys.length === 0 && init.keygen !== null;
  const createdId = submit.kind === 'created' ? submit.id : undefined;
  const nameWarning = fieldErrors.name
    ? undefined
    : duplicateNameWarning(form.name, init.instances, createdId);
  const createdStatus = init.instances.find((instance) => instance.id === createdId)?.status;
  const uploadCandidate = init.localKeys.find((key) => key.registeredKeyId === null && key.hasPrivateKey);
  const formError = submit.kind === 'failed' ? submit.message : (fieldErrors.form ?? undefined);
  const deployEnabled = !locked && validation.ok && cost.canAfford;
  const perGpu = offer.gpuCount > 0 ? `${offer.gpuCount} × ${init.group.displayName}` : 'CPU only';
  return {
    ready: true,
    offer,
    title: `Deploy ${init.group.displayName}`,
    summary: `${perGpu} · ${offer.vcpus ?? '?'} vCPU · ${offer.memoryGb ?? '?'} GB RAM · ${offer.storageGb ?? '?'} GB disk · ${offer.provider}`,
    form,
    nameWarning,
    createdStatus,
    fieldErrors,
    formError,
    locked,
    regionOptions: offer.regions,
    osOptions: offer.osOptions,
    instanceType: instanceTypeDisplayName(offer.instanceType),
    instanceTypeExplanation: instanceTypeExplanation(offer.instanceType),
    keyOptions,
    selectedKey,
    uploadCandidate,
    keygenCommand: keygenShown ? init.keygen?.command : undefined,
    keygenIntro: keygenShown ? keygenIntroText(init, form) : undefined,
    keygenConfirm:
      keygenShown && state.keyActivity.kind === 'confirmingCreate' ? keygenConfirmText(init) : undefined,
    keyActivity: state.keyActivity,
    volumes: compatibility.compatible,
    selectedVolumeIds,
    disabledVolumeIds,
    volumesNote:
      compatibility.providerRule ??
      (init.volumes.length > 0 ? 'Instances from this provider cannot use volumes.' : undefined),
    hiddenVolumesNote: hiddenVolumesSummary(compatibility.hidden),
    hiddenVolumes: compatibility.hidden.map((item) => ({
      id: item.volume.id,
      text: `${item.volume.name}: ${item.explanation}`,
    })),
    startupEnabled: offer.supportsCloudInit && !locked,
    startupNote: offer.supportsCloudInit
      ? 'Installed and run once, as root, when the instance first boots.'
      : 'This offer does not support startup scripts (cloud-init), so packages and commands cannot be set.',
    kubernetesAddon: kubernetesAddonViewOf(init, form.kubernetesAddon),
    cost,
    costLines: costLinesWithKubernetesAddon(
      cost,
      addonChosen ? offer.kubernetesAddon?.totalCostPerHour : undefined,
    ),
    costWarning: cost.reason,
    deployEnabled,
    deployLabel: submit.kind === 'failed' ? 'Deploy again' : 'Deploy',
    ...bar,
  };
}
