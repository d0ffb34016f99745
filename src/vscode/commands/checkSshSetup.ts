import * as vscode from 'vscode';
import { isEnded } from '../../core/model/classify';
import { checkSshSetup } from '../../core/ssh/check';
import { renderSshSetupReport } from '../../core/ssh/checkReport';
import { fixUserConfig } from '../../core/ssh/sync';
import { sshHostFor } from '../ssh/prepare';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

export const checkSshSetupCommand: SpheronCommand = {
  id: 'spheron.ssh.check',
  title: 'Check SSH Setup',
  async run(services, arg?: unknown) {
    const deployment = await resolveDeployment(services, arg, {
      title: 'Check SSH Setup',
      accept: (candidate) => candidate.status === 'running' && !isEnded(candidate.status),
    });
    if (!deployment) {
      return undefined;
    }
    const host = await sshHostFor(services, deployment);
    const paths = services.ssh.paths();
    const report = await checkSshSetup(host.alias, {
      userConfigPath: paths.userConfigPath,
      ourConfigPath: paths.ourConfigPath,
      homeDir: services.ssh.homeDir,
      sshPath: services.ssh.sshPath(),
    });
    services.logger.info(
      `Check SSH Setup for ${host.alias}: ${report.ok ? 'ok' : report.problems.map((problem) => problem.kind).join(', ')}`,
    );
    const document = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: renderSshSetupReport(report, paths.userConfigPath),
    });
    await vscode.window.showTextDocument(document, { preview: true });
    const movable = report.problems.some((problem) => problem.kind === 'include-not-at-top');
    if (report.ok) {
      void vscode.window.showInformationMessage(
        `SSH setup for ${host.alias} is correct: Spheron's settings take effect.`,
      );
    } else {
      const choice = await vscode.window.showWarningMessage(
        `SSH setup for ${host.alias} has ${report.problems.length} problem(s); the report says what to change.`,
        ...(movable ? ['Move Spheron Include to Top'] : []),
      );
      if (choice === 'Move Spheron Include to Top') {
        await fixUserConfig('move-include-to-top', {
          homeDir: services.ssh.homeDir,
          userConfigPath: paths.userConfigPath,
          ourConfigPath: paths.ourConfigPath,
        });
        void vscode.window.showInformationMessage(
          `Moved the Spheron Include to the top of ${paths.userConfigPath}.`,
        );
      }
    }
    return report;
  },
};
