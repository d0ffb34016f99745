import * as vscode from 'vscode';
import { KNOWN_INSTANCE_TYPES } from '../../core/domain/types';
import { formatRate, formatSizeGb, plural } from '../../core/model/format';
import {
  DEFAULT_OFFER_FILTERS,
  offerFilterChoices,
  type FilterChoice,
  type OfferFilterChoices,
  type OfferFilters,
} from '../../core/model/offers';
import {
  matchFilterChoices,
  withFilterValue,
  type FilterMatch,
  type SearchableField,
} from '../../core/model/offerFilterSearch';
import type { Services } from '../services';
import type { SpheronCommand } from './types';

type FilterField =
  | 'instanceTypes'
  | 'providers'
  | 'gpuModels'
  | 'minVramGb'
  | 'gpuCounts'
  | 'maxPricePerHour'
  | 'regions'
  | 'search'
  | 'showMaintenance'
  | 'clear';

interface FieldItem extends vscode.QuickPickItem {
  readonly field: FilterField;
}

/** A GPU model, provider or region found by typed text; picking it adds it to that filter. */
interface MatchItem extends vscode.QuickPickItem {
  readonly match: FilterMatch;
}

const MATCH_LABELS: Record<SearchableField, string> = {
  gpuModels: '$(circuit-board) GPU model',
  providers: '$(organization) Provider',
  regions: '$(globe) Region',
};

function matchItems(choices: OfferFilterChoices, text: string): MatchItem[] {
  return matchFilterChoices(choices, text).map((match) => ({
    label: `${MATCH_LABELS[match.field]}: ${match.value}`,
    description: `from ${formatRate(match.lowestPricePerHour)} · ${plural(match.offerCount, 'offer')}`,
    // Shown whatever the quick pick's own fuzzy match thinks of the label.
    alwaysShow: true,
    match,
  }));
}

/**
 * The first step: a filter to change, or (as soon as something is typed) the GPU models,
 * providers and regions whose names contain the text.
 */
function pickFieldOrMatch(
  filters: OfferFilters,
  choices: OfferFilterChoices,
): Promise<FieldItem | MatchItem | undefined> {
  return new Promise((resolve) => {
    const quickPick = vscode.window.createQuickPick<FieldItem | MatchItem>();
    const fields = fieldItems(filters);
    quickPick.title = 'Filter Offers';
    quickPick.placeholder = 'Type a GPU model, provider or region (e.g. H100), or pick a filter to change';
    quickPick.items = fields;
    quickPick.matchOnDescription = true;
    let chosen: FieldItem | MatchItem | undefined;
    quickPick.onDidChangeValue((value) => {
      // Matches first; the filters stay below (the quick pick hides those the text does not fit).
      quickPick.items = [...matchItems(choices, value), ...fields];
    });
    quickPick.onDidAccept(() => {
      chosen = quickPick.selectedItems[0];
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(chosen);
    });
    quickPick.show();
  });
}

const ANY = 'any';

function listText(values: readonly (string | number)[]): string {
  return values.length === 0 ? ANY : values.join(', ');
}

function fieldItems(filters: OfferFilters): FieldItem[] {
  return [
    {
      field: 'instanceTypes',
      label: '$(server) Instance type',
      description: listText(filters.instanceTypes),
    },
    { field: 'providers', label: '$(organization) Provider', description: listText(filters.providers) },
    { field: 'gpuModels', label: '$(circuit-board) GPU model', description: listText(filters.gpuModels) },
    {
      field: 'minVramGb',
      label: '$(database) Minimum VRAM per GPU',
      description: filters.minVramGb === undefined ? ANY : `≥ ${formatSizeGb(filters.minVramGb)}`,
    },
    { field: 'gpuCounts', label: '$(layers) GPU count', description: listText(filters.gpuCounts) },
    {
      field: 'maxPricePerHour',
      label: '$(credit-card) Maximum price per hour',
      description: filters.maxPricePerHour === undefined ? ANY : `≤ ${formatRate(filters.maxPricePerHour)}`,
    },
    { field: 'regions', label: '$(globe) Region', description: listText(filters.regions) },
    { field: 'search', label: '$(search) Search (sent to Spheron)', description: filters.search ?? '—' },
    {
      field: 'showMaintenance',
      label: '$(tools) Offers in maintenance',
      description: filters.showMaintenance ? 'shown (cannot be deployed)' : 'hidden',
    },
    { field: 'clear', label: '$(clear-all) Clear all filters' },
  ];
}

async function pickMany<T extends string | number>(
  title: string,
  choices: readonly FilterChoice<T>[],
  selected: readonly T[],
  describe: (value: T) => string = String,
): Promise<T[] | undefined> {
  const picked = await vscode.window.showQuickPick(
    choices.map((choice) => ({
      label: describe(choice.value),
      description: `from ${formatRate(choice.lowestPricePerHour)} · ${plural(choice.offerCount, 'offer')}`,
      picked: selected.includes(choice.value),
      value: choice.value,
    })),
    { title, canPickMany: true, placeHolder: 'Pick none to show all' },
  );
  return picked?.map((item) => item.value);
}

