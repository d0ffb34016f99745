import * as assert from 'node:assert/strict';
import { costLinesWithKubernetesAddon, deployCost } from '../../../src/core/deploy/cost';
import { validateDeployForm, type DeployFormValues } from '../../../src/core/deploy/deployForm';
import { kubernetesAddonRequest } from '../../../src/core/deploy/kubernetesAddon';
import {
  AUTHENTICATION_CONFIG_MAX_BYTES,
  authenticationConfigBase64,
  authenticationConfigProblem,
  kubernetesAddonChoiceOf,
  kubernetesAddonLogText,
  kubernetesVersionOptions,
  loadKubernetesAddonFormInit,
} from '../../../src/core/deploy/kubernetesAddonForm';
import { parseDeployWebviewMessage } from '../../../src/shared/deployProtocol';
import {
  deployReducer,
  deriveDeployView,
  emptyDeployState,
  persistedDeployStateSchema,
  persistedState,
  type DeployAction,
  type DeployState,
} from '../../../src/webview-ui/deploy/state';
import { deployInit, kubernetesClusterOffer, offer } from '../webview/fixtures';
import { makeClient, useSimulator } from './simHarness';

const cluster = kubernetesClusterOffer();

const addonInit = { versions: ['1.35', '1.34'], costPerHour: 0.5 };

function values(overrides: Partial<DeployFormValues> = {}): DeployFormValues {
  return {
    name: 'k8s-train',
    region: 'Dallas, TX',
    operatingSystem: 'ubuntu-22.04',
    sshKey: { kind: 'registered', keyId: 'key-1' },
    volumeIds: [],
    packages: '',
    commands: '',
    ...overrides,
  };
}

/** An OIDC AuthenticationConfiguration as Voltage Park's docs show one. */
const OIDC_CONFIG = [
  '# OIDC for kubectl through our identity provider',
  'apiVersion: apiserver.config.k8s.io/v1beta1',
  'kind: AuthenticationConfiguration',
  'jwt:',
  '  - issuer:',
  '      url: https://idp.example.com',
  '      audiences:',
  '        - kubernetes',
  '    claimMappings:',
  '      username:',
  '        claim: email',
  "        prefix: ''",
  '',
].join('\n');

function run(actions: readonly DeployAction[], start: DeployState = emptyDeployState()): DeployState {
  return actions.reduce(deployReducer, start);
}

function clusterForm(): DeployState {
  return run([
    {
      type: 'init',
      init: deployInit({ offer: cluster, minimumRuntimeMinutes: 60, kubernetesAddon: addonInit }),
      saved: undefined,
    },
  ]);
}

