import * as vscode from 'vscode';
import { setIdleOverride, readIdleState } from '../../core/guard/idleStore';
import { parseGuardSettings } from '../../core/guard/guardSettings';
import { isEnded } from '../../core/model/classify';
import { instanceLabel } from '../../core/model/instances';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

const CHOICES = [30, 60, 120, 240] as const;

/** Sets this instance's idle limit (or off, or back to the setting); shared by every window. */
export const setIdleLimitCommand: SpheronCommand = {
  id: 'spheron.instance.setIdleLimit',
  title: 'Set Idle Limit…',
  async run(services, target?: unknown): Promise<number | 'setting' | undefined> {
    const deployment = await resolveDeployment(services, target, {
      title: 'Set Idle Limit',
      accept: (candidate) => !isEnded(candidate.status),
    });
    if (!deployment) {
      return undefined;
    }
    const store = services.globalState;
    const setting = parseGuardSettings((key) =>
      vscode.workspace.getConfiguration('spheron').get(key),
    ).idleMinutes;
    const current = readIdleState(store).overrides.get(deployment.id);
    type Item = vscode.QuickPickItem & { readonly minutes: number | 'setting' | 'custom' };
    const items: Item[] = [
      {
        label: `Follow the setting (${setting > 0 ? `${setting} min` : 'off'})`,
        description: 'spheron.idle.minutes',
        minutes: 'setting',
      },
      { label: 'Off for this instance', minutes: 0 },
      ...CHOICES.map((minutes) => ({ label: `${minutes} min`, minutes })),
      { label: 'Other…', minutes: 'custom' as const },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: `Idle limit for “${instanceLabel(deployment)}”`,
      placeHolder: `Now: ${current === undefined ? 'the setting' : current === 0 ? 'off' : `${current} min`}. Terminated after this long with no SSH session, busy kernel or GPU load, after a warning.`,
    });
    if (!picked) {
      return undefined;
    }
    let minutes = picked.minutes;
    if (minutes === 'custom') {
      const typed = await vscode.window.showInputBox({
        title: `Idle limit for “${instanceLabel(deployment)}”`,
        prompt: 'Minutes without activity before the instance is terminated (at least 15).',
        validateInput: (text) =>
          /^\d+$/.test(text.trim()) && Number(text) >= 15
            ? undefined
            : 'A whole number of minutes, 15 or more.',
      });
      if (typed === undefined) {
        return undefined;
      }
      minutes = Number(typed.trim());
    }
    await setIdleOverride(store, deployment.id, minutes === 'setting' ? undefined : minutes);
    services.logger.info(
      `Idle limit of ${instanceLabel(deployment)} (${deployment.id}): ${minutes === 'setting' ? 'the setting' : minutes === 0 ? 'off' : `${minutes} min`}`,
    );
    services.explorer.renderInstanceExtras();
    return minutes;
  },
};