async function inputNumber(
  title: string,
  prompt: string,
  current: number | undefined,
): Promise<number | null | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: current === undefined ? '' : String(current),
    placeHolder: 'Leave empty for no limit',
    validateInput: (value) =>
      value.trim() === '' || (Number.isFinite(Number(value)) && Number(value) > 0)
        ? undefined
        : 'Enter a positive number, or leave it empty.',
  });
  if (text === undefined) {
    return undefined;
  }
  return text.trim() === '' ? null : Number(text);
}

/** One step of editing: returns the new filters, or undefined when the user backed out. */
async function editField(
  services: Services,
  field: FilterField,
  filters: OfferFilters,
): Promise<OfferFilters | undefined> {
  const catalogue = services.data.offers.state.value;
  const choices = offerFilterChoices(catalogue?.groups ?? [], { showMaintenance: filters.showMaintenance });
  switch (field) {
    case 'clear':
      return DEFAULT_OFFER_FILTERS;
    case 'showMaintenance':
      return { ...filters, showMaintenance: !filters.showMaintenance };
    case 'instanceTypes': {
      const known = KNOWN_INSTANCE_TYPES.map((value) => ({
        value,
        offerCount: choices.instanceTypes.find((choice) => choice.value === value)?.offerCount ?? 0,
        lowestPricePerHour:
          choices.instanceTypes.find((choice) => choice.value === value)?.lowestPricePerHour ?? 0,
      }));
      const picked = await pickMany('Instance type', known, filters.instanceTypes);
      return picked && { ...filters, instanceTypes: picked };
    }
    case 'providers': {
      const picked = await pickMany('Provider', choices.providers, filters.providers);
      return picked && { ...filters, providers: picked };
    }
    case 'gpuModels': {
      const picked = await pickMany('GPU model', choices.gpuModels, filters.gpuModels);
      return picked && { ...filters, gpuModels: picked };
    }
    case 'regions': {
      const picked = await pickMany('Region', choices.regions, filters.regions);
      return picked && { ...filters, regions: picked };
    }
    case 'gpuCounts': {
      const picked = await pickMany('GPU count', choices.gpuCounts, filters.gpuCounts, (count) =>
        count === 0 ? 'CPU only' : `${count} × GPU`,
      );
      return picked && { ...filters, gpuCounts: picked };
    }
    case 'minVramGb': {
      const value = await inputNumber('Minimum VRAM per GPU (GB)', 'For example 48 or 80', filters.minVramGb);
      if (value === undefined) {
        return undefined;
      }
      const { minVramGb: _dropped, ...rest } = filters;
      return value === null ? rest : { ...rest, minVramGb: value };
    }
    case 'maxPricePerHour': {
      const value = await inputNumber(
        'Maximum price per hour (USD, whole instance)',
        'For example 2.5',
        filters.maxPricePerHour,
      );
      if (value === undefined) {
        return undefined;
      }
      const { maxPricePerHour: _dropped, ...rest } = filters;
      return value === null ? rest : { ...rest, maxPricePerHour: value };
    }
    case 'search': {
      const text = await vscode.window.showInputBox({
        title: 'Search GPU models',
        prompt: 'Spheron matches GPU model names, e.g. "4090" or "H100"',
        value: filters.search ?? '',
      });
      if (text === undefined) {
        return undefined;
      }
      const { search: _dropped, ...rest } = filters;
      return text.trim() ? { ...rest, search: text.trim() } : rest;
    }
  }
}

/** The Offers title-bar filter: pick a field, edit it, and come back until Escape. */
export const filterOffersCommand: SpheronCommand = {
  id: 'spheron.offers.filter',
  title: 'Filter Offers',
  async run(services, presetField?: unknown) {
    let field = typeof presetField === 'string' ? (presetField as FilterField) : undefined;
    for (;;) {
      const filters = services.explorer.offerFilters;
      if (!field) {
        const choices = offerFilterChoices(services.data.offers.state.value?.groups ?? [], {
          showMaintenance: filters.showMaintenance,
        });
        const picked = await pickFieldOrMatch(filters, choices);
        if (!picked) {
          return;
        }
        if ('match' in picked) {
          await services.explorer.setOfferFilters(
            withFilterValue(filters, picked.match.field, picked.match.value),
          );
          continue;
        }
        field = picked.field;
      }
      const next = await editField(services, field, filters);
      if (next) {
        await services.explorer.setOfferFilters(next);
      }
      if (field === 'clear' || typeof presetField === 'string') {
        return;
      }
      field = undefined;
    }
  },
};