describe('deploy form: the Kubernetes add-on', () => {
  describe('versions', () => {
    const sim = useSimulator();

    it('lists the API versions with the offer’s own first, from the simulator', async () => {
      const client = makeClient(sim());
      const init = await loadKubernetesAddonFormInit(cluster, (provider) =>
        client.listKubernetesVersions(provider),
      );
      assert.deepEqual(init, { versions: ['1.35', '1.34'], costPerHour: 0.5, versionsNote: undefined });
    });

    it('asks nothing and offers nothing for an offer that cannot carry it', async () => {
      let asked = 0;
      const list = () => {
        asked += 1;
        return Promise.resolve([]);
      };
      assert.equal(await loadKubernetesAddonFormInit(offer(), list), null);
      const vmClaiming = offer({ kubernetesAddon: { version: '1.35', totalCostPerHour: 0.5 } });
      assert.equal(await loadKubernetesAddonFormInit(vmClaiming, list), null);
      assert.equal(asked, 0);
    });

    it('falls back to the offer’s version when the call fails, lists nothing or hangs', async () => {
      const failed = await loadKubernetesAddonFormInit(cluster, () => Promise.reject(new Error('HTTP 503')));
      assert.deepEqual(failed?.versions, ['1.35']);
      assert.match(failed?.versionsNote ?? '', /could not be loaded \(HTTP 503\).*1\.35/);
      const empty = await loadKubernetesAddonFormInit(cluster, () => Promise.resolve([]));
      assert.deepEqual(empty?.versions, ['1.35']);
      assert.match(empty?.versionsNote ?? '', /listed no versions/);
      const hung = await loadKubernetesAddonFormInit(cluster, () => new Promise(() => undefined), 20);
      assert.deepEqual(hung?.versions, ['1.35']);
      assert.match(hung?.versionsNote ?? '', /in time/);
    });

    it('keeps only available versions, once each, and the offer’s first when listed', () => {
      assert.deepEqual(
        kubernetesVersionOptions('1.34', [
          { version: '1.35', available: true },
          { version: '1.34', available: true },
          { version: '1.33', available: false },
          { version: '1.35', available: true },
        ]),
        ['1.34', '1.35'],
      );
      assert.deepEqual(kubernetesVersionOptions('1.30', [{ version: '1.35', available: true }]), ['1.35']);
    });
  });

  describe('validation', () => {
    const context = { offer: cluster, registeredKeyIds: ['key-1'], volumes: [] };

    it('accepts the ticked add-on on an eligible offer, and an unticked one anywhere', () => {
      assert.equal(
        validateDeployForm(values({ kubernetesAddon: { enabled: true, version: '1.34' } }), context).ok,
        true,
      );
      const vm = offer();
      const unticked = validateDeployForm(
        values({
          region: vm.regions[0],
          operatingSystem: vm.osOptions[0],
          kubernetesAddon: { enabled: false, version: '' },
        }),
        { ...context, offer: vm },
      );
      assert.equal(unticked.ok, true);
    });

    it('refuses the ticked add-on on an offer without it, and a version that is not one', () => {
      const vm = offer();
      const onVm = validateDeployForm(
        values({
          region: vm.regions[0],
          operatingSystem: vm.osOptions[0],
          kubernetesAddon: { enabled: true, version: '1.35' },
        }),
        { ...context, offer: vm },
      );
      assert.equal(onVm.ok, false);
      assert.match(onVm.ok ? '' : (onVm.fieldErrors.kubernetesAddon ?? ''), /needs a Cluster instance/);
      const bad = validateDeployForm(
        values({ kubernetesAddon: { enabled: true, version: 'latest' } }),
        context,
      );
      assert.match(bad.ok ? '' : (bad.fieldErrors.kubernetesAddon ?? ''), /not a Kubernetes version/);
      const none = validateDeployForm(values({ kubernetesAddon: { enabled: true, version: '' } }), context);
      assert.match(none.ok ? '' : (none.fieldErrors.kubernetesAddon ?? ''), /Choose a Kubernetes version/);
    });

    it('sends the version only when ticked', () => {
      assert.deepEqual(kubernetesAddonChoiceOf({ enabled: true, version: '1.34' }), { version: '1.34' });
      assert.equal(kubernetesAddonChoiceOf({ enabled: false, version: '1.34' }), undefined);
      assert.equal(kubernetesAddonChoiceOf(undefined), undefined);
    });

    it('the host’s message schema takes the field and refuses a malformed one', () => {
      const message = (kubernetesAddon: unknown) => ({
        type: 'request',
        requestId: 'r1',
        method: 'submitDeploy',
        params: { sessionId: 's1', form: { ...values(), kubernetesAddon } },
      });
      assert.equal(parseDeployWebviewMessage(message({ enabled: true, version: '1.35' })).ok, true);
      assert.equal(parseDeployWebviewMessage(message({ enabled: 'yes', version: '1.35' })).ok, false);
      assert.equal(parseDeployWebviewMessage(message({ enabled: true, version: 'x'.repeat(51) })).ok, false);
    });
  });

  describe('OIDC authentication', () => {
    const context = { offer: cluster, registeredKeyIds: ['key-1'], volumes: [] };
    const kindError =
      /not a Kubernetes AuthenticationConfiguration: it needs a top-level line “kind: AuthenticationConfiguration”/;
    const apiVersionError = /it needs a top-level line “apiVersion: apiserver\.config\.k8s\.io\/v1beta1”/;

    it('takes an AuthenticationConfiguration, with CRLF, comments, quotes or another version', () => {
      assert.equal(authenticationConfigProblem(OIDC_CONFIG), undefined);
      assert.equal(authenticationConfigProblem(OIDC_CONFIG.replaceAll('\n', '\r\n')), undefined);
      const quoted = [
        '\uFEFF# our cluster',
        "kind: 'AuthenticationConfiguration' # OIDC",
        'apiVersion: "apiserver.config.k8s.io/v1"',
        'jwt: []',
      ].join('\n');
      assert.equal(authenticationConfigProblem(quoted), undefined);
      assert.equal(authenticationConfigProblem(OIDC_CONFIG.replace('v1beta1', 'v1alpha1')), undefined);
    });

    it('blank is no configuration, and no problem', () => {
      assert.equal(authenticationConfigProblem(undefined), undefined);
      assert.equal(authenticationConfigProblem(''), undefined);
      assert.equal(authenticationConfigProblem(' \n\t\r\n'), undefined);
    });

    it('says what is missing from text that is not an AuthenticationConfiguration', () => {
      assert.match(authenticationConfigProblem('hello') ?? '', kindError);
      assert.match(authenticationConfigProblem('hello') ?? '', /leave the field empty/);
      // The lines must be top-level, not nested or commented out.
      assert.match(authenticationConfigProblem(OIDC_CONFIG.replace('kind:', '  kind:')) ?? '', kindError);
      assert.match(authenticationConfigProblem(OIDC_CONFIG.replace('kind:', '# kind:')) ?? '', kindError);
      assert.match(
        authenticationConfigProblem(OIDC_CONFIG.replace('apiVersion: apiserver.config.k8s.io/v1beta1', '')) ??
          '',
        apiVersionError,
      );
      assert.match(
        authenticationConfigProblem(OIDC_CONFIG.replace('apiserver.config.k8s.io', 'v1')) ?? '',
        apiVersionError,
      );
      const kubeconfig = 'apiVersion: v1\nkind: Config\nclusters: []\n';
      assert.match(
        authenticationConfigProblem(kubeconfig) ?? '',
        /This is a Kubernetes Config, not an AuthenticationConfiguration/,
      );
    });

    it('refuses more than 64 KB (UTF-8 bytes), and takes exactly 64 KB', () => {
      const padTo = (bytes: number, filler: string) =>
        OIDC_CONFIG + '#' + filler.repeat((bytes - OIDC_CONFIG.length - 1) / Buffer.byteLength(filler));
      const full = padTo(AUTHENTICATION_CONFIG_MAX_BYTES, 'x');
      assert.equal(Buffer.byteLength(full), 65_536);
      assert.equal(authenticationConfigProblem(full), undefined);
      assert.match(authenticationConfigProblem(`${full}x`) ?? '', /is 65 KB; at most 64 KB can be sent/);
      // Fewer characters than bytes: "é" is two bytes.
      const accented = padTo(AUTHENTICATION_CONFIG_MAX_BYTES + 2, 'é');
      assert.ok(accented.length < AUTHENTICATION_CONFIG_MAX_BYTES);
      assert.match(authenticationConfigProblem(accented) ?? '', /at most 64 KB/);
    });

    it('encodes the text as base64 of its UTF-8 bytes', () => {
      const text = `${OIDC_CONFIG}# Zoë’s issuer 🔑\n`;
      const encoded = authenticationConfigBase64(text);
      assert.equal(encoded, Buffer.from(text, 'utf8').toString('base64'));
      assert.equal(Buffer.from(encoded, 'base64').toString('utf8'), text);
      assert.equal(authenticationConfigBase64(''), '');
    });

    it('sends the configuration with the version only when ticked and filled', () => {
      const choice = kubernetesAddonChoiceOf({
        enabled: true,
        version: '1.35',
        authenticationConfig: OIDC_CONFIG,
      });
      assert.deepEqual(choice, {
        version: '1.35',
        authenticationConfigB64: Buffer.from(OIDC_CONFIG).toString('base64'),
      });
      // The create field the client sends as authentication_config_b64.
      assert.deepEqual(kubernetesAddonRequest(cluster, choice ?? { version: '' }), choice);
      assert.deepEqual(
        kubernetesAddonChoiceOf({ enabled: true, version: '1.35', authenticationConfig: '  \n' }),
        { version: '1.35' },
      );
      assert.equal(
        kubernetesAddonChoiceOf({ enabled: false, version: '1.35', authenticationConfig: OIDC_CONFIG }),
        undefined,
      );
    });

    it('validates the form’s text only when the box is ticked, as its own field', () => {
      const invalid = validateDeployForm(
        values({ kubernetesAddon: { enabled: true, version: '1.35', authenticationConfig: 'kind: Pod' } }),
        context,
      );
      assert.equal(invalid.ok, false);
      assert.deepEqual(Object.keys(invalid.ok ? {} : invalid.fieldErrors), ['kubernetesAuthentication']);
      assert.match(
        invalid.ok ? '' : (invalid.fieldErrors.kubernetesAuthentication ?? ''),
        /This is a Kubernetes Pod, not an AuthenticationConfiguration/,
      );
      const unticked = validateDeployForm(
        values({ kubernetesAddon: { enabled: false, version: '1.35', authenticationConfig: 'kind: Pod' } }),
        context,
      );
      assert.equal(unticked.ok, true);
      const valid = validateDeployForm(
        values({ kubernetesAddon: { enabled: true, version: '1.35', authenticationConfig: OIDC_CONFIG } }),
        context,
      );
      assert.equal(valid.ok, true);
    });

    it('logs the size of the configuration, never its text', () => {
      const text = kubernetesAddonLogText({
        enabled: true,
        version: '1.35',
        authenticationConfig: OIDC_CONFIG,
      });
      assert.equal(
        text,
        `Kubernetes 1.35 add-on with OIDC authentication (${Buffer.byteLength(OIDC_CONFIG)} bytes)`,
      );
      assert.doesNotMatch(text ?? '', /idp\.example\.com|issuer/);
      assert.equal(kubernetesAddonLogText({ enabled: true, version: '1.34' }), 'Kubernetes 1.34 add-on');
      assert.equal(
        kubernetesAddonLogText({ enabled: false, version: '1.35', authenticationConfig: OIDC_CONFIG }),
        undefined,
      );
    });

    it('the host’s message schema takes the text up to 64 K characters and refuses longer or malformed', () => {
      const message = (authenticationConfig: unknown) => ({
        type: 'request',
        requestId: 'r1',
        method: 'submitDeploy',
        params: {
          sessionId: 's1',
          form: { ...values(), kubernetesAddon: { enabled: true, version: '1.35', authenticationConfig } },
        },
      });
      const parsed = parseDeployWebviewMessage(message(OIDC_CONFIG));
      assert.equal(parsed.ok, true);
      assert.equal(parseDeployWebviewMessage(message('x'.repeat(AUTHENTICATION_CONFIG_MAX_BYTES))).ok, true);
      assert.equal(
        parseDeployWebviewMessage(message('x'.repeat(AUTHENTICATION_CONFIG_MAX_BYTES + 1))).ok,
        false,
      );
      assert.equal(parseDeployWebviewMessage(message(42)).ok, false);
      // Absent, as in forms saved before the field existed.
      assert.equal(parseDeployWebviewMessage(message(undefined)).ok, true);
    });
  });

  describe('cost', () => {
    it('adds the add-on’s price to the per-hour, per-day, minimum charge and runway figures', () => {
      const without = deployCost({ pricePerHour: 21.52, minimumRuntimeMinutes: 60, balance: 220 });
      const withAddon = deployCost({ pricePerHour: 22.02, minimumRuntimeMinutes: 60, balance: 220 });
      const lines = costLinesWithKubernetesAddon(withAddon, 0.5);
      assert.deepEqual(
        lines.map((line) => line.id),
        ['per-hour', 'kubernetes-addon', 'per-day', 'minimum-charge', 'balance', 'runway'],
      );
      assert.equal(lines[1]?.value, '$0.50/h');
      assert.deepEqual(
        costLinesWithKubernetesAddon(without, undefined).map((line) => line.id),
        ['per-hour', 'per-day', 'minimum-charge', 'balance', 'runway'],
      );
    });
  });

  describe('form state and view', () => {
    it('shows an unticked add-on with the versions on an eligible offer, the price without it', () => {
      const state = clusterForm();
      assert.deepEqual(state.form.kubernetesAddon, { enabled: false, version: '1.35' });
      const view = deriveDeployView(state);
      assert.deepEqual(view.kubernetesAddon, {
        checked: false,
        version: '1.35',
        versions: ['1.35', '1.34'],
        costText: 'adds $0.50/h to the price',
        note: undefined,
        authenticationConfig: '',
      });
      assert.equal(view.costLines.find((line) => line.id === 'per-hour')?.value, '$21.52/h');
      assert.equal(
        view.costLines.some((line) => line.id === 'kubernetes-addon'),
        false,
      );
    });

    it('ticking it prices the add-on in every figure of the cost card', () => {
      const state = run(
        [{ type: 'edit', patch: { kubernetesAddon: { enabled: true, version: '1.34' } } }],
        clusterForm(),
      );
      const view = deriveDeployView(state);
      const value = (id: string) => view.costLines.find((line) => line.id === id)?.value;
      assert.equal(value('per-hour'), '$22.02/h');
      assert.equal(value('kubernetes-addon'), '$0.50/h');
      assert.equal(value('per-day'), '$528.48');
      assert.equal(value('minimum-charge'), '$22.02');
      assert.equal(view.cost?.perHour, 22.02);
      assert.equal(view.cost?.runwayHours, 250 / 22.02);
      assert.equal(view.kubernetesAddon?.checked, true);
      assert.equal(view.kubernetesAddon?.version, '1.34');
      assert.equal(view.deployEnabled, true);
    });

    it('shows the OIDC text, an error under it once edited, and the unchanged cost card', () => {
      const ticked = run(
        [{ type: 'edit', patch: { kubernetesAddon: { enabled: true, version: '1.35' } } }],
        clusterForm(),
      );
      const invalid = run(
        [
          {
            type: 'edit',
            patch: { kubernetesAddon: { enabled: true, version: '1.35', authenticationConfig: 'hello' } },
          },
        ],
        ticked,
      );
      const view = deriveDeployView(invalid);
      assert.equal(view.kubernetesAddon?.authenticationConfig, 'hello');
      assert.match(view.fieldErrors.kubernetesAuthentication ?? '', /needs a top-level line “kind/);
      assert.equal(view.fieldErrors.kubernetesAddon, undefined);
      assert.equal(view.deployEnabled, false);
      assert.deepEqual(view.costLines, deriveDeployView(ticked).costLines);
      const cleared = deriveDeployView(
        run(
          [
            {
              type: 'edit',
              patch: { kubernetesAddon: { enabled: true, version: '1.35', authenticationConfig: '' } },
            },
          ],
          invalid,
        ),
      );
      assert.equal(cleared.fieldErrors.kubernetesAuthentication, undefined);
      assert.equal(cleared.deployEnabled, true);
    });

    it('keeps the choice through setState/getState, and the submitted form after a reload', () => {
      const chosen = { enabled: true, version: '1.34', authenticationConfig: OIDC_CONFIG };
      const ticked = run([{ type: 'edit', patch: { kubernetesAddon: chosen } }], clusterForm());
      const saved = persistedDeployStateSchema.parse(JSON.parse(JSON.stringify(persistedState(ticked))));
      const init = deployInit({ offer: cluster, minimumRuntimeMinutes: 60, kubernetesAddon: addonInit });
      const restored = run([{ type: 'init', init, saved }]);
      assert.deepEqual(restored.form.kubernetesAddon, chosen);
      const reopened = run([
        { type: 'init', init: { ...init, sessionId: 'other', submittedForm: ticked.form }, saved: undefined },
      ]);
      assert.deepEqual(reopened.form.kubernetesAddon, chosen);
    });

    it('shows nothing about the add-on for other offers, and drops a stray choice', () => {
      const plain = run([{ type: 'init', init: deployInit(), saved: undefined }]);
      assert.equal(plain.form.kubernetesAddon, undefined);
      assert.equal(deriveDeployView(plain).kubernetesAddon, undefined);
      assert.equal(
        deriveDeployView(plain).costLines.some((line) => line.id === 'kubernetes-addon'),
        false,
      );
      const stray = run([
        {
          type: 'init',
          init: deployInit({
            submittedForm: { ...plain.form, kubernetesAddon: { enabled: true, version: '1.35' } },
          }),
          saved: undefined,
        },
      ]);
      assert.equal(stray.form.kubernetesAddon, undefined);
    });

    it('notes a fallback version list beside the select', () => {
      const state = run([
        {
          type: 'init',
          init: deployInit({
            offer: cluster,
            kubernetesAddon: {
              versions: ['1.35'],
              costPerHour: 0.5,
              versionsNote: 'The versions could not be loaded',
            },
          }),
          saved: undefined,
        },
      ]);
      assert.equal(deriveDeployView(state).kubernetesAddon?.note, 'The versions could not be loaded');
    });
  });
});
