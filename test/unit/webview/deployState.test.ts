import * as assert from 'node:assert/strict';
import {
  defaultKeyChoice,
  deployReducer,
  deriveDeployView,
  emptyDeployState,
  instanceTypeExplanation,
  keyChoiceFromOption,
  persistedDeployStateSchema,
  persistedState,
} from '../../../src/webview-ui/deploy/state';
import type { DeployAction, DeployState } from '../../../src/webview-ui/deploy/state';
import { parseDeployWebviewMessage } from '../../../src/shared/deployProtocol';
import type { DeployInit } from '../../../src/shared/deployProtocol';
import { deployInit, localKey, offer, PUBLIC_KEY, sshKey, volume } from './fixtures';

function run(actions: readonly DeployAction[], start: DeployState = emptyDeployState()): DeployState {
  return actions.reduce(deployReducer, start);
}

/** The submit request the webview would send with these values. */
function submitMessage(form: DeployState['form']): unknown {
  return {
    type: 'request',
    requestId: 'r1',
    method: 'submitDeploy',
    params: { sessionId: 'session-1', form },
  };
}

function initialised(overrides: Partial<DeployInit> = {}): DeployState {
  return run([{ type: 'init', init: deployInit(overrides), saved: undefined }]);
}

describe('deploy form state', () => {
  it('renders nothing usable before init', () => {
    const view = deriveDeployView(emptyDeployState());
    assert.equal(view.ready, false);
    assert.equal(view.deployEnabled, false);
  });

  it('starts from the offer: suggested name, first region and OS, a key, enabled Deploy', () => {
    const state = initialised();
    assert.deepEqual(state.form, {
      name: 'h100-sxm5-7f3a',
      region: 'FIN-01',
      operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
      sshKey: { kind: 'registered', keyId: 'key-1' },
      volumeIds: [],
      packages: '',
      commands: '',
    });
    const view = deriveDeployView(state);
    assert.equal(view.title, 'Deploy H100 SXM5');
    assert.equal(view.summary, '1 × H100 SXM5 · 30 vCPU · 120 GB RAM · 500 GB disk · data-crunch');
    assert.deepEqual(view.regionOptions, ['FIN-01', 'FIN-02']);
    assert.equal(view.deployEnabled, true);
    assert.deepEqual(view.fieldErrors, {});
    assert.equal(view.instanceType, 'Spot', 'a word, not the API value SPOT');
    assert.match(view.instanceTypeExplanation, /^Spot: .*reclaim/);
    assert.equal(view.costLines[0]?.value, '$2.91/h');
  });

  it('chooses the default key: registered local, then local, then registered, else none', () => {
    const registeredLocal = localKey({ registeredKeyId: 'key-2' });
    assert.deepEqual(defaultKeyChoice([sshKey(), sshKey({ id: 'key-2' })], [registeredLocal]), {
      kind: 'registered',
      keyId: 'key-2',
    });
    assert.deepEqual(defaultKeyChoice([sshKey()], [localKey()]), {
      kind: 'public-key',
      publicKey: PUBLIC_KEY,
    });
    assert.deepEqual(defaultKeyChoice([sshKey()], [localKey({ hasPrivateKey: false })]), {
      kind: 'registered',
      keyId: 'key-1',
    });
    assert.deepEqual(defaultKeyChoice([], []), { kind: 'none' });
  });

  it('shows errors only for touched fields until Deploy is pressed', () => {
    const noKey = initialised({ keys: [] });
    assert.deepEqual(deriveDeployView(noKey).fieldErrors, {});
    assert.equal(deriveDeployView(noKey).deployEnabled, false);
    const typed = run([{ type: 'edit', patch: { name: '9lives' } }], noKey);
    assert.deepEqual(Object.keys(deriveDeployView(typed).fieldErrors), ['name']);
    const pressed = run([{ type: 'sendSubmit' }], typed);
    assert.deepEqual(Object.keys(deriveDeployView(pressed).fieldErrors).sort(), ['name', 'sshKey']);
  });

  it('blocks a second press the moment Deploy is pressed, and locks the form while submitting', () => {
    const sending = run([{ type: 'sendSubmit' }], initialised());
    const view = deriveDeployView(sending);
    assert.equal(view.deployEnabled, false);
    assert.equal(view.busy, true);
    assert.equal(view.locked, true);
    assert.equal(view.progressText, 'Sending…');
    const edited = run([{ type: 'edit', patch: { name: 'changed' } }], sending);
    assert.equal(edited.form.name, 'h100-sxm5-7f3a', 'edits are ignored while locked');
    const submitting = run(
      [{ type: 'submitState', state: { kind: 'submitting', phase: 'checking', startedAtMs: 1 } }],
      sending,
    );
    assert.match(
      deriveDeployView(submitting).progressText ?? '',
      /checking whether the deployment was created/,
    );
    assert.equal(deriveDeployView(submitting).deployEnabled, false);
  });

  it('created: stays locked, offers Show; unconfirmed: Check again, Try again only when allowed', () => {
    const created = run(
      [{ type: 'submitState', state: { kind: 'created', id: 'd1', name: 'x' } }],
      initialised(),
    );
    assert.equal(deriveDeployView(created).locked, true);
    assert.equal(deriveDeployView(created).deployEnabled, false);
    const unconfirmed = run(
      [{ type: 'submitState', state: { kind: 'unconfirmed', message: 'm', retryAllowed: false } }],
      initialised(),
    );
    const view = deriveDeployView(unconfirmed);
    assert.equal(view.canCheckAgain, true);
    assert.equal(view.canTryAgain, false);
    assert.equal(view.deployEnabled, false);
    const allowed = run(
      [{ type: 'submitState', state: { kind: 'unconfirmed', message: 'm', retryAllowed: true } }],
      unconfirmed,
    );
    assert.equal(deriveDeployView(allowed).canTryAgain, true);
    const checking = run([{ type: 'sendSubmit' }], allowed);
    assert.equal(deriveDeployView(checking).canTryAgain, false);
    assert.equal(deriveDeployView(checking).canCheckAgain, false);
  });

  it('failed: shows the server message and field errors, stays editable, and clears a field error on edit', () => {
    const failed = run(
      [
        { type: 'sendSubmit' },
        {
          type: 'submitState',
          state: {
            kind: 'failed',
            message: 'Spheron refused the deployment: Invalid region.',
            fieldErrors: { region: 'Invalid region.' },
          },
        },
      ],
      initialised(),
    );
    const view = deriveDeployView(failed);
    assert.equal(view.formError, 'Spheron refused the deployment: Invalid region.');
    assert.equal(view.fieldErrors.region, 'Invalid region.');
    assert.equal(view.locked, false);
    assert.equal(view.deployEnabled, true);
    assert.equal(view.deployLabel, 'Deploy again');
    const edited = run([{ type: 'edit', patch: { region: 'FIN-02' } }], failed);
    assert.equal(deriveDeployView(edited).fieldErrors.region, undefined);
    const requestFailed = run(
      [{ type: 'sendSubmit' }, { type: 'requestFailed', message: 'The extension crashed', fieldErrors: {} }],
      initialised(),
    );
    assert.equal(deriveDeployView(requestFailed).formError, 'The extension crashed');
    assert.equal(requestFailed.sending, false);
  });

  it('warns and disables Deploy when the balance cannot cover the minimum', () => {
    const poor = initialised({ balance: 2 });
    const view = deriveDeployView(poor);
    assert.equal(view.deployEnabled, false);
    assert.match(view.costWarning ?? '', /\$3\.00/);
    const topped = run([{ type: 'update', update: { balance: 100 } }], poor);
    assert.equal(deriveDeployView(topped).deployEnabled, true);
    assert.equal(deriveDeployView(topped).costWarning, undefined);
  });

  it('disables the startup script with the reason when the offer has no cloud-init', () => {
    const view = deriveDeployView(initialised({ offer: offer({ supportsCloudInit: false }) }));
    assert.equal(view.startupEnabled, false);
    assert.match(view.startupNote, /does not support startup scripts/);
    assert.equal(deriveDeployView(initialised()).startupEnabled, true);
  });

  it('lists compatible volumes, explains hidden ones, enforces one Voltage Park volume', () => {
    const vpOffer = offer({ provider: 'voltage-park', regions: ['Dallas, TX'], instanceType: 'CLUSTER' });
    const state = initialised({
      offer: vpOffer,
      volumes: [
        volume({ id: 'a', provider: 'voltage-park', region: 'Dallas, TX' }),
        volume({ id: 'b', provider: 'voltage-park', region: 'Dallas, TX' }),
        volume({ id: 'c', provider: 'data-crunch' }),
      ],
    });
    const view = deriveDeployView(state);
    assert.deepEqual(
      view.volumes.map((v) => v.id),
      ['a', 'b'],
    );
    assert.equal(view.hiddenVolumesNote, '1 volume is hidden: 1 from another provider.');
    assert.deepEqual(view.hiddenVolumes, [
      { id: 'c', text: 'datasets: It is a DataCrunch volume; this instance runs on Voltage Park.' },
    ]);
    assert.match(view.volumesNote ?? '', /one instance at a time/);
    const picked = deriveDeployView(run([{ type: 'edit', patch: { volumeIds: ['a'] } }], state));
    assert.deepEqual(picked.disabledVolumeIds, ['b']);
  });

  it('drops a chosen volume that does not fit a newly chosen region', () => {
    const state = initialised({
      volumes: [volume({ id: 'fin1', region: 'FIN-01' }), volume({ id: 'fin2', region: 'FIN-02' })],
    });
    const picked = run([{ type: 'edit', patch: { volumeIds: ['fin1'] } }], state);
    const moved = run([{ type: 'edit', patch: { region: 'FIN-02' } }], picked);
    assert.deepEqual(moved.form.volumeIds, []);
    assert.deepEqual(
      deriveDeployView(moved).volumes.map((v) => v.id),
      ['fin2'],
    );
  });

  describe('SSH keys', () => {
    it('offers registered keys and unregistered local keys, and maps choices back', () => {
      const init = deployInit({
        localKeys: [
          localKey(),
          localKey({ path: '/h/.ssh/id_rsa.pub', registeredKeyId: 'key-1', publicKey: 'ssh-rsa AAAA' }),
        ],
      });
      const state = run([{ type: 'init', init, saved: undefined }]);
      const view = deriveDeployView(state);
      assert.deepEqual(
        view.keyOptions.map((o) => o.value),
        ['registered:key-1', 'local:/home/u/.ssh/id_ed25519.pub'],
      );
      assert.match(view.keyOptions[1]?.description ?? '', /SHA256:local .*sent with this deployment only/);
      assert.equal(view.uploadCandidate?.path, '/home/u/.ssh/id_ed25519.pub');
      assert.equal(view.keygenCommand, undefined);
      assert.deepEqual(keyChoiceFromOption('local:/home/u/.ssh/id_ed25519.pub', init, { kind: 'none' }), {
        kind: 'public-key',
        publicKey: PUBLIC_KEY,
      });
      assert.deepEqual(keyChoiceFromOption('registered:key-9', init, { kind: 'none' }), {
        kind: 'registered',
        keyId: 'key-9',
      });
      assert.deepEqual(keyChoiceFromOption('local:/nope', init, { kind: 'none' }), { kind: 'none' });
      assert.deepEqual(keyChoiceFromOption('', init, { kind: 'registered', keyId: 'k' }), { kind: 'none' });
    });

    const keygen = {
      command: 'ssh-keygen -t ed25519 -f /tmp/home-x1/.ssh/id_ed25519 -N "" -C spheron-vscode',
      keyPath: '/tmp/home-x1/.ssh/id_ed25519',
    };
    const createdLocal = localKey({ path: '/tmp/home-x1/.ssh/id_ed25519.pub' });

    it('shows the ssh-keygen command first when there is no local key, asks, then selects the registered new key', () => {
      const state = initialised({ keys: [], keygen });
      const view = deriveDeployView(state);
      assert.match(view.keygenCommand ?? '', /^ssh-keygen -t ed25519/);
      assert.equal(
        view.keygenIntro,
        'No SSH key was found in ~/.ssh, and none is registered with Spheron. Create one:',
      );
      assert.equal(view.keygenConfirm, undefined);
      const asking = run([{ type: 'keyActivity', activity: { kind: 'confirmingCreate' } }], state);
      assert.equal(
        deriveDeployView(asking).keygenConfirm,
        'Create a new key pair at ~/.ssh/id_ed25519 (private key) and ~/.ssh/id_ed25519.pub, and register the public key with Spheron for team research? Existing files are never overwritten.',
      );
      const cancelled = run([{ type: 'keyActivity', activity: { kind: 'idle' } }], asking);
      assert.equal(deriveDeployView(cancelled).keygenConfirm, undefined);
      assert.deepEqual(cancelled.form.sshKey, { kind: 'none' });

      const registered = sshKey({
        id: 'key-new',
        name: 'spheron-vscode-laptop',
        fingerprint: 'SHA256:local',
      });
      const created = run(
        [
          { type: 'keyActivity', activity: { kind: 'creating' } },
          {
            type: 'localKeyCreated',
            created: {
              local: { ...createdLocal, registeredKeyId: 'key-new' },
              registered,
              registrationError: null,
            },
          },
        ],
        asking,
      );
      assert.deepEqual(created.form.sshKey, { kind: 'registered', keyId: 'key-new' });
      const after = deriveDeployView(created);
      assert.equal(after.keygenCommand, undefined);
      assert.equal(after.keygenIntro, undefined);
      assert.equal(created.keyActivity.kind, 'idle');
      assert.equal(after.deployEnabled, true);
      const selected = after.keyOptions.find((o) => o.value === after.selectedKey);
      assert.equal(selected?.label, 'spheron-vscode-laptop');
      assert.match(selected?.description ?? '', /SHA256:local/);
      assert.ok(!after.keyOptions.some((o) => `${o.label} ${o.description}`.includes('/tmp/')));
    });

    it('says which registered key is used when there is no local key, instead of "no SSH key"', () => {
      const state = initialised({ keys: [sshKey({ name: 'dev-laptop' })], keygen });
      assert.deepEqual(state.form.sshKey, { kind: 'registered', keyId: 'key-1' });
      assert.equal(
        deriveDeployView(state).keygenIntro,
        'Using your registered key “dev-laptop”; no local key was found in ~/.ssh. If its private key is not on this computer, create a new key:',
      );
    });

    it('keeps the new key for this deployment, by file name, when registering it fails', () => {
      const state = initialised({ keys: [], keygen });
      const created = run(
        [
          {
            type: 'localKeyCreated',
            created: { local: createdLocal, registered: null, registrationError: 'Spheron is unreachable.' },
          },
        ],
        state,
      );
      assert.deepEqual(created.form.sshKey, { kind: 'public-key', publicKey: PUBLIC_KEY });
      const view = deriveDeployView(created);
      assert.equal(
        view.keyOptions.find((o) => o.value === view.selectedKey)?.label,
        '~/.ssh/id_ed25519.pub (not uploaded)',
      );
      assert.equal(created.keyActivity.kind, 'error');
      assert.match(
        created.keyActivity.kind === 'error' ? created.keyActivity.message : '',
        /^Created ~\/\.ssh\/id_ed25519\.pub, but registering it with Spheron failed \(Spheron is unreachable\.\)/,
      );
    });

    it('selects the registered key after an upload', () => {
      const state = initialised({ localKeys: [localKey()] });
      const uploaded = run(
        [
          {
            type: 'keyUploaded',
            key: sshKey({ id: 'key-new', name: 'id_ed25519' }),
            localPath: localKey().path,
          },
        ],
        state,
      );
      assert.deepEqual(uploaded.form.sshKey, { kind: 'registered', keyId: 'key-new' });
      assert.equal(deriveDeployView(uploaded).uploadCandidate, undefined);
      assert.equal(deriveDeployView(uploaded).fieldErrors.sshKey, undefined);
    });

    it('picks a key when keys arrive later and none was chosen', () => {
      const state = initialised({ keys: [] });
      const updated = run([{ type: 'update', update: { keys: [sshKey({ id: 'late' })] } }], state);
      assert.deepEqual(updated.form.sshKey, { kind: 'registered', keyId: 'late' });
    });
  });

  describe('names and the outcome', () => {
    const instances = [
      { id: 'd-run', name: 'train-1', status: 'running' },
      { id: 'd-old', name: 'gone', status: 'terminated' },
    ];

    it('warns, without blocking Deploy, when another live instance has the name', () => {
      const state = initialised({ instances });
      const typed = run([{ type: 'edit', patch: { name: 'Train-1' } }], state);
      const view = deriveDeployView(typed);
      assert.match(view.nameWarning ?? '', /^Another instance \(running\) is already called “train-1”/);
      assert.equal(view.fieldErrors.name, undefined);
      assert.equal(view.deployEnabled, true);
      assert.equal(
        deriveDeployView(run([{ type: 'edit', patch: { name: 'gone' } }], state)).nameWarning,
        undefined,
      );
      // The list arrives later as an update.
      const late = run([{ type: 'update', update: { instances: [] } }], typed);
      assert.equal(deriveDeployView(late).nameWarning, undefined);
      const again = run([{ type: 'update', update: { instances } }], late);
      assert.notEqual(deriveDeployView(again).nameWarning, undefined);
    });

    it('does not warn about the instance this form created', () => {
      const state = initialised({
        instances: [{ id: 'd-new', name: 'h100-sxm5-7f3a', status: 'deploying' }],
      });
      assert.notEqual(deriveDeployView(state).nameWarning, undefined);
      const created = run(
        [{ type: 'submitState', state: { kind: 'created', id: 'd-new', name: 'h100-sxm5-7f3a' } }],
        state,
      );
      assert.equal(deriveDeployView(created).nameWarning, undefined);
    });

    it('follows the created instance’s status from the Instances list', () => {
      const created = run(
        [{ type: 'submitState', state: { kind: 'created', id: 'd-new', name: 'box' } }],
        initialised(),
      );
      assert.equal(deriveDeployView(created).createdStatus, undefined);
      const deploying = run(
        [{ type: 'update', update: { instances: [{ id: 'd-new', name: 'box', status: 'deploying' }] } }],
        created,
      );
      assert.equal(deriveDeployView(deploying).createdStatus, 'deploying');
      const running = run(
        [{ type: 'update', update: { instances: [{ id: 'd-new', name: 'box', status: 'running' }] } }],
        deploying,
      );
      assert.equal(deriveDeployView(running).createdStatus, 'running');
    });
  });

  describe('persistence', () => {
    it('round-trips through the saved-state schema and restores the same session', () => {
      const edited = run(
        [{ type: 'edit', patch: { name: 'my-run', commands: 'nvidia-smi' } }],
        initialised(),
      );
      const saved = persistedState(edited);
      assert.ok(saved);
      const parsed = persistedDeployStateSchema.safeParse(JSON.parse(JSON.stringify(saved)));
      assert.ok(parsed.success);
      const restored = run([{ type: 'init', init: deployInit(), saved: parsed.data }]);
      assert.equal(restored.form.name, 'my-run');
      assert.equal(restored.form.commands, 'nvidia-smi');
      assert.deepEqual([...restored.touched].sort(), ['name', 'startupScript']);
    });

    it('keeps a pasted startup script over the sending cap through a reload, with its error and Deploy off', () => {
      // 80 K characters: past both the 12 KB script limit and the protocol's 64 K cap for sending.
      const pasted = 'echo "a very long line"\n'.repeat(3_400);
      assert.ok(pasted.length > 64 * 1024);
      const edited = run([{ type: 'edit', patch: { commands: pasted } }], initialised());
      const saved = persistedState(edited);
      assert.ok(saved);
      const parsed = persistedDeployStateSchema.safeParse(JSON.parse(JSON.stringify(saved)));
      assert.ok(parsed.success, 'the draft survives getState');
      assert.equal(parseDeployWebviewMessage(submitMessage(initialised().form)).ok, true);
      assert.equal(parseDeployWebviewMessage(submitMessage(edited.form)).ok, false, 'sending it is refused');
      const restored = run([{ type: 'init', init: deployInit(), saved: parsed.data }]);
      assert.equal(restored.form.commands, pasted);
      const view = deriveDeployView(restored);
      assert.match(view.fieldErrors.startupScript ?? '', /larger than 12 KB/);
      assert.equal(view.deployEnabled, false);
    });

    it('ignores saved state of another session, and prefers the submitted form of this one', () => {
      const saved = persistedState(run([{ type: 'edit', patch: { name: 'old-session' } }], initialised()));
      const other = run([{ type: 'init', init: deployInit({ sessionId: 'session-2' }), saved }]);
      assert.equal(other.form.name, 'h100-sxm5-7f3a');
      const submittedForm = { ...initialised().form, name: 'sent-before' };
      const reopened = run([
        {
          type: 'init',
          init: deployInit({
            sessionId: 'session-3',
            submitState: { kind: 'created', id: 'd', name: 'sent-before' },
            submittedForm,
          }),
          saved: undefined,
        },
      ]);
      assert.equal(reopened.form.name, 'sent-before');
      assert.equal(deriveDeployView(reopened).locked, true);
      assert.equal(persistedDeployStateSchema.safeParse({ sessionId: 1 }).success, false);
    });
  });

  it('explains known and unknown instance types', () => {
    assert.match(instanceTypeExplanation('DEDICATED'), /never reclaimed/);
    assert.match(instanceTypeExplanation('CLUSTER'), /8-GPU bare-metal/);
    assert.match(
      instanceTypeExplanation('BARE_METAL'),
      /^BARE_METAL: an instance type this extension does not know/,
    );
  });
});
