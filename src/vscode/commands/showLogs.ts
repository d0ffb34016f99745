import type { SpheronCommand } from './types';

export const showLogsCommand: SpheronCommand = {
  id: 'spheron.showLogs',
  title: 'Show Logs',
  run: (services) => services.logger.show(),
};
