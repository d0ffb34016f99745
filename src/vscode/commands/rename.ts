import * as vscode from 'vscode';
import type { Deployment } from '../../core/domain/types';
import { deploymentNameProblem, duplicateNameWarning } from '../../core/deploy/names';
import { isEnded } from '../../core/model/classify';
import { instanceLabel } from '../../core/model/instances';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

/** Renames an instance (PATCH with the name); the new name also becomes its SSH host alias. */
export const renameCommand: SpheronCommand = {
  id: 'spheron.instance.rename',
  title: 'Rename',
  async run(services, target?: unknown, newName?: unknown): Promise<Deployment | undefined> {
    const deployment = await resolveDeployment(services, target, {
      title: 'Rename Instance',
      accept: (candidate) => !isEnded(candidate.status),
    });
    if (!deployment) {
      return undefined;
    }
    const others = services.data.deployments.state.value ?? [];
    const name =
      typeof newName === 'string'
        ? newName
        : await vscode.window.showInputBox({
            title: `Rename “${instanceLabel(deployment)}”`,
            prompt: 'Letters, digits and hyphens, starting with a letter. It is also the SSH host name.',
            value: deployment.name ?? '',
            validateInput: (value) => {
              const problem = deploymentNameProblem(value);
              if (problem) {
                return problem;
              }
              // A duplicate is allowed (Spheron accepts it), but said before it is sent.
              const duplicate = duplicateNameWarning(value, others, deployment.id);
              return duplicate
                ? { message: duplicate, severity: vscode.InputBoxValidationSeverity.Warning }
                : undefined;
            },
          });
    if (name === undefined || name === deployment.name) {
      return undefined;
    }
    const problem = deploymentNameProblem(name);
    if (problem) {
      throw new Error(problem);
    }
    const renamed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Renaming to “${name}”…` },
      () => services.session.api.renameDeployment(deployment.id, name),
    );
    const duplicate = duplicateNameWarning(name, others, deployment.id);
    if (duplicate) {
      services.logger.warn(duplicate);
    }
    services.logger.info(`Renamed ${deployment.id} from ${deployment.name ?? '(none)'} to ${name}`);
    await services.explorer.refresh('instances');
    // The SSH host follows the name: rewrite the entry now, not at the next poll.
    if (services.settings().sshManageConfig) {
      await services.ssh
        .sync(services.data.deployments.state.value ?? [], {
          fetchedAtMs: services.data.deployments.state.fetchedAtMs,
        })
        .catch((error: unknown) =>
          services.logger.warn(`SSH entries not updated after the rename: ${String(error)}`),
        );
    }
    vscode.window.setStatusBarMessage(`Spheron: renamed to “${name}”`, 5_000);
    return renamed;
  },
};
