// Applies an edit of our entries to the kubeconfig file: read, edit as lines, back the old bytes up
// once per change, then replace the file atomically, only if nobody wrote it in between.
import { dirname } from 'node:path';
import { writeFileAtomic } from '../ssh/atomicWrite';
import { readIfExists, type SshFileSystem } from '../ssh/fileSystem';

/** Where the previous bytes go before each change: beside the file, readable by its owner only. */
export function kubeconfigBackupPath(configPath: string): string {
  return `${configPath}.spheron-backup`;
}

/**
 * Runs `edit` on the kubeconfig's text and writes the result, keeping the file's mode (0600 for a
 * new one). Returns false when the edit changed nothing (no write, no backup). Throws
 * ContentChangedError when another program wrote the file during the edit; nothing is written then.
 */
export async function updateKubeconfig(
  fs: SshFileSystem,
  configPath: string,
  edit: (text: string) => string,
): Promise<boolean> {
  const current = await readIfExists(fs, configPath);
  const text = current?.toString('utf8') ?? '';
  const next = edit(text);
  if (next === text) {
    return false;
  }
  const mode = current ? (await fs.stat(configPath)).mode & 0o777 : 0o600;
  await fs.mkdir(dirname(configPath), 0o700);
  if (current) {
    await writeFileAtomic(fs, kubeconfigBackupPath(configPath), current, { mode: 0o600 });
  }
  await writeFileAtomic(fs, configPath, Buffer.from(next, 'utf8'), { mode, expected: current });
  return true;
}
