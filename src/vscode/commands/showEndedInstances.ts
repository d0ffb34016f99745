import type { SpheronCommand } from './types';

export const showEndedInstancesCommand: SpheronCommand = {
  id: 'spheron.instances.showEnded',
  title: 'Show Ended Instances',
  run: (services) => services.explorer.setShowEnded(true),
};

export const hideEndedInstancesCommand: SpheronCommand = {
  id: 'spheron.instances.hideEnded',
  title: 'Hide Ended Instances',
  run: (services) => services.explorer.setShowEnded(false),
};
