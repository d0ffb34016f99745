import { hostname } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SshKey } from '../../core/domain/types';
import { sshKeyNameProblem, suggestSshKeyName } from '../../core/keys/keyNames';
import { generateLocalKey, planKeyGeneration } from '../../core/keys/keygen';
import { runKeygenProgram } from '../../core/keys/runProgram';
import { findLocalPublicKeys, findRegisteredKey, type LocalPublicKey } from '../../core/keys/localKeys';
import { localKeyAt, registerLocalKey } from '../../core/keys/registerKey';
import type { Services } from '../services';
import { loadSshKeys } from './sshKeyArgs';
import type { SpheronCommand } from './types';

const CREATE_BUTTON = 'Create Key';

/** Offers to run ssh-keygen (showing the exact command first); the new key, or undefined. */
async function offerToCreateKey(services: Services, options: unknown): Promise<LocalPublicKey | undefined> {
  const home = services.ssh.homeDir;
  const plan = await planKeyGeneration(home);
  const choice = await services.prompts
    .for(options)
    .modal(
      'No SSH public key was found in ~/.ssh. Create one with ssh-keygen?',
      `This runs:\n\n${plan.displayCommand}\n\nIt creates ${plan.keyPath} (private, no passphrase) and ${plan.publicKeyPath}. Nothing existing is overwritten.`,
      CREATE_BUTTON,
    );
  if (choice !== CREATE_BUTTON) {
    return undefined;
  }
  const key = await generateLocalKey({ home, execFile: runKeygenProgram });
  services.logger.info(`Created SSH key ${key.path} (${key.fingerprint}) with ssh-keygen`);
  return key;
}

async function pickLocalKey(
  locals: readonly LocalPublicKey[],
  registered: readonly SshKey[],
): Promise<LocalPublicKey | undefined> {
  const picked = await vscode.window.showQuickPick(
    locals.map((local) => {
      const twin = findRegisteredKey(local, registered);
      return {
        label: path.basename(local.path),
        description: `${local.fingerprint}${twin ? ` · registered as “${twin.name}”` : ''}`,
        detail: `${local.type}${local.comment ? ` · ${local.comment}` : ''}${local.hasPrivateKey ? '' : ' · ⚠ no private key next to it, so it cannot log in from this computer'}`,
        local,
      };
    }),
    { title: 'Upload SSH Key', placeHolder: 'Pick a public key from ~/.ssh to register with Spheron' },
  );
  return picked?.local;
}

/**
 * Registers one of the user's public keys (`~/.ssh/*.pub`) with the team; offers ssh-keygen when
 * there is none. Arguments (tests): a `.pub` path from ~/.ssh, then a name.
 */
export const uploadSshKeyCommand: SpheronCommand = {
  id: 'spheron.sshKey.upload',
  title: 'Upload SSH Key',
  async run(services, pathArg?: unknown, nameArg?: unknown, options?: unknown): Promise<SshKey | undefined> {
    const home = services.ssh.homeDir;
    const registered = await loadSshKeys(services);
    let local: LocalPublicKey | undefined;
    if (typeof pathArg === 'string') {
      local = await localKeyAt(home, pathArg);
    } else {
      const locals = await findLocalPublicKeys(home);
      local =
        locals.length === 0
          ? await offerToCreateKey(services, options)
          : await pickLocalKey(locals, registered);
    }
    if (!local) {
      return undefined;
    }
    const twin = findRegisteredKey(local, registered);
    if (twin) {
      void vscode.window.showInformationMessage(
        `${path.basename(local.path)} is already registered with Spheron as “${twin.name}” (${local.fingerprint}).`,
      );
      return twin;
    }
    const suggested = suggestSshKeyName(
      local,
      hostname(),
      registered.map((key) => key.name),
    );
    const name =
      typeof nameArg === 'string'
        ? nameArg
        : await vscode.window.showInputBox({
            title: `Upload ${path.basename(local.path)}`,
            prompt: `Fingerprint ${local.fingerprint}. Name the key as it will appear in Spheron.`,
            value: suggested,
            validateInput: (value) => sshKeyNameProblem(value),
          });
    if (name === undefined) {
      return undefined;
    }
    const teamId = await services.data.teamId();
    const chosen = local;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Uploading the SSH key…' },
      () =>
        registerLocalKey({
          api: services.session.api,
          local: chosen,
          registered,
          teamId,
          hostName: hostname(),
          name,
        }),
    );
    services.logger.info(
      `Registered SSH key “${result.key.name}” (${chosen.fingerprint}) from ${chosen.path}`,
    );
    services.sshKeys.set([...registered.filter((key) => key.id !== result.key.id), result.key]);
    void vscode.window.showInformationMessage(
      `Registered “${result.key.name}” (${chosen.fingerprint}) with Spheron. New deployments can use it.`,
    );
    return result.key;
  },
};
