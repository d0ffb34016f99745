// The deploy form's DOM: built once, then updated from a DeployView on every state change.
// Element ids are stable; the UI tests and the lead's Playwright run address them.
// Only the components used here are imported (each registers its custom element).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextarea } from '@vscode-elements/elements/dist/vscode-textarea/vscode-textarea.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { createdOutcomeText } from '../../core/deploy/deployOutcome';
import { DEPLOYMENT_NAME_HINT } from '../../core/deploy/names';
import { formatSizeGb } from '../../core/model/format';
import { el, replaceChildren, setHidden, setText, showFieldError, showMessage } from '../shared/dom';
import { button, errorText, field, help, mountFormPage } from '../shared/formParts';
import { syncSelect } from '../shared/selectOptions';
import { buildSubmitBar, renderSubmitBar, type SubmitBarDom } from '../shared/submitBar';
import { buildSummaryCard, renderSummaryRows, type SummaryCard } from '../shared/summaryCard';
import type { DeployView } from './state';

export interface DeployDom {
  readonly root: HTMLElement;
  readonly title: HTMLElement;
  readonly summary: HTMLElement;
  readonly formError: HTMLElement;
  readonly name: VscodeTextfield;
  readonly nameWarning: HTMLElement;
  readonly region: VscodeSingleSelect;
  readonly os: VscodeSingleSelect;
  readonly instanceType: HTMLElement;
  readonly instanceTypeHelp: HTMLElement;
  readonly sshKey: VscodeSingleSelect;
  readonly keyFingerprint: HTMLElement;
  readonly uploadKey: VscodeButton;
  readonly keygen: HTMLElement;
  readonly keygenCommand: HTMLElement;
  readonly createKey: VscodeButton;
  readonly keygenIntro: HTMLElement;
  readonly keygenConfirm: HTMLElement;
  readonly keygenConfirmText: HTMLElement;
  readonly confirmCreateKey: VscodeButton;
  readonly cancelCreateKey: VscodeButton;
  readonly keyStatus: HTMLElement;
  readonly volumes: HTMLFieldSetElement;
  readonly volumeList: HTMLElement;
  readonly volumesNote: HTMLElement;
  readonly volumesHidden: HTMLElement;
  readonly volumesHiddenSummary: HTMLElement;
  readonly volumesHiddenList: HTMLElement;
  readonly packages: VscodeTextfield;
  readonly commands: VscodeTextarea;
  readonly startupNote: HTMLElement;
  readonly kubernetesAddon: KubernetesAddonDom;
  readonly cost: SummaryCard;
  readonly costWarning: HTMLElement;
  readonly topUp: VscodeButton;
  readonly bar: SubmitBarDom;
  readonly showDeployment: VscodeButton;
  readonly showInstances: VscodeButton;
  readonly errors: Readonly<Record<'name' | 'region' | 'os' | 'sshKey' | 'volumes' | 'startup', HTMLElement>>;
}

/**
 * The Kubernetes add-on's checkbox, version and optional OIDC configuration (shown while the box
 * is ticked); the whole fieldset hides for offers without it.
 */
export interface KubernetesAddonDom {
  readonly fieldset: HTMLFieldSetElement;
  readonly enabled: VscodeCheckbox;
  readonly version: VscodeSingleSelect;
  readonly cost: HTMLElement;
  readonly note: HTMLElement;
  readonly error: HTMLElement;
  readonly oidc: HTMLElement;
  readonly authenticationConfig: VscodeTextarea;
  readonly authenticationError: HTMLElement;
}

const OIDC_LABEL = 'OIDC authentication (AuthenticationConfiguration YAML)';

