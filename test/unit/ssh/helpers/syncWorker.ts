// Child process for the concurrency test: syncs a sequence of states against shared files and
// prints, per iteration, the alias and local ports it saw for the always-running instance and the
// ids in our file after its write.
import { readFile } from 'node:fs/promises';
import { parseOurConfig, type SshDeploymentInput } from '../../../../src/core/ssh/hostBlocks';
import { syncSshConfig } from '../../../../src/core/ssh/sync';

interface WorkerConfig {
  readonly home: string;
  readonly userConfig: string;
  readonly worker: string;
  readonly iterations: number;
  readonly common: SshDeploymentInput;
  readonly own: readonly SshDeploymentInput[];
  readonly final: readonly SshDeploymentInput[];
  /** The team this worker's window is signed in to. */
  readonly teamId?: string;
  readonly absentGraceMs?: number;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
  for (let i = 0; i < config.iterations; i++) {
    const last = i === config.iterations - 1;
    const own = config.own[i % config.own.length];
    // No `own` instances: every sync lists the final state (a window whose list is up to date).
    const state =
      last || config.own.length === 0 ? config.final : own ? [config.common, own] : [config.common];
    const result = await syncSshConfig(state, {
      homeDir: config.home,
      userConfigPath: config.userConfig,
      ...(config.teamId === undefined ? {} : { teamId: config.teamId }),
      ...(config.absentGraceMs === undefined ? {} : { absentGraceMs: config.absentGraceMs }),
    });
    const common = result.hosts.find((host) => host.deploymentId === config.common.id);
    process.stdout.write(
      JSON.stringify({
        worker: config.worker,
        i,
        common: common
          ? `${common.alias} ${common.forwards.map((forward) => forward.localPort).join(',')}`
          : null,
        written: result.written,
        // Every deployment id in our file right after this sync (whichever team it belongs to).
        ids: parseOurConfig(await readFile(result.paths.ourConfigPath, 'utf8')).map(
          (entry) => entry.deploymentId,
        ),
      }) + '\n',
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
