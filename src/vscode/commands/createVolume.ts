import type { VolumePanel } from '../webview/volumePanel';
import type { SpheronCommand } from './types';

function providerFrom(arg: unknown): string | undefined {
  if (typeof arg === 'string') {
    return arg;
  }
  const provider = (arg as { provider?: unknown } | null | undefined)?.provider;
  return typeof provider === 'string' ? provider : undefined;
}

/** Opens the create-volume form; `{ provider }` (or the provider slug) preselects a provider. */
export const createVolumeCommand: SpheronCommand = {
  id: 'spheron.volume.create',
  title: 'Create Volume',
  run(services, arg?: unknown): Promise<VolumePanel> {
    return services.volumePanels.open(providerFrom(arg));
  },
};