function buildKubernetesAddonDom(): KubernetesAddonDom {
  const enabled = el('vscode-checkbox', { id: 'kubernetes-addon' }, ['Kubernetes add-on']);
  const cost = help('kubernetes-addon-cost');
  const version = el('vscode-single-select', { id: 'kubernetes-version' });
  version.label = 'Kubernetes version';
  const note = help('kubernetes-version-note');
  const error = errorText('kubernetes-addon-error');
  const authenticationConfig = el('vscode-textarea', {
    id: 'kubernetes-oidc-config',
    rows: '6',
    monospace: true,
    spellcheck: 'false',
    placeholder:
      'apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\njwt:\n- issuer: …',
  });
  authenticationConfig.label = OIDC_LABEL;
  const authenticationError = errorText('kubernetes-oidc-error');
  const oidc = el('div', { id: 'kubernetes-oidc', hidden: true }, [
    el('vscode-label', { for: 'kubernetes-oidc-config' }, [OIDC_LABEL]),
    authenticationConfig,
    help(
      'kubernetes-oidc-help',
      'Optional. Empty: the cluster uses its own credentials. Filled: its API server also accepts tokens from the OIDC issuers you list under jwt.',
    ),
    authenticationError,
  ]);
  const fieldset = el('fieldset', { id: 'kubernetes', class: 'field', hidden: true }, [
    el('legend', {}, ['Kubernetes']),
    enabled,
    cost,
    el('vscode-label', { for: 'kubernetes-version' }, ['Version']),
    version,
    note,
    error,
    oidc,
  ]);
  return { fieldset, enabled, version, cost, note, error, oidc, authenticationConfig, authenticationError };
}

