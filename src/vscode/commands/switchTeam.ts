import * as vscode from 'vscode';
import { switchedTeamMessage } from '../../core/model/errors';
import { formatBalance } from '../../core/model/format';
import type { SpheronCommand } from './types';

export const switchTeamCommand: SpheronCommand = {
  id: 'spheron.switchTeam',
  title: 'Switch Team',
  async run(services) {
    await services.data.balance.refresh();
    const { value: balance, error } = services.data.balance.state;
    if (!balance) {
      throw error instanceof Error ? error : new Error('Could not load the teams.');
    }
    const current = services.session.currentTeam(balance);
    const picked = await vscode.window.showQuickPick(
      balance.teams.map((team) => ({
        label: team.teamName,
        description: `${formatBalance(team.balance)} · ${team.role}`,
        detail: team.teamId === current?.teamId ? 'Current team' : undefined,
        picked: team.teamId === current?.teamId,
        teamId: team.teamId,
      })),
      { title: 'Spheron: Switch Team', placeHolder: 'Instances, volumes and deployments are per team' },
    );
    if (!picked || picked.teamId === current?.teamId) {
      return;
    }
    // Selecting the team makes the explorer drop the old team's data and load the new team's.
    await services.session.selectTeam(picked.teamId);
    services.logger.info(`Switched to team ${picked.label}`);
    void vscode.window.showInformationMessage(switchedTeamMessage(picked.label));
  },
};
