import * as vscode from 'vscode';
import type { SshKey } from '../../core/domain/types';
import type { Services } from '../services';
import { describeKey, loadSshKeys, sshKeyIdFrom } from './sshKeyArgs';
import type { SpheronCommand } from './types';

export type DeleteKeyResult = 'deleted' | 'cancelled';

const DELETE_BUTTON = 'Delete Key';

/** Confirms and deletes one registered key; used by the command and the key list's button. */
export async function deleteSshKeyFlow(
  services: Services,
  key: SshKey,
  options: unknown,
): Promise<DeleteKeyResult> {
  const choice = await services.prompts
    .for(options)
    .destructive(
      `Delete the SSH key “${key.name}” from Spheron?`,
      `${describeKey(key)}\n\nRunning instances keep the key they were created with; new deployments can no longer use it. The key files on this computer are not touched.`,
      'Keep Key',
      DELETE_BUTTON,
    );
  if (choice !== DELETE_BUTTON) {
    return 'cancelled';
  }
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Deleting SSH key “${key.name}”…` },
    () => services.session.api.deleteSshKey(key.id),
  );
  services.logger.info(`Deleted SSH key ${key.name} (${key.id})`);
  services.sshKeys.set((services.sshKeys.state.value ?? []).filter((candidate) => candidate.id !== key.id));
  void vscode.window.showInformationMessage(`Deleted the SSH key “${key.name}” from Spheron.`);
  return 'deleted';
}

export const deleteSshKeyCommand: SpheronCommand = {
  id: 'spheron.sshKey.delete',
  title: 'Delete SSH Key',
  async run(services, keyArg?: unknown, options?: unknown): Promise<DeleteKeyResult> {
    const keys = await loadSshKeys(services);
    const id = sshKeyIdFrom(keyArg);
    let key = id ? keys.find((candidate) => candidate.id === id) : undefined;
    if (id && !key) {
      throw new Error('That SSH key is not registered with Spheron any more.');
    }
    if (!key) {
      if (keys.length === 0) {
        void vscode.window.showInformationMessage('No SSH key is registered with Spheron.');
        return 'cancelled';
      }
      const picked = await vscode.window.showQuickPick(
        keys.map((candidate) => ({
          label: candidate.name,
          description: describeKey(candidate),
          key: candidate,
        })),
        { title: 'Delete SSH Key', placeHolder: 'Pick the key to delete' },
      );
      key = picked?.key;
    }
    return key ? deleteSshKeyFlow(services, key, options) : 'cancelled';
  },
};