export function buildDeployDom(root: HTMLElement): DeployDom {
  const title = el('h1', { id: 'title' }, ['Deploy']);
  const summary = el('p', { id: 'offer-summary', class: 'summary' });
  const formError = el('div', { id: 'form-error', class: 'form-error', role: 'alert', hidden: true });

  const name = el('vscode-textfield', {
    id: 'name',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: '63',
  });
  name.label = 'Name';
  const nameWarning = el('p', { id: 'name-warning', class: 'field-warning', hidden: true });
  const region = el('vscode-single-select', { id: 'region' });
  region.label = 'Region';
  const os = el('vscode-single-select', { id: 'os' });
  os.label = 'Operating system';
  const instanceType = el('span', { id: 'instance-type', class: 'fixed-value' });
  const instanceTypeHelp = help('instance-type-help');

  const sshKey = el('vscode-single-select', { id: 'ssh-key' });
  sshKey.label = 'SSH key';
  const keyFingerprint = help('ssh-key-fingerprint');
  const uploadKey = button('upload-key', 'Upload my local key', true);
  const keygenCommand = el('code', { id: 'keygen-command', class: 'command' });
  const createKey = button('create-key', 'Create a key with ssh-keygen…', true);
  const keygenIntro = el('p', { id: 'keygen-intro' });
  const keygenConfirmText = el('p', { id: 'keygen-confirm-text' });
  const confirmCreateKey = button('confirm-create-key', 'Create and Register');
  const cancelCreateKey = button('cancel-create-key', 'Cancel', true);
  const keygenConfirm = el('div', { id: 'keygen-confirm', role: 'group', hidden: true }, [
    keygenConfirmText,
    el('div', { class: 'button-row' }, [confirmCreateKey, cancelCreateKey]),
  ]);
  const keygen = el('div', { id: 'keygen', class: 'keygen', hidden: true }, [
    keygenIntro,
    keygenCommand,
    createKey,
    keygenConfirm,
  ]);
  const keyStatus = el('p', { id: 'key-status', class: 'field-help', 'aria-live': 'polite' });

  const volumeList = el('div', { id: 'volume-list', class: 'volume-list' });
  const volumesNote = help('volumes-note');
  const volumesHiddenSummary = el('summary', { id: 'volumes-hidden-summary' });
  const volumesHiddenList = el('ul', { id: 'volumes-hidden-list', class: 'hidden-volumes' });
  const volumesHidden = el('details', { id: 'volumes-hidden', class: 'field-help' }, [
    volumesHiddenSummary,
    volumesHiddenList,
  ]);
  const volumes = el('fieldset', { id: 'volumes', class: 'field' }, [
    el('legend', {}, ['Volumes']),
    volumeList,
    volumesNote,
    volumesHidden,
  ]);

  const packages = el('vscode-textfield', {
    id: 'packages',
    placeholder: 'e.g. htop git-lfs',
    spellcheck: 'false',
  });
  packages.label = 'Packages to install';
  const commands = el('vscode-textarea', { id: 'commands', rows: '4', monospace: true, spellcheck: 'false' });
  commands.label = 'Commands to run (one per line)';
  const startupNote = help('startup-note');
  const kubernetesAddon = buildKubernetesAddonDom();

  const costWarning = el('p', { id: 'cost-warning', class: 'cost-warning', hidden: true });
  const topUp = button('top-up', 'Add credit…', true);
  const cost = buildSummaryCard({
    id: 'cost-panel',
    heading: 'Cost',
    headingId: 'cost-heading',
    rowsId: 'cost-rows',
    below: [costWarning, topUp],
  });

  const showDeployment = button('show-deployment', 'Show in Instances');
  const showInstances = button('show-instances', 'Show Instances', true);
  const bar = buildSubmitBar({
    submitId: 'deploy',
    submitLabel: 'Deploy',
    progressLabel: 'Deploying',
    whenCreated: [showDeployment],
    whenUnconfirmed: [showInstances],
  });

  const errors = {
    name: errorText('name-error'),
    region: errorText('region-error'),
    os: errorText('os-error'),
    sshKey: errorText('ssh-key-error'),
    volumes: errorText('volumes-error'),
    startup: errorText('startup-error'),
  };

  const fields = el('div', { class: 'fields' }, [
    field('name', 'Name', name, [help('name-help', DEPLOYMENT_NAME_HINT), nameWarning], errors.name),
    field('region', 'Region', region, [], errors.region),
    field('os', 'Operating system', os, [], errors.os),
    el('div', { class: 'field' }, [
      el('span', { class: 'field-label', id: 'instance-type-label' }, ['Instance type']),
      instanceType,
      instanceTypeHelp,
    ]),
    field(
      'ssh-key',
      'SSH key',
      sshKey,
      [keyFingerprint, el('div', { class: 'button-row' }, [uploadKey]), keygen, keyStatus],
      errors.sshKey,
    ),
    volumes,
    errors.volumes,
    el('fieldset', { id: 'startup', class: 'field' }, [
      el('legend', {}, ['Startup script']),
      el('vscode-label', { for: 'packages' }, ['Packages to install']),
      packages,
      el('vscode-label', { for: 'commands' }, ['Commands to run (one per line)']),
      commands,
      startupNote,
      errors.startup,
    ]),
    kubernetesAddon.fieldset,
  ]);
  instanceType.setAttribute('aria-labelledby', 'instance-type-label');

  mountFormPage(root, { header: [title, summary], formError, fields, card: cost.card, bar });
  return {
    root,
    title,
    summary,
    formError,
    name,
    nameWarning,
    region,
    os,
    instanceType,
    instanceTypeHelp,
    sshKey,
    keyFingerprint,
    uploadKey,
    keygen,
    keygenCommand,
    createKey,
    keygenIntro,
    keygenConfirm,
    keygenConfirmText,
    confirmCreateKey,
    cancelCreateKey,
    keyStatus,
    volumes,
    volumeList,
    volumesNote,
    volumesHidden,
    volumesHiddenSummary,
    volumesHiddenList,
    packages,
    commands,
    startupNote,
    kubernetesAddon,
    cost,
    costWarning,
    topUp,
    bar,
    showDeployment,
    showInstances,
    errors,
  };
}

function setValue(control: { value: string }, value: string): void {
  if (control.value !== value) {
    control.value = value;
  }
}

