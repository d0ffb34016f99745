import * as vscode from 'vscode';
import { isEnded } from '../../core/model/classify';
import { checkSshSetup } from '../../core/ssh/check';
import { renderSshSetupReport } from '../../core/ssh/checkReport';
import { probeSshHost, renderHostAnswer } from '../../core/ssh/hostProbe';
import { bootingHint } from '../../core/ssh/sshFailure';
import { fixUserConfig } from '../../core/ssh/sync';
import { sshHostFor } from '../ssh/prepare';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

/**
 * Read-only documents for the reports. An untitled document would be "dirty": closing it asks
 * whether to save it, and hot exit brings every old report back after a restart.
 */
class ReportDocuments implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'spheron-report';
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  /** Opens (or updates, when it is open already) the report called `name`. */
  show(name: string, text: string): Thenable<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: ReportDocuments.scheme, path: `/${name}` });
    this.texts.set(uri.path, text);
    this.changed.fire(uri);
    return vscode.workspace.openTextDocument(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

let reportDocuments: ReportDocuments | undefined;

function reports(context: vscode.ExtensionContext): ReportDocuments {
  if (!reportDocuments) {
    const provider = new ReportDocuments();
    reportDocuments = provider;
    context.subscriptions.push(
      provider,
      vscode.workspace.registerTextDocumentContentProvider(ReportDocuments.scheme, provider),
      { dispose: () => (reportDocuments = undefined) },
    );
  }
  return reportDocuments;
}

/** The report as rendered Markdown (the preview), or as its source where no preview exists. */
async function showRendered(document: vscode.TextDocument): Promise<void> {
  try {
    await vscode.commands.executeCommand('markdown.showPreview', document.uri);
  } catch {
    await vscode.window.showTextDocument(document, { preview: true });
  }
}

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
      aliasConflicts: services.ssh.aliasConflicts(),
    });
    // The config can be right while nothing answers: ask the host itself, briefly.
    const hostAnswer = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Checking whether ${host.hostName}:${host.port} answers over SSH…`,
      },
      () =>
        probeSshHost(host.alias, {
          userConfigPath: paths.userConfigPath,
          connectTimeoutSeconds: services.settings().sshConnectTimeoutSeconds,
          sshPath: services.ssh.sshPath(),
        }),
    );
    const booting = bootingHint(deployment, Date.now());
    services.logger.info(
      `Check SSH Setup for ${host.alias}: ${report.ok ? 'ok' : report.problems.map((problem) => problem.kind).join(', ')}; host ${hostAnswer.ok ? 'answers' : `does not answer: ${hostAnswer.reason}`}`,
    );
    const document = await reports(services.context).show(
      `SSH Setup ${host.alias}.md`,
      [
        renderSshSetupReport(report, paths.userConfigPath),
        renderHostAnswer(hostAnswer, { address: host.hostName, port: host.port, user: host.user }, booting),
      ].join('\n'),
    );
    await showRendered(document);
    const movable = report.problems.some((problem) => problem.kind === 'include-not-at-top');
    if (report.ok && hostAnswer.ok) {
      void vscode.window.showInformationMessage(
        `SSH setup for ${host.alias} is correct, and the host answers: Spheron's settings take effect.`,
      );
    } else if (report.ok && !hostAnswer.ok) {
      void vscode.window
        .showWarningMessage(
          `SSH config for ${host.alias} is correct, but ${host.hostName}:${host.port} does not answer: ${hostAnswer.reason}.${booting ? ` ${booting}` : ''}`,
          'Check Again',
        )
        .then((choice) =>
          choice === 'Check Again'
            ? vscode.commands.executeCommand(checkSshSetupCommand.id, deployment.id)
            : undefined,
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
    return { ...report, hostAnswer };
  },
};
