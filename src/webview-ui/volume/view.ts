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
import { VOLUME_NAME_HINT } from '../../core/volumes/volumeForm';
import { el, setHidden, setText, showFieldError, showMessage } from '../shared/dom';
import { button, errorText, field, mountFormPage } from '../shared/formParts';
import { syncSelect } from '../shared/selectOptions';
import { buildSubmitBar, renderSubmitBar, type SubmitBarDom } from '../shared/submitBar';
import { buildSummaryCard, renderSummaryRows, type SummaryCard } from '../shared/summaryCard';
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
  readonly price: SummaryCard;
  readonly rateNote: HTMLElement;
  readonly bar: SubmitBarDom;
  readonly showVolume: VscodeButton;
  readonly errors: Readonly<Record<'name' | 'provider' | 'region' | 'size', HTMLElement>>;
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
  const rateNote = el('p', { id: 'rate-note', class: 'field-help' });
  const price = buildSummaryCard({
    id: 'price-panel',
    heading: 'Price',
    headingId: 'price-heading',
    below: [rateNote],
  });
  const showVolume = button('show-volume', 'Show in Volumes');
  const bar = buildSubmitBar({
    submitId: 'create',
    submitLabel: 'Create volume',
    progressLabel: 'Creating the volume',
    whenCreated: [showVolume],
  });
  const errors = {
    name: errorText('name-error'),
    provider: errorText('provider-error'),
    region: errorText('region-error'),
    size: errorText('size-error'),
  };
  const fields = el('div', { class: 'fields' }, [
    field('provider', 'Provider', provider, [providerRules], errors.provider),
    field(
      'region',
      'Region',
      region,
      [regionsStatus, el('div', { class: 'button-row' }, [reloadRegions])],
      errors.region,
    ),
    field('size', 'Size in GB', size, [sizeHelp], errors.size),
    field(
      'name',
      'Name',
      name,
      [el('p', { id: 'name-help', class: 'field-help' }, [VOLUME_NAME_HINT])],
      errors.name,
    ),
  ]);
  mountFormPage(root, {
    header: [
      el('h1', { id: 'title' }, ['Create a volume']),
      el('p', { class: 'summary' }, [
        'Persistent storage that outlives instances. It is billed by the hour from creation until you delete it.',
      ]),
    ],
    formError,
    fields,
    card: price.card,
    bar,
  });
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
    price,
    rateNote,
    bar,
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

  renderSummaryRows(dom.price.rows, [
    { id: 'price-per-hour', label: 'Per hour', value: view.pricePerHour },
    { id: 'price-per-month', label: 'Per month', value: view.pricePerMonth },
  ]);
  setText(dom.rateNote, view.rateNote);

  renderSubmitBar(dom.bar, dom.root, {
    ...view,
    enabled: view.createEnabled,
    createdMessage: (name) => `Volume "${name}" was created.`,
  });
}