function renderVolumes(dom: DeployDom, view: DeployView): void {
  const signature = JSON.stringify(view.volumes.map((v) => [v.id, v.name, v.sizeGb, v.region]));
  if (dom.volumeList.dataset.signature !== signature) {
    dom.volumeList.dataset.signature = signature;
    replaceChildren(
      dom.volumeList,
      view.volumes.length === 0
        ? [
            el('p', { class: 'field-help', id: 'no-volumes' }, [
              'No volume can be attached to this instance.',
            ]),
          ]
        : view.volumes.map((volume) => {
            const box = el('vscode-checkbox', { id: `volume-${volume.id}`, class: 'volume-option' }, [
              `${volume.name} · ${formatSizeGb(volume.sizeGb)}${volume.region ? ` · ${volume.region}` : ''}`,
            ]);
            box.value = volume.id;
            return box;
          }),
    );
  }
  for (const box of Array.from(dom.volumeList.querySelectorAll<VscodeCheckbox>('vscode-checkbox'))) {
    box.checked = view.selectedVolumeIds.includes(box.value);
    box.disabled = view.locked || view.disabledVolumeIds.includes(box.value);
  }
}

function renderCost(dom: DeployDom, view: DeployView): void {
  renderSummaryRows(
    dom.cost.rows,
    view.costLines.map((line) => ({ id: `cost-${line.id}`, label: line.label, value: line.value })),
  );
  setText(dom.costWarning, view.costWarning ?? '');
  setHidden(dom.costWarning, view.costWarning === undefined);
  setHidden(dom.topUp, view.costWarning === undefined);
  dom.cost.card.classList.toggle('insufficient', view.costWarning !== undefined);
}

function renderKubernetesAddon(dom: KubernetesAddonDom, view: DeployView): void {
  const addon = view.kubernetesAddon;
  setHidden(dom.fieldset, addon === undefined);
  if (!addon) {
    return;
  }
  dom.enabled.checked = addon.checked;
  dom.enabled.disabled = view.locked;
  setText(dom.cost, addon.costText);
  syncSelect(
    dom.version,
    addon.versions.map((version) => ({ value: version, label: version })),
    addon.version,
  );
  dom.version.disabled = view.locked || !addon.checked;
  setText(dom.note, addon.note ?? '');
  setHidden(dom.note, addon.note === undefined);
  showFieldError(dom.version, dom.error, view.fieldErrors.kubernetesAddon);
  setHidden(dom.oidc, !addon.checked);
  setValue(dom.authenticationConfig, addon.authenticationConfig);
  dom.authenticationConfig.disabled = view.locked;
  showFieldError(
    dom.authenticationConfig,
    dom.authenticationError,
    view.fieldErrors.kubernetesAuthentication,
  );
}

function renderKeys(dom: DeployDom, view: DeployView): void {
  syncSelect(
    dom.sshKey,
    [
      ...(view.selectedKey === '' ? [{ value: '', label: 'Choose an SSH key…' }] : []),
      ...view.keyOptions.map((o) => ({ value: o.value, label: o.label, description: o.description })),
    ],
    view.selectedKey,
  );
  dom.sshKey.disabled = view.locked;
  const selected = view.keyOptions.find((o) => o.value === view.selectedKey);
  setText(
    dom.keyFingerprint,
    selected?.description ?? (view.keyOptions.length === 0 ? 'No SSH keys yet.' : ''),
  );
  const activity = view.keyActivity;
  const candidate = view.uploadCandidate;
  setHidden(dom.uploadKey, candidate === undefined);
  dom.uploadKey.disabled = activity.kind === 'uploading' || activity.kind === 'creating' || view.locked;
  if (candidate) {
    dom.uploadKey.setAttribute(
      'title',
      `Registers ${candidate.path} (${candidate.fingerprint}) with Spheron`,
    );
    setText(dom.uploadKey, `Upload my local key (${candidate.fingerprint})`);
  }
  setHidden(dom.keygen, view.keygenCommand === undefined);
  setText(dom.keygenCommand, view.keygenCommand ?? '');
  setText(dom.keygenIntro, view.keygenIntro ?? '');
  dom.createKey.disabled =
    activity.kind === 'creating' || activity.kind === 'uploading' || activity.kind === 'confirmingCreate';
  const confirming = view.keygenConfirm !== undefined;
  const wasConfirming = !dom.keygenConfirm.hidden;
  setText(dom.keygenConfirmText, view.keygenConfirm ?? '');
  setHidden(dom.keygenConfirm, !confirming);
  if (confirming && !wasConfirming) {
    // The safe answer holds the focus: Enter must not write and register a key.
    dom.cancelCreateKey.focus();
  }
  const status =
    activity.kind === 'uploading'
      ? `Uploading ${activity.path}…`
      : activity.kind === 'creating'
        ? 'Creating the key with ssh-keygen and registering it with Spheron…'
        : activity.kind === 'error'
          ? activity.message
          : '';
  setText(dom.keyStatus, status);
  dom.keyStatus.classList.toggle('error', activity.kind === 'error');
}

