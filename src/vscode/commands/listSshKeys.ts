import * as vscode from 'vscode';
import type { SshKey } from '../../core/domain/types';
import { formatAgo } from '../../core/model/format';
import { singleLine } from '../../core/util/text';
import { deleteSshKeyFlow } from './deleteSshKey';
import { describeKey, loadSshKeys } from './sshKeyArgs';
import type { SpheronCommand } from './types';

interface KeyItem extends vscode.QuickPickItem {
  readonly key?: SshKey;
  readonly upload?: true;
}

const DELETE_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('trash'),
  tooltip: 'Delete this key from Spheron',
};

/** The team's SSH keys with their fingerprints; a button deletes one, an item uploads another. */
export const listSshKeysCommand: SpheronCommand = {
  id: 'spheron.sshKey.list',
  title: 'SSH Keys',
  async run(services): Promise<void> {
    const keys = await loadSshKeys(services);
    const now = Date.now();
    const items: KeyItem[] = [
      { label: '$(cloud-upload) Upload a local public key…', upload: true, alwaysShow: true },
      ...(keys.length > 0 ? [{ label: 'Registered keys', kind: vscode.QuickPickItemKind.Separator }] : []),
      ...keys.map((key): KeyItem => ({
        label: `$(key) ${singleLine(key.name)}`,
        description: describeKey(key),
        ...(key.createdAtMs !== null ? { detail: `added ${formatAgo(key.createdAtMs, now)}` } : {}),
        buttons: [DELETE_BUTTON],
        key,
      })),
    ];
    const pick = vscode.window.createQuickPick<KeyItem>();
    pick.title = `Spheron SSH Keys (${keys.length})`;
    pick.placeholder = keys.length === 0 ? 'No key is registered yet' : 'Registered with Spheron';
    pick.matchOnDescription = true;
    pick.items = items;
    const outcome = await new Promise<{ kind: 'upload' } | { kind: 'delete'; key: SshKey } | undefined>(
      (resolve) => {
        pick.onDidTriggerItemButton((event) => {
          if (event.item.key) {
            resolve({ kind: 'delete', key: event.item.key });
            pick.hide();
          }
        });
        pick.onDidAccept(() => {
          const selected = pick.selectedItems[0];
          resolve(selected?.upload ? { kind: 'upload' } : undefined);
          pick.hide();
        });
        pick.onDidHide(() => resolve(undefined));
        pick.show();
      },
    );
    pick.dispose();
    if (outcome?.kind === 'upload') {
      await vscode.commands.executeCommand('spheron.sshKey.upload');
    } else if (outcome?.kind === 'delete') {
      await deleteSshKeyFlow(services, outcome.key, undefined);
    }
  },
};
