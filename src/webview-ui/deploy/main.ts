// Entry of the deploy webview (bundled to dist/webview/deploy.js + deploy.css).
import '../shared/base.css';
import './style.css';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { DeployFormValues } from '../../core/deploy/deployForm';
import { deployProtocol } from '../../shared/deployProtocol';
import { byId } from '../shared/dom';
import { RequestError, WebviewRpc } from '../shared/rpc';
import { getVsCodeApi } from '../shared/vscodeApi';
import {
  deployReducer,
  deriveDeployView,
  emptyDeployState,
  keyChoiceFromOption,
  persistedDeployStateSchema,
  persistedState,
} from './state';
import type { DeployAction, DeployState, DeployView } from './state';
import { buildDeployDom, renderDeploy } from './view';

function messageOf(error: unknown): { message: string; fieldErrors: Readonly<Record<string, string>> } {
  if (error instanceof RequestError) {
    return { message: error.message, fieldErrors: error.fieldErrors };
  }
  return { message: error instanceof Error ? error.message : String(error), fieldErrors: {} };
}

function start(): void {
  const vscode = getVsCodeApi(persistedDeployStateSchema);
  const savedAtLoad = vscode.getState();
  const dom = buildDeployDom(byId('app'));
  let state: DeployState = emptyDeployState();
  let view: DeployView = deriveDeployView(state);

  const dispatch = (action: DeployAction): void => {
    state = deployReducer(state, action);
    view = deriveDeployView(state);
    renderDeploy(dom, view);
    const persisted = persistedState(state);
    if (persisted) {
      vscode.setState(persisted);
    }
  };
  const edit = (patch: Partial<DeployFormValues>): void => dispatch({ type: 'edit', patch });

  const rpc = new WebviewRpc({
    protocol: deployProtocol,
    postMessage: (message) => vscode.postMessage(message),
    notifications: {
      init: (init) => dispatch({ type: 'init', init, saved: persistedState(state) ?? savedAtLoad }),
      update: (update) => dispatch({ type: 'update', update }),
      submitState: (submitState) => dispatch({ type: 'submitState', state: submitState }),
    },
  });
  window.addEventListener('message', (event: MessageEvent) => rpc.receive(event.data));

  const sessionId = (): string | undefined => state.init?.sessionId;

  /** Every path to a create goes through here; the reducer's `sending` flag blocks a second press. */
  const submit = (): void => {
    const id = sessionId();
    if (!id || !view.deployEnabled || state.sending) {
      return;
    }
    dispatch({ type: 'sendSubmit' });
    rpc.request('submitDeploy', { sessionId: id, form: state.form }).then(
      (result) => dispatch({ type: 'submitState', state: result }),
      (error: unknown) => dispatch({ type: 'requestFailed', ...messageOf(error) }),
    );
  };

  const followUp = (method: 'checkAgain' | 'retryAfterUnconfirmed'): void => {
    const id = sessionId();
    if (!id || state.sending || (method === 'checkAgain' ? !view.canCheckAgain : !view.canTryAgain)) {
      return;
    }
    dispatch({ type: 'sendSubmit' });
    const request =
      method === 'checkAgain'
        ? rpc.request('checkAgain', { sessionId: id })
        : rpc.request('retryAfterUnconfirmed', { sessionId: id, form: state.form });
    request.then(
      (result) => dispatch({ type: 'submitState', state: result }),
      (error: unknown) => dispatch({ type: 'requestFailed', ...messageOf(error) }),
    );
  };

  dom.name.addEventListener('input', () => edit({ name: dom.name.value }));
  dom.region.addEventListener('change', () => edit({ region: dom.region.value }));
  dom.os.addEventListener('change', () => edit({ operatingSystem: dom.os.value }));
  dom.sshKey.addEventListener('change', () => {
    if (state.init) {
      edit({ sshKey: keyChoiceFromOption(dom.sshKey.value, state.init, state.form.sshKey) });
    }
  });
  dom.volumeList.addEventListener('change', (event) => {
    const box = event.target as VscodeCheckbox;
    if (box.tagName.toLowerCase() !== 'vscode-checkbox') {
      return;
    }
    const others = state.form.volumeIds.filter((id) => id !== box.value);
    edit({ volumeIds: box.checked ? [...others, box.value] : others });
  });
  dom.packages.addEventListener('input', () => edit({ packages: dom.packages.value }));
  dom.commands.addEventListener('input', () => edit({ commands: dom.commands.value }));
  for (const field of [dom.name, dom.packages]) {
    field.addEventListener('keydown', (event: KeyboardEvent) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        submit();
      }
    });
  }
  dom.deploy.addEventListener('click', submit);
  dom.checkAgain.addEventListener('click', () => followUp('checkAgain'));
  dom.tryAgain.addEventListener('click', () => followUp('retryAfterUnconfirmed'));
  dom.cancel.addEventListener('click', () => rpc.command('cancel', {}));
  dom.showInstances.addEventListener('click', () => rpc.command('showInstances', {}));
  dom.showDeployment.addEventListener('click', () => {
    if (state.submit.kind === 'created') {
      rpc.command('showDeployment', { deploymentId: state.submit.id });
    }
  });
  dom.topUp.addEventListener('click', () => {
    void rpc.request('openExternal', { target: 'topUp' }).catch(() => undefined);
  });
  dom.uploadKey.addEventListener('click', () => {
    const candidate = view.uploadCandidate;
    if (!candidate || state.keyActivity.kind === 'uploading') {
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
    if (state.keyActivity.kind === 'creating') {
      return;
    }
    dispatch({ type: 'keyActivity', activity: { kind: 'creating' } });
    rpc.request('createLocalKey', {}).then(
      (key) => dispatch({ type: 'localKeyCreated', key }),
      (error: unknown) =>
        dispatch({ type: 'keyActivity', activity: { kind: 'error', message: messageOf(error).message } }),
    );
  });

  renderDeploy(dom, view);
  rpc.ready(savedAtLoad?.sessionId);
}

start();