export function renderDeploy(dom: DeployDom, view: DeployView): void {
  setText(dom.title, view.title);
  setText(dom.summary, view.summary);
  showMessage(dom.formError, view.formError);

  setValue(dom.name, view.form.name);
  dom.name.disabled = view.locked;
  showFieldError(dom.name, dom.errors.name, view.fieldErrors.name);
  setText(dom.nameWarning, view.nameWarning ?? '');
  setHidden(dom.nameWarning, view.nameWarning === undefined);

  syncSelect(
    dom.region,
    view.regionOptions.map((r) => ({ value: r, label: r })),
    view.form.region,
  );
  dom.region.disabled = view.locked;
  showFieldError(dom.region, dom.errors.region, view.fieldErrors.region);

  syncSelect(
    dom.os,
    view.osOptions.map((o) => ({ value: o, label: o })),
    view.form.operatingSystem,
  );
  dom.os.disabled = view.locked;
  showFieldError(dom.os, dom.errors.os, view.fieldErrors.operatingSystem);

  setText(dom.instanceType, view.instanceType);
  setText(dom.instanceTypeHelp, view.instanceTypeExplanation);

  renderKeys(dom, view);
  showFieldError(dom.sshKey, dom.errors.sshKey, view.fieldErrors.sshKey);

  renderVolumes(dom, view);
  setText(dom.volumesNote, view.volumesNote ?? '');
  setHidden(dom.volumesNote, view.volumesNote === undefined);
  setText(dom.volumesHiddenSummary, view.hiddenVolumesNote ?? '');
  setHidden(dom.volumesHidden, view.hiddenVolumesNote === undefined);
  const hiddenSignature = JSON.stringify(view.hiddenVolumes);
  if (dom.volumesHiddenList.dataset.signature !== hiddenSignature) {
    dom.volumesHiddenList.dataset.signature = hiddenSignature;
    replaceChildren(
      dom.volumesHiddenList,
      view.hiddenVolumes.map((item) => el('li', {}, [item.text])),
    );
  }
  setText(dom.errors.volumes, view.fieldErrors.volumeIds ?? '');
  setHidden(dom.errors.volumes, view.fieldErrors.volumeIds === undefined);

  setValue(dom.packages, view.form.packages);
  setValue(dom.commands, view.form.commands);
  dom.packages.disabled = !view.startupEnabled;
  dom.commands.disabled = !view.startupEnabled;
  setText(dom.startupNote, view.startupNote);
  showFieldError(dom.commands, dom.errors.startup, view.fieldErrors.startupScript);

  renderKubernetesAddon(dom.kubernetesAddon, view);
  renderCost(dom, view);

  renderSubmitBar(dom.bar, dom.root, {
    ...view,
    enabled: view.deployEnabled,
    label: view.deployLabel,
    createdMessage: (name) => createdOutcomeText(name, view.createdStatus),
  });
}
