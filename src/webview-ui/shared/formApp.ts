// A form page's loop, the same for every form: state → view → DOM, the saved state, the channel
// to the host, and the one submit path (with Check again / Try again). A form passes its reducer,
// its view and its DOM, and wires only its own controls.
import type * as z from 'zod/mini';
import type { FormProtocol } from '../../shared/formProtocol';
import type { NotificationData, SubmitStateMessage } from '../../shared/protocol';
import { byId } from './dom';
import type { PersistedFormState, SubmitAction } from './formState';
import { RequestError, WebviewRpc } from './rpc';
import type { SubmitBarDom } from './submitBar';
import { getVsCodeApi } from './vscodeApi';

export function messageOf(error: unknown): {
  message: string;
  fieldErrors: Readonly<Record<string, string>>;
} {
  if (error instanceof RequestError) {
    return { message: error.message, fieldErrors: error.fieldErrors };
  }
  return { message: error instanceof Error ? error.message : String(error), fieldErrors: {} };
}

type Init<P extends FormProtocol> = NotificationData<P, 'init'>;

/** What the loop needs of a form's state and actions. */
interface FormStateShape<Form> {
  readonly init: { readonly sessionId: string } | undefined;
  readonly form: Form;
  readonly sending: boolean;
}
type InitAction<P extends FormProtocol, Form> = {
  readonly type: 'init';
  readonly init: Init<P>;
  readonly saved: PersistedFormState<Form> | undefined;
};

/** What the loop needs of a form's view and DOM: its follow-ups, and the submit bar. */
interface FollowUpView {
  readonly canCheckAgain: boolean;
  readonly canTryAgain: boolean;
}
interface FormDom {
  readonly bar: SubmitBarDom;
}

export interface FormDefinition<
  P extends FormProtocol,
  Form,
  State extends FormStateShape<Form>,
  Action,
  View extends FollowUpView,
  Dom extends FormDom,
> {
  readonly protocol: P;
  readonly persistedSchema: z.ZodMiniType<PersistedFormState<Form>>;
  readonly empty: () => State;
  readonly reducer: (state: State, action: Action | InitAction<P, Form> | SubmitAction) => State;
  readonly derive: (state: State) => View;
  readonly persisted: (state: State) => PersistedFormState<Form> | undefined;
  readonly buildDom: (root: HTMLElement) => Dom;
  readonly render: (dom: Dom, view: View) => void;
  /** The submit button may send now. */
  readonly canSubmit: (view: View) => boolean;
  readonly onUpdate: (update: NotificationData<P, 'update'>, app: FormApp<P, State, Action, View>) => void;
  /** Text fields where Enter submits. */
  readonly enterSubmits: (dom: Dom) => readonly HTMLElement[];
  /** Wires the form's own controls. */
  readonly wire: (dom: Dom, app: FormApp<P, State, Action, View>) => void;
}

export interface FormApp<P extends FormProtocol, State, Action, View> {
  readonly rpc: WebviewRpc<P>;
  readonly dispatch: (action: Action) => void;
  readonly state: () => State;
  readonly view: () => View;
}

/** The generic face of a form protocol's submit requests (validated by the channel either way). */
interface SubmitRequests {
  request(method: string, params: unknown): Promise<SubmitStateMessage>;
}

export function startForm<
  P extends FormProtocol,
  Form,
  State extends FormStateShape<Form>,
  Action,
  View extends FollowUpView,
  Dom extends FormDom,
>(definition: FormDefinition<P, Form, State, Action, View, Dom>): void {
  const vscode = getVsCodeApi(definition.persistedSchema);
  const savedAtLoad = vscode.getState();
  const dom = definition.buildDom(byId('app'));
  let state = definition.empty();
  let view = definition.derive(state);

  const dispatch = (action: Action | InitAction<P, Form> | SubmitAction): void => {
    state = definition.reducer(state, action);
    view = definition.derive(state);
    definition.render(dom, view);
    const persisted = definition.persisted(state);
    if (persisted) {
      vscode.setState(persisted);
    }
  };
  const app: FormApp<P, State, Action, View> = {
    get rpc() {
      return rpc;
    },
    dispatch,
    state: () => state,
    view: () => view,
  };
  const rpc: WebviewRpc<P> = new WebviewRpc<P>({
    protocol: definition.protocol,
    postMessage: (message) => vscode.postMessage(message),
    notifications: {
      init: (init: Init<P>) =>
        dispatch({ type: 'init', init, saved: definition.persisted(state) ?? savedAtLoad }),
      update: (update: NotificationData<P, 'update'>) => definition.onUpdate(update, app),
      submitState: (submitState: SubmitStateMessage) => dispatch({ type: 'submitState', state: submitState }),
    } as unknown as ConstructorParameters<typeof WebviewRpc<P>>[0]['notifications'],
  });
  window.addEventListener('message', (event: MessageEvent) => rpc.receive(event.data));
  const requests = rpc as unknown as SubmitRequests;

  const answer = (request: Promise<SubmitStateMessage>): void => {
    request.then(
      (result) => dispatch({ type: 'submitState', state: result }),
      (error: unknown) => dispatch({ type: 'requestFailed', ...messageOf(error) }),
    );
  };

  /** Every path to a create goes through here; the reducer's `sending` flag blocks a second press. */
  const submit = (): void => {
    const sessionId = state.init?.sessionId;
    if (!sessionId || !definition.canSubmit(view) || state.sending) {
      return;
    }
    dispatch({ type: 'sendSubmit' });
    answer(requests.request(definition.protocol.submitMethod, { sessionId, form: state.form }));
  };

  const followUp = (method: 'checkAgain' | 'retryAfterUnconfirmed'): void => {
    const sessionId = state.init?.sessionId;
    if (!sessionId || state.sending || (method === 'checkAgain' ? !view.canCheckAgain : !view.canTryAgain)) {
      return;
    }
    dispatch({ type: 'sendSubmit' });
    answer(
      method === 'checkAgain'
        ? requests.request('checkAgain', { sessionId })
        : requests.request('retryAfterUnconfirmed', { sessionId, form: state.form }),
    );
  };

  definition.wire(dom, app);
  for (const field of definition.enterSubmits(dom)) {
    field.addEventListener('keydown', (event: KeyboardEvent) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        submit();
      }
    });
  }
  dom.bar.submit.addEventListener('click', submit);
  dom.bar.checkAgain.addEventListener('click', () => followUp('checkAgain'));
  dom.bar.tryAgain.addEventListener('click', () => followUp('retryAfterUnconfirmed'));
  dom.bar.cancel.addEventListener('click', () => (rpc as unknown as CancelCommand).command('cancel', {}));

  definition.render(dom, view);
  rpc.ready(savedAtLoad?.sessionId);
}

interface CancelCommand {
  command(command: 'cancel', args: Record<string, never>): void;
}
