import * as vscode from 'vscode';
import type { Deployment } from '../../core/domain/types';
import { abortableSleep, watchDeployment } from '../../core/deploy/watchDeployment';
import {
  DeepLinkError,
  instanceLinkConfirmation,
  instanceLinkRefusal,
  linkTeam,
  parseDeepLink,
  type DeepLink,
} from '../../core/links/deepLinks';
import { formatDuration } from '../../core/model/format';
import { instanceLabel } from '../../core/model/instances';
import { signalFromToken } from '../cancellation';
import { reportError } from '../errors';
import type { Confirmations } from '../prompts';
import type { Services } from '../services';

export type DeepLinkOutcome =
  /** The command the link asked for ran (Connect, Open Jupyter, the deploy form). */
  | 'done'
  | 'declined'
  | 'not-signed-in'
  /** Refused or failed; the user was told why. */
  | 'failed';

/**
 * Handles `vscode://spheron-community.spheron-vscode/<action>?…`. `options` may carry scripted
 * answers for the confirmations (extension-host tests, test mode only).
 */
export async function handleDeepLink(
  services: Services,
  uri: Pick<vscode.Uri, 'path' | 'query'>,
  options?: unknown,
): Promise<DeepLinkOutcome> {
  try {
    const link = parseDeepLink(uri.path, uri.query);
    services.logger.info(`Opening a link: ${uri.path}?${uri.query}`);
    return await openLink(services, link, options);
  } catch (error) {
    if (error instanceof DeepLinkError) {
      services.logger.warn(`Link refused: ${error.message}`);
    }
    void reportError(error, services.logger, 'Opening a Spheron link');
    return 'failed';
  }
}

async function openLink(services: Services, link: DeepLink, options: unknown): Promise<DeepLinkOutcome> {
  const confirmations = services.prompts.for(options);
  if (!(await ensureSignedIn(services, confirmations))) {
    return 'not-signed-in';
  }
  const team = link.teamId === undefined ? undefined : await teamOf(services, link);
  if (link.action === 'deploy') {
    if (team?.switchFrom) {
      const answer = await confirmations.modal(
        `Switch the Spheron team to “${team.team.teamName}” for this deploy link?`,
        `You are in team “${team.switchFrom.teamName}”. The deploy form opens for the offer; nothing is created until you click Deploy.`,
        'Switch Team',
      );
      if (answer !== 'Switch Team') {
        return 'declined';
      }
      await services.session.selectTeam(team.team.teamId);
    }
    // The form only: nothing is created without the user's click there.
    const panel = await vscode.commands.executeCommand('spheron.deploy', {
      provider: link.provider,
      offerId: link.offerId,
    });
    return panel ? 'done' : 'failed';
  }
  const deployment = await services.session.api.getDeployment(link.deploymentId);
  const refusal = instanceLinkRefusal(deployment);
  if (refusal) {
    throw new DeepLinkError(refusal);
  }
  const question = instanceLinkConfirmation(link.action, deployment, team);
  if ((await confirmations.modal(question.message, question.detail, question.button)) !== question.button) {
    return 'declined';
  }
  if (team?.switchFrom) {
    await services.session.selectTeam(team.team.teamId);
    services.logger.info(`Switched to team ${team.team.teamName} for a link`);
  }
  if (deployment.status === 'deploying' && !(await untilRunning(services, deployment))) {
    return 'failed';
  }
  const command = link.action === 'connect' ? 'spheron.instance.connect' : 'spheron.instance.openJupyter';
  const result = await vscode.commands.executeCommand(command, deployment.id, options);
  const done = link.action === 'connect' ? result === 'opened' : typeof result === 'string';
  return done ? 'done' : 'failed';
}

/** Signed in already, or after the user signed in now; the link itself never carries a key. */
async function ensureSignedIn(services: Services, confirmations: Confirmations): Promise<boolean> {
  if ((await services.session.state()).signedIn) {
    return true;
  }
  const answer = await confirmations.modal(
    'Sign in to Spheron to open this link.',
    'Links never carry an API key: paste yours from the Spheron dashboard (Settings → API).',
    'Sign In',
  );
  return answer === 'Sign In' && (await vscode.commands.executeCommand<boolean>('spheron.signIn')) === true;
}

async function teamOf(services: Services, link: DeepLink) {
  await services.data.balance.refresh();
  const { value: balance, error } = services.data.balance.state;
  if (!balance) {
    throw error instanceof Error ? error : new Error('Could not load the teams.');
  }
  return linkTeam(link, balance.teams, services.session.currentTeam(balance));
}

/** Waits with a cancellable progress until the link's instance runs; false when it never does. */
async function untilRunning(services: Services, deployment: Deployment): Promise<boolean> {
  const name = instanceLabel(deployment);
  const startedAt = Date.now();
  const outcome = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Waiting for ${name} to run`,
      cancellable: true,
    },
    (progress, token) => {
      progress.report({ message: deployment.status });
      return watchDeployment({
        id: deployment.id,
        getDeployment: (id, requestOptions) => services.session.api.getDeployment(id, requestOptions),
        sleep: abortableSleep,
        now: Date.now,
        signal: signalFromToken(token),
        onPoll: (polled) =>
          progress.report({ message: `${polled.status} · ${formatDuration(Date.now() - startedAt)}` }),
      });
    },
  );
  switch (outcome.kind) {
    case 'running':
      return true;
    case 'cancelled':
      return false;
    case 'error':
      throw outcome.error;
    case 'gone':
      throw new DeepLinkError(`Spheron no longer lists the link's instance “${name}”.`);
    case 'timeout':
      throw new DeepLinkError(`“${name}” is still deploying after a long time; try the link again later.`);
    case 'failed':
    case 'ended':
      throw new DeepLinkError(
        `“${name}” is ${outcome.deployment.rawStatus || outcome.deployment.status} and never reached running.`,
      );
  }
}
