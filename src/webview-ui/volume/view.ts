// The create-volume form's DOM, built once and updated from a VolumeView.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { el, replaceChildren, setHidden, setText, showFieldError, showMessage } from '../shared/dom';
import { syncSelect } from '../shared/selectOptions';
import type { VolumeView } from './state';

export interface VolumeDom {
  readonly root: HTMLElement;
  readonly formError: HTMLElement;
  readonly provider: VscodeSingleSelect;
  readonly providerRules: HTMLElement;
  readonly region: VscodeSingleSelect;
  readonly regionsStatus: HTMLElement;
  readonly reloadRegions: VscodeButton;
  readonly size: VscodeTextfield;
  readonly sizeHelp: HTMLElement;
  readonly name: VscodeTextfield;
  readonly pricePanel: HTMLElement;
  readonly pricePerHour: HTMLElement;
  readonly pricePerMonth: HTMLElement;
  readonly rateNote: HTMLElement;
  readonly create: VscodeButton;
  readonly progress: HTMLElement;
  readonly progressText: HTMLElement;
  readonly cancel: VscodeButton;
  readonly submitStatus: HTMLElement;
  readonly submitMessage: HTMLElement;
  readonly checkAgain: VscodeButton;
  readonly tryAgain: VscodeButton;
  readonly showVolume: VscodeButton;
  readonly errors: Readonly<Record<'name' | 'provider' | 'region' | 'size', HTMLElement>>;
}

function errorText(id: string): HTMLElement {
  return el('p', { id, class: 'field-error', 'aria-live': 'polite', hidden: true });
}

function button(id: string, text: string, secondary = false): VscodeButton {
  return el('vscode-button', { id, ...(secondary ? { secondary: true } : {}) }, [text]);
}

export function buildVolumeDom(root: HTMLElement): VolumeDom {
  const formError = el('div', { id: 'form-error', class: 'form-error', role: 'alert', hidden: true });
  const provider = el('vscode-single-select', { id: 'provider' });
  provider.label = 'Provider';
  const providerRules = el('p', { id: 'provider-rules', class: 'field-help' });
  const region = el('vscode-single-select', { id: 'region' });
  region.label = 'Region';
  const regionsStatus = el('p', { id: 'regions-status', class: 'field-help', 'aria-live': 'polite' });
  const reloadRegions = button('reload-regions', 'Load regions again', true);
  const size = el('vscode-textfield', {
    id: 'size',
    type: 'number',
    min: '1',
    step: '1',
    inputmode: 'numeric',
  });
  size.label = 'Size in GB';
  const sizeHelp = el('p', { id: 'size-help', class: 'field-help' });
  const name = el('vscode-textfield', {
    id: 'name',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: '60',
  });
  name.label = 'Name';
  const pricePerHour = el('dd', { id: 'price-per-hour' });
  const pricePerMonth = el('dd', { id: 'price-per-month' });
  const rateNote = el('p', { id: 'rate-note', class: 'field-help' });
  const pricePanel = el(
    'aside',
    { id: 'price-panel', class: 'cost-panel', 'aria-live': 'polite', 'aria-labelledby': 'price-heading' },
    [
      el('h2', { id: 'price-heading' }, ['Price']),
      el('dl', { class: 'cost-rows' }, [
        el('dt', {}, ['Per hour']),
        pricePerHour,
        el('dt', {}, ['Per month']),
        pricePerMonth,
      ]),
      rateNote,
    ],
  );
  const create = button('create', 'Create volume');
  const progress = el('vscode-progress-ring', { id: 'create-progress', hidden: true });
  progress.setAttribute('aria-label', 'Creating the volume');
  const progressText = el('span', {
    id: 'create-progress-text',
    class: 'progress-text',
    'aria-live': 'polite',
  });
  const cancel = button('cancel', 'Close', true);
  const submitMessage = el('p', { id: 'submit-message' });
  const checkAgain = button('check-again', 'Check again');
  const tryAgain = button('try-again', 'Try again', true);
  const showVolume = button('show-volume', 'Show in Volumes');
  const submitStatus = el(
    'section',
    { id: 'submit-status', class: 'submit-status', 'aria-live': 'polite', hidden: true },
    [submitMessage, el('div', { class: 'button-row' }, [checkAgain, tryAgain, showVolume])],
  );
  const errors = {
    name: errorText('name-error'),
    provider: errorText('provider-error'),
    region: errorText('region-error'),
    size: errorText('size-error'),
  };
  const fields = el('div', { class: 'fields' }, [
    el('div', { class: 'field' }, [
      el('vscode-label', { for: 'provider' }, ['Provider']),
      provider,
      providerRules,
      errors.provider,
    ]),
    el('div', { class: 'field' }, [
      el('vscode-label', { for: 'region' }, ['Region']),
      region,
      regionsStatus,
      el('div', { class: 'button-row' }, [reloadRegions]),
      errors.region,
    ]),
    el('div', { class: 'field' }, [
      el('vscode-label', { for: 'size' }, ['Size in GB']),
      size,
      sizeHelp,
      errors.size,
    ]),
    el('div', { class: 'field' }, [
      el('vscode-label', { for: 'name' }, ['Name']),
      name,
      el('p', { id: 'name-help', class: 'field-help' }, [
        'Lowercase letters, digits, hyphens (-) and underscores (_); up to 60 characters.',
      ]),
      errors.name,
    ]),
  ]);
  const main = el('main', { class: 'form-page', 'aria-labelledby': 'title' }, [
    el('header', {}, [
      el('h1', { id: 'title' }, ['Create a volume']),
      el('p', { class: 'summary' }, [
        'Persistent storage that outlives instances. It is billed by the hour from creation until you delete it.',
      ]),
    ]),
    formError,
    el('div', { class: 'form-grid' }, [fields, pricePanel]),
    el('div', { class: 'actions' }, [create, progress, progressText, cancel]),
    submitStatus,
  ]);
  replaceChildren(root, [main]);
  root.removeAttribute('aria-busy');
  return {
    root,
    formError,
    provider,
    providerRules,
    region,
    regionsStatus,
    reloadRegions,
    size,
    sizeHelp,
    name,
    pricePanel,
    pricePerHour,
    pricePerMonth,
    rateNote,
    create,
    progress,
    progressText,
    cancel,
    submitStatus,
    submitMessage,
    checkAgain,
    tryAgain,
    showVolume,
    errors,
  };
}

