// Entry of the create-volume webview (bundled to dist/webview/volume.js + volume.css): the form
// loop (shared/formApp.ts) plus the volume form's own controls.
import '../shared/base.css';
import { volumeProtocol } from '../../shared/volumeProtocol';
import { messageOf, startForm } from '../shared/formApp';
import {
  deriveVolumeView,
  emptyVolumeState,
  persistedVolumeState,
  persistedVolumeStateSchema,
  regionsFor,
  volumeReducer,
} from './state';
import { buildVolumeDom, renderVolume } from './view';

startForm({
  protocol: volumeProtocol,
  persistedSchema: persistedVolumeStateSchema,
  empty: emptyVolumeState,
  reducer: volumeReducer,
  derive: deriveVolumeView,
  persisted: persistedVolumeState,
  buildDom: buildVolumeDom,
  render: renderVolume,
  canSubmit: (view) => view.createEnabled,
  onUpdate: (update, app) => {
    if (update.regions) {
      app.dispatch({ type: 'regions', entries: update.regions });
    }
  },
  enterSubmits: (dom) => [dom.size, dom.name],
  wire: (dom, { dispatch, state, rpc }) => {
    const loadRegions = (provider: string): void => {
      if (!provider || state().loadingRegions.has(provider)) {
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
    dom.provider.addEventListener('change', () => {
      const provider = dom.provider.value;
      dispatch({ type: 'edit', patch: { provider } });
      if (!regionsFor(state().init, provider)?.regions) {
        loadRegions(provider);
      }
    });
    dom.region.addEventListener('change', () =>
      dispatch({ type: 'edit', patch: { region: dom.region.value } }),
    );
    dom.size.addEventListener('input', () => dispatch({ type: 'edit', patch: { sizeGb: dom.size.value } }));
    dom.name.addEventListener('input', () => dispatch({ type: 'edit', patch: { name: dom.name.value } }));
    dom.reloadRegions.addEventListener('click', () => loadRegions(state().form.provider));
    dom.showVolume.addEventListener('click', () => {
      const submit = state().submit;
      if (submit.kind === 'created') {
        rpc.command('showVolume', { volumeId: submit.id });
      }
    });
  },
});
