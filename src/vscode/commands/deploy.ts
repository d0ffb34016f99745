import * as vscode from 'vscode';
import { deployableOfferPicks, offerRefFrom, type OfferRef } from '../../core/deploy/offerPicks';
import type { Services } from '../services';
import type { DeployPanel } from '../webview/deployPanel';
import type { SpheronCommand } from './types';

/** Picks an offer from the loaded catalogue: deployable only, cheapest first. */
async function pickOffer(services: Services): Promise<OfferRef | undefined> {
  const offers = services.data.offers;
  if (!offers.state.value) {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Spheron: loading the GPU catalogue…' },
      () => offers.refresh(),
    );
  }
  const catalogue = offers.state.value;
  if (!catalogue) {
    throw offers.state.error instanceof Error
      ? offers.state.error
      : new Error('Could not load the GPU catalogue.');
  }
  const picks = deployableOfferPicks(catalogue.groups);
  if (picks.length === 0) {
    void vscode.window.showInformationMessage(
      'No offer in the catalogue can be deployed right now (all are in maintenance or unavailable, or the Offers search hides them).',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    picks.map((pick) => ({
      label: pick.label,
      description: pick.description,
      detail: pick.detail,
      ref: pick.ref,
    })),
    {
      title: 'Deploy GPU Instance',
      placeHolder: 'Pick an offer (cheapest first); type to filter by GPU, provider or region',
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  return picked?.ref;
}

/**
 * Opens the deploy form. From an offer row it is that offer; tests may pass
 * `{ provider, offerId }`; from the palette the user picks an offer first.
 */
export const deployCommand: SpheronCommand = {
  id: 'spheron.deploy',
  title: 'Deploy GPU Instance',
  async run(services, arg?: unknown): Promise<DeployPanel | undefined> {
    const ref = offerRefFrom(arg) ?? (await pickOffer(services));
    return ref ? services.deployPanels.open(ref) : undefined;
  },
};
