import { reportError } from '../errors';
import type { Services } from '../services';
import { COMMAND_IDS, type CommandId } from './ids';
import { addToKubeconfigCommand } from './addToKubeconfig';
import { attachVolumeCommand } from './attachVolume';
import { cancelScheduledTerminationCommand } from './cancelScheduledTermination';
import { checkSshSetupCommand } from './checkSshSetup';
import { clearOfferFiltersCommand } from './clearOfferFilters';
import { connectCommand } from './connect';
import { copyInstanceLinkCommand } from './copyInstanceLink';
import { copySshCommandCommand } from './copySshCommand';
import { createVolumeCommand } from './createVolume';
import { deleteSshKeyCommand } from './deleteSshKey';
import { deleteVolumeCommand } from './deleteVolume';
import { deployCommand } from './deploy';
import { detachVolumeCommand } from './detachVolume';
import { filterOffersCommand } from './filterOffers';
import { listSshKeysCommand } from './listSshKeys';
import { openDashboardCommand } from './openDashboard';
import { openJupyterCommand, openTensorBoardCommand } from './openNotebookPort';
import { openSshTerminalCommand } from './openSshTerminal';
import {
  refreshCommand,
  refreshInstancesCommand,
  refreshOffersCommand,
  refreshVolumesCommand,
} from './refresh';
import { renameCommand } from './rename';
import { restartNotebookKernelCommand } from './restartNotebookKernel';
import { selectNotebookKernelCommand } from './selectNotebookKernel';
import { setIdleLimitCommand } from './setIdleLimit';
import { hideEndedInstancesCommand, showEndedInstancesCommand } from './showEndedInstances';
import { showLogsCommand } from './showLogs';
import { signInCommand } from './signIn';
import { signOutCommand } from './signOut';
import { stopTunnelCommand } from './stopTunnel';
import { removeSshEntriesCommand } from './removeSshEntries';
import { switchTeamCommand } from './switchTeam';
import { terminateCommand } from './terminate';
import type { SpheronCommand } from './types';
import { uploadSshKeyCommand } from './uploadSshKey';

const COMMANDS: readonly SpheronCommand[] = [
  signInCommand,
  signOutCommand,
  switchTeamCommand,
  openDashboardCommand,
  showLogsCommand,
  refreshCommand,
  refreshOffersCommand,
  filterOffersCommand,
  clearOfferFiltersCommand,
  refreshInstancesCommand,
  showEndedInstancesCommand,
  hideEndedInstancesCommand,
  refreshVolumesCommand,
  connectCommand,
  copySshCommandCommand,
  copyInstanceLinkCommand,
  addToKubeconfigCommand,
  openSshTerminalCommand,
  openJupyterCommand,
  openTensorBoardCommand,
  selectNotebookKernelCommand,
  restartNotebookKernelCommand,
  stopTunnelCommand,
  checkSshSetupCommand,
  removeSshEntriesCommand,
  deployCommand,
  terminateCommand,
  cancelScheduledTerminationCommand,
  setIdleLimitCommand,
  renameCommand,
  createVolumeCommand,
  attachVolumeCommand,
  detachVolumeCommand,
  deleteVolumeCommand,
  listSshKeysCommand,
  uploadSshKeyCommand,
  deleteSshKeyCommand,
];

/** Every command's handler, by id; fails loudly when the table and COMMAND_IDS disagree. */
export function commandTable(): ReadonlyMap<CommandId, SpheronCommand> {
  const byId = new Map<CommandId, SpheronCommand>(COMMANDS.map((command) => [command.id, command]));
  const missing = COMMAND_IDS.filter((id) => !byId.has(id));
  if (missing.length > 0 || byId.size !== COMMANDS.length) {
    throw new Error(`Command table out of step: missing ${missing.join(', ') || 'none'}`);
  }
  return byId;
}

/** Runs one command through the error funnel: failures become a message with an action. */
export async function runCommand(
  table: ReadonlyMap<CommandId, SpheronCommand>,
  services: Services,
  id: CommandId,
  args: readonly unknown[],
): Promise<unknown> {
  const command = table.get(id);
  if (!command) {
    throw new Error(`Unknown command ${id}`);
  }
  try {
    return await command.run(services, ...args);
  } catch (error) {
    // Not awaited: the message stays up until dismissed, and the command must not hang on it.
    void reportError(error, services.logger, command.title);
    return undefined;
  }
}
