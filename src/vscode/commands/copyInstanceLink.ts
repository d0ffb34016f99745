import * as vscode from 'vscode';
import { instanceLink } from '../../core/links/deepLinks';
import { instanceLabel } from '../../core/model/instances';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

/** A `vscode://…/connect?deployment=…&team=…` link for a README or a teammate (never a key). */
export const copyInstanceLinkCommand: SpheronCommand = {
  id: 'spheron.instance.copyLink',
  title: 'Copy Link to This Instance',
  async run(services, arg?: unknown) {
    const deployment = await resolveDeployment(services, arg, { title: 'Copy Link to This Instance' });
    if (!deployment) {
      return undefined;
    }
    const balance = services.data.balance.state.value;
    const teamId =
      (balance && services.session.currentTeam(balance)?.teamId) ?? services.session.selectedTeamId();
    const link = instanceLink({
      scheme: vscode.env.uriScheme,
      extensionId: services.context.extension.id,
      deploymentId: deployment.id,
      ...(teamId ? { teamId } : {}),
    });
    await vscode.env.clipboard.writeText(link);
    void vscode.window.showInformationMessage(
      `Copied a link to “${instanceLabel(deployment)}”. It opens the instance in VS Code for anyone in the team.`,
    );
    return link;
  },
};
