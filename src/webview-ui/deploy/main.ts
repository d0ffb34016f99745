// Entry of the deploy webview (bundled to dist/webview/deploy.js + deploy.css): the form loop
// (shared/formApp.ts) plus the deploy form's own controls.
import '../shared/base.css';
import './style.css';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { DeployFormValues } from '../../core/deploy/deployForm';
import { deployProtocol } from '../../shared/deployProtocol';
import { messageOf, startForm } from '../shared/formApp';
import {
  deployReducer,
  deriveDeployView,
  emptyDeployState,
  keyChoiceFromOption,
  persistedDeployStateSchema,
  persistedState,
} from './state';
import { buildDeployDom, renderDeploy } from './view';

startForm({
  protocol: deployProtocol,
  persistedSchema: persistedDeployStateSchema,
  empty: emptyDeployState,
  reducer: deployReducer,
  derive: deriveDeployView,
  persisted: persistedState,
  buildDom: buildDeployDom,
  render: renderDeploy,
  canSubmit: (view) => view.deployEnabled,
  onUpdate: (update, app) => app.dispatch({ type: 'update', update }),
  enterSubmits: (dom) => [dom.name, dom.packages],
  wire: (dom, { rpc, dispatch, state, view }) => {
    const edit = (patch: Partial<DeployFormValues>): void => dispatch({ type: 'edit', patch });
    dom.name.addEventListener('input', () => edit({ name: dom.name.value }));
    dom.region.addEventListener('change', () => edit({ region: dom.region.value }));
    dom.os.addEventListener('change', () => edit({ operatingSystem: dom.os.value }));
    dom.sshKey.addEventListener('change', () => {
      const { init, form } = state();
      if (init) {
        edit({ sshKey: keyChoiceFromOption(dom.sshKey.value, init, form.sshKey) });
      }
    });
    dom.volumeList.addEventListener('change', (event) => {
      const box = event.target as VscodeCheckbox;
      if (box.tagName.toLowerCase() !== 'vscode-checkbox') {
        return;
      }
      const others = state().form.volumeIds.filter((id) => id !== box.value);
      edit({ volumeIds: box.checked ? [...others, box.value] : others });
    });
    dom.packages.addEventListener('input', () => edit({ packages: dom.packages.value }));
    dom.commands.addEventListener('input', () => edit({ commands: dom.commands.value }));
    const addon = dom.kubernetesAddon;
    const editAddon = (): void =>
      edit({
        kubernetesAddon: {
          enabled: addon.enabled.checked,
          version: addon.version.value,
          authenticationConfig: addon.authenticationConfig.value,
        },
      });
    addon.enabled.addEventListener('change', editAddon);
    addon.version.addEventListener('change', editAddon);
    addon.authenticationConfig.addEventListener('input', editAddon);
    dom.showInstances.addEventListener('click', () => rpc.command('showInstances', {}));
    dom.showDeployment.addEventListener('click', () => {
      const submit = state().submit;
      if (submit.kind === 'created') {
        rpc.command('showDeployment', { deploymentId: submit.id });
      }
    });
    dom.topUp.addEventListener('click', () => {
      void rpc.request('openExternal', { target: 'topUp' }).catch(() => undefined);
    });
    dom.uploadKey.addEventListener('click', () => {
      const candidate = view().uploadCandidate;
      if (!candidate || state().keyActivity.kind === 'uploading') {
        return;
      }
      dispatch({ type: 'keyActivity', activity: { kind: 'uploading', path: candidate.path } });
      rpc.request('uploadLocalKey', { path: candidate.path }).then(
        (key) => dispatch({ type: 'keyUploaded', key, localPath: candidate.path }),
        (error: unknown) =>
          dispatch({ type: 'keyActivity', activity: { kind: 'error', message: messageOf(error).message } }),
      );
    });
    dom.createKey.addEventListener('click', () => {
      if (state().keyActivity.kind === 'creating') {
        return;
      }
      dispatch({ type: 'keyActivity', activity: { kind: 'confirmingCreate' } });
    });
    dom.cancelCreateKey.addEventListener('click', () => {
      dispatch({ type: 'keyActivity', activity: { kind: 'idle' } });
      dom.createKey.focus();
    });
    dom.confirmCreateKey.addEventListener('click', () => {
      if (state().keyActivity.kind !== 'confirmingCreate') {
        return;
      }
      dispatch({ type: 'keyActivity', activity: { kind: 'creating' } });
      rpc.request('createLocalKey', {}).then(
        (created) => dispatch({ type: 'localKeyCreated', created }),
        (error: unknown) =>
          dispatch({ type: 'keyActivity', activity: { kind: 'error', message: messageOf(error).message } }),
      );
    });
  },
});