function setValue(control: { value: string }, value: string): void {
  if (control.value !== value) {
    control.value = value;
  }
}

export function renderVolume(dom: VolumeDom, view: VolumeView): void {
  showMessage(dom.formError, view.formError);

  syncSelect(dom.provider, view.providerOptions, view.form.provider);
  dom.provider.disabled = view.locked;
  setText(dom.providerRules, view.providerRules);
  showFieldError(dom.provider, dom.errors.provider, view.fieldErrors.provider);

  syncSelect(
    dom.region,
    [
      ...(view.form.region === ''
        ? [{ value: '', label: view.regionRequired ? 'Choose a region…' : 'Default' }]
        : []),
      ...view.regionOptions,
    ],
    view.form.region,
  );
  dom.region.disabled = view.locked || view.regionOptions.length === 0;
  const regionsStatus = view.regionsLoading ? 'Loading regions…' : (view.regionsError ?? '');
  setText(dom.regionsStatus, regionsStatus);
  dom.regionsStatus.classList.toggle('error', view.regionsError !== undefined && !view.regionsLoading);
  setHidden(dom.reloadRegions, view.regionsError === undefined);
  dom.reloadRegions.disabled = view.regionsLoading;
  showFieldError(dom.region, dom.errors.region, view.fieldErrors.region);

  setValue(dom.size, view.form.sizeGb);
  dom.size.disabled = view.locked;
  setText(dom.sizeHelp, view.sizeHelp);
  showFieldError(dom.size, dom.errors.size, view.fieldErrors.sizeGb);

  setValue(dom.name, view.form.name);
  dom.name.disabled = view.locked;
  showFieldError(dom.name, dom.errors.name, view.fieldErrors.name);

  setText(dom.pricePerHour, view.pricePerHour);
  setText(dom.pricePerMonth, view.pricePerMonth);
  setText(dom.rateNote, view.rateNote);

  dom.create.disabled = !view.createEnabled;
  setHidden(dom.create, view.submit.kind === 'created' || view.submit.kind === 'unconfirmed');
  setHidden(dom.progress, !view.busy);
  setText(dom.progressText, view.progressText ?? '');
  dom.root.setAttribute('aria-busy', view.busy ? 'true' : 'false');

  const message =
    view.submit.kind === 'created'
      ? `Volume "${view.submit.name}" was created.`
      : view.submit.kind === 'unconfirmed'
        ? view.submit.message
        : undefined;
  dom.submitStatus.dataset.state = view.submit.kind;
  setHidden(dom.checkAgain, view.submit.kind !== 'unconfirmed');
  dom.checkAgain.disabled = !view.canCheckAgain;
  setHidden(dom.tryAgain, view.submit.kind !== 'unconfirmed');
  dom.tryAgain.disabled = !view.canTryAgain;
  setHidden(dom.showVolume, view.submit.kind !== 'created');
  // Last, so the status is scrolled into view with its buttons laid out.
  showMessage(dom.submitMessage, message, dom.submitStatus);
}
