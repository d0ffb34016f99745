// Entry of the create-volume webview (bundled to dist/webview/volume.js + volume.css).
import '../shared/base.css';
import { volumeProtocol } from '../../shared/volumeProtocol';
import { byId } from '../shared/dom';
import { RequestError, WebviewRpc } from '../shared/rpc';
import { getVsCodeApi } from '../shared/vscodeApi';
import {
  deriveVolumeView,
  emptyVolumeState,
  persistedVolumeState,
  persistedVolumeStateSchema,
  regionsFor,
  volumeReducer,
} from './state';
import type { VolumeAction, VolumeState, VolumeView } from './state';
import { buildVolumeDom, renderVolume } from './view';

function messageOf(error: unknown): { message: string; fieldErrors: Readonly<Record<string, string>> } {
  if (error instanceof RequestError) {
    return { message: error.message, fieldErrors: error.fieldErrors };
  }
  return { message: error instanceof Error ? error.message : String(error), fieldErrors: {} };
}

function start(): void {
  const vscode = getVsCodeApi(persistedVolumeStateSchema);
  const savedAtLoad = vscode.getState();
  const dom = buildVolumeDom(byId('app'));
  let state: VolumeState = emptyVolumeState();
  let view: VolumeView = deriveVolumeView(state);

  const dispatch = (action: VolumeAction): void => {
    state = volumeReducer(state, action);
    view = deriveVolumeView(state);
    renderVolume(dom, view);
    const persisted = persistedVolumeState(state);
    if (persisted) {
      vscode.setState(persisted);
    }
  };

  const rpc = new WebviewRpc({
    protocol: volumeProtocol,
    postMessage: (message) => vscode.postMessage(message),
    notifications: {
      init: (init) => dispatch({ type: 'init', init, saved: persistedVolumeState(state) ?? savedAtLoad }),
      update: (update) => {
        if (update.regions) {
          dispatch({ type: 'regions', entries: update.regions });
        }
      },
      submitState: (submitState) => dispatch({ type: 'submitState', state: submitState }),
    },
  });
  window.addEventListener('message', (event: MessageEvent) => rpc.receive(event.data));

  const loadRegions = (provider: string): void => {
    if (!provider || state.loadingRegions.has(provider)) {
      return;
    }
    dispatch({ type: 'regionsLoading', provider });
    rpc.request('loadRegions', { provider }).then(
      (regions) => dispatch({ type: 'regions', entries: [{ provider, regions }] }),
      (error: unknown) =>
        dispatch({
          type: 'regions',
          entries: [{ provider, regions: null, error: messageOf(error).message }],
        }),
    );
  };

  const submit = (): void => {
    const sessionId = state.init?.sessionId;
    if (!sessionId || !view.createEnabled || state.sending) {
      return;
    }
    dispatch({ type: 'sendSubmit' });
    rpc.request('createVolume', { sessionId, form: state.form }).then(
      (result) => dispatch({ type: 'submitState', state: result }),
      (error: unknown) => dispatch({ type: 'requestFailed', ...messageOf(error) }),
    );
  };

  const followUp = (method: 'checkAgain' | 'retryAfterUnconfirmed'): void => {
    const sessionId = state.init?.sessionId;
    if (!sessionId || state.sending || (method === 'checkAgain' ? !view.canCheckAgain : !view.canTryAgain)) {
      return;
    }
    dispatch({ type: 'sendSubmit' });
    const request =
      method === 'checkAgain'
        ? rpc.request('checkAgain', { sessionId })
        : rpc.request('retryAfterUnconfirmed', { sessionId, form: state.form });
    request.then(
      (result) => dispatch({ type: 'submitState', state: result }),
      (error: unknown) => dispatch({ type: 'requestFailed', ...messageOf(error) }),
    );
  };

  dom.provider.addEventListener('change', () => {
    const provider = dom.provider.value;
    dispatch({ type: 'edit', patch: { provider } });
    if (!regionsFor(state.init, provider)?.regions) {
      loadRegions(provider);
    }
  });
  dom.region.addEventListener('change', () =>
    dispatch({ type: 'edit', patch: { region: dom.region.value } }),
  );
  dom.size.addEventListener('input', () => dispatch({ type: 'edit', patch: { sizeGb: dom.size.value } }));
  dom.name.addEventListener('input', () => dispatch({ type: 'edit', patch: { name: dom.name.value } }));
  for (const field of [dom.size, dom.name]) {
    field.addEventListener('keydown', (event: KeyboardEvent) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        submit();
      }
    });
  }
  dom.reloadRegions.addEventListener('click', () => loadRegions(state.form.provider));
  dom.create.addEventListener('click', submit);
  dom.checkAgain.addEventListener('click', () => followUp('checkAgain'));
  dom.tryAgain.addEventListener('click', () => followUp('retryAfterUnconfirmed'));
  dom.cancel.addEventListener('click', () => rpc.command('cancel', {}));
  dom.showVolume.addEventListener('click', () => {
    if (state.submit.kind === 'created') {
      rpc.command('showVolume', { volumeId: state.submit.id });
    }
  });

  renderVolume(dom, view);
  rpc.ready(savedAtLoad?.sessionId);
}

start();
