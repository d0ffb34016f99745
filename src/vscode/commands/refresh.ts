import type { ExplorerView } from '../../core/model/nodes';
import type { SpheronCommand } from './types';

const VIEWS: readonly string[] = ['offers', 'instances', 'volumes'];

/** Refreshes one view (`'offers' | 'instances' | 'volumes'`, as error rows pass it) or all. */
export const refreshCommand: SpheronCommand = {
  id: 'spheron.refresh',
  title: 'Refresh',
  run: (services, view?: unknown) =>
    services.explorer.refresh(
      typeof view === 'string' && VIEWS.includes(view) ? (view as ExplorerView) : undefined,
    ),
};

export const refreshOffersCommand: SpheronCommand = {
  id: 'spheron.offers.refresh',
  title: 'Refresh Offers',
  run: (services) => services.explorer.refresh('offers'),
};

export const refreshInstancesCommand: SpheronCommand = {
  id: 'spheron.instances.refresh',
  title: 'Refresh Instances',
  run: (services) => services.explorer.refresh('instances'),
};

export const refreshVolumesCommand: SpheronCommand = {
  id: 'spheron.volumes.refresh',
  title: 'Refresh Volumes',
  run: (services) => services.explorer.refresh('volumes'),
};
