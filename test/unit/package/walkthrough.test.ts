import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMAND_IDS } from '../../../src/vscode/commands/ids';

const root = path.join(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: {
    walkthroughs: {
      id: string;
      steps: {
        id: string;
        description: string;
        media: { image: string; altText: string };
        completionEvents: string[];
      }[];
    }[];
    configuration: { properties: Record<string, unknown> };
    views: Record<string, { id: string }[]>;
  };
};
const contextKeysSource = readFileSync(path.join(root, 'src/vscode/contextKeys.ts'), 'utf8');
const viewFocusCommands = Object.values(manifest.contributes.views)
  .flat()
  .map((view) => `${view.id}.focus`);
const knownCommands = new Set<string>([
  ...COMMAND_IDS,
  ...viewFocusCommands,
  'workbench.action.openSettings',
]);

describe('the Getting Started walkthrough', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;

  it('walks from signing in to the idle guard', () => {
    assert.deepEqual(
      walkthrough?.steps.map((step) => step.id),
      ['signIn', 'pickOffer', 'deploy', 'connect', 'notebook', 'idleGuard'],
    );
  });

  it('shows screenshots that exist, each with alt text', () => {
    for (const step of walkthrough?.steps ?? []) {
      assert.ok(existsSync(path.join(root, step.media.image)), `${step.id}: ${step.media.image}`);
      assert.ok(step.media.altText.length > 10, step.id);
    }
  });

  it('completes each step on a real event: a context key we set, a command we run, a setting we read', () => {
    for (const step of walkthrough?.steps ?? []) {
      assert.ok(step.completionEvents.length > 0, step.id);
      for (const event of step.completionEvents) {
        const [kind, subject = ''] = event.split(/:(.*)/s);
        if (kind === 'onContext') {
          assert.ok(contextKeysSource.includes(`'${subject}'`), `${step.id}: context key ${subject}`);
        } else if (kind === 'onCommand') {
          assert.ok(knownCommands.has(subject), `${step.id}: command ${subject}`);
        } else if (kind === 'onSettingChanged') {
          assert.ok(
            subject in manifest.contributes.configuration.properties,
            `${step.id}: setting ${subject}`,
          );
        } else {
          assert.fail(`${step.id}: unexpected completion event ${event}`);
        }
      }
    }
  });

  it('links only to commands that exist', () => {
    for (const step of walkthrough?.steps ?? []) {
      const linked = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((match) => match[1] ?? '');
      assert.ok(linked.length > 0, step.id);
      for (const command of linked) {
        assert.ok(knownCommands.has(command), `${step.id}: ${command}`);
      }
    }
  });
});
