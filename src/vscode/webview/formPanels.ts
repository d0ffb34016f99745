// The form framework's host side: one panel per key, each followed, persisted and restored the
// same way, so a form writes only its init, its submit and its own messages (deployPanel.ts,
// volumePanel.ts). The submission registry is the only path to a create.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type * as z from 'zod/mini';
import type { SubmitState } from '../../core/forms/exactlyOnce';
import { createdOutcome, resumeUnanswered, type FormSubmissions } from '../../core/forms/formRestore';
import {
  recordSubmitState,
  shownSubmitState,
  type FormSessionRecord,
  type FormSessionStore,
} from '../../core/forms/formSessions';
import type { Logger } from '../../core/util/logger';
import type { FormProtocol } from '../../shared/formProtocol';
import { EXTERNAL_LINKS, RequestFailure } from '../../shared/protocol';
import type { CommandHandlers, NotificationData, RequestHandlers } from '../../shared/protocol';
import { FormPanelHost, showMessagePage, type WebviewBundle } from './panelHost';

export interface FormPanelsOptions {
  readonly extensionUri: vscode.Uri;
  readonly logger: Logger;
  readonly sessions: FormSessionStore;
  readonly registry: FormSubmissions;
  /** The bundle and the session records' `form`. */
  readonly bundle: WebviewBundle;
  /** For log lines: `Deployment`, `Volume`. */
  readonly noun: string;
  /** For log lines: `Deploy form`, `Volume form`. */
  readonly formLabel: string;
  /** The team a restored create is looked for in. */
  readonly teamId: () => Promise<string | undefined>;
  /** A session's create succeeded (after it is recorded): refresh a view, watch it… */
  readonly onCreated: (sessionId: string, created: Extract<SubmitState, { kind: 'created' }>) => void;
}

/** What the owner needs of a panel, whatever its form. */
export interface OwnedFormPanel extends vscode.Disposable {
  readonly sessionId: string | undefined;
  readonly host: { readonly panel: vscode.WebviewPanel };
  reveal(): void;
  showSubmitState(state: SubmitState): void;
}

/** Every panel of one form: one per key, one submission registry for the window. */
export class FormPanels<Panel extends OwnedFormPanel> implements vscode.Disposable {
  private readonly panels = new Map<string, Panel>();
  /** Panels showing a message instead of a form (could not be restored). */
  private readonly orphans = new Set<vscode.WebviewPanel>();
  private readonly followed = new Map<string, { dispose(): void }>();
  /** The key of every followed session. */
  private readonly followedKeys = new Map<string, string>();
  private shuttingDown = false;

  constructor(readonly options: FormPanelsOptions) {}

  get(key: string): Panel | undefined {
    return this.panels.get(key);
  }

  all(): Panel[] {
    return [...this.panels.values()];
  }

  /** Reveals the panel open for this key, if any. */
  revealed(key: string): Panel | undefined {
    const existing = this.get(key);
    existing?.reveal();
    return existing;
  }

  panelFor(sessionId: string): Panel | undefined {
    return this.all().find((panel) => panel.sessionId === sessionId);
  }

  /** A session for this key that no panel shows and that could not be forgotten when its panel closed. */
  unfinishedSessionFor(key: string): string | undefined {
    return [...this.followed.keys()].find(
      (sessionId) => this.followedKeys.get(sessionId) === key && !this.panelFor(sessionId),
    );
  }

  /**
   * After a reload: what the session shows. A recorded create stays created; anything else is
   * followed, and a create that was never answered is looked for again.
   */
  async restoreSession(
    sessionId: string,
    key: string,
    record: FormSessionRecord | undefined,
  ): Promise<SubmitState | undefined> {
    const created = createdOutcome(record);
    if (created) {
      return created;
    }
    this.follow(sessionId, key);
    await resumeUnanswered(this.options.registry, sessionId, record, this.options.teamId);
    return undefined;
  }

  /** Registers a panel under its key; closing it forgets its session unless a create is pending. */
  adopt(key: string, panel: Panel): Panel {
    this.panels.set(key, panel);
    panel.host.panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) {
        this.panels.delete(key);
      }
      panel.dispose();
      const id = panel.sessionId;
      if (id && !this.shuttingDown && this.options.registry.forget(id)) {
        // Closed by the user with nothing pending: nothing to restore or protect any more.
        this.followed.get(id)?.dispose();
        this.followed.delete(id);
        this.followedKeys.delete(id);
        void this.options.sessions.delete(id);
      }
    });
    return panel;
  }

  /** Shows a page of text instead of a form that cannot be restored. */
  orphan(panel: vscode.WebviewPanel, title: string, paragraphs: readonly string[]): void {
    showMessagePage(panel, this.options.extensionUri, this.options.bundle, title, paragraphs);
    this.orphans.add(panel);
    panel.onDidDispose(() => this.orphans.delete(panel));
  }

  /** Follows a session's submit state: persists it and tells its panel. */
  follow(sessionId: string, key: string): void {
    this.followedKeys.set(sessionId, key);
    if (this.followed.has(sessionId)) {
      return;
    }
    const submission = this.options.registry.session(sessionId);
    const subscription = submission.onDidChange((state) => {
      this.panelFor(sessionId)?.showSubmitState(state);
      void this.persist(sessionId, state, submission.requestName);
    });
    this.followed.set(sessionId, subscription);
  }

  private async persist(
    sessionId: string,
    state: SubmitState,
    requestName: string | undefined,
  ): Promise<void> {
    const { sessions, logger, noun, formLabel } = this.options;
    if (state.kind === 'created') {
      logger.info(`${noun} ${state.name} created (${state.id})`);
    } else if (state.kind === 'failed') {
      logger.info(`${formLabel}: ${state.message}`);
    } else if (state.kind === 'unconfirmed') {
      logger.warn(`${formLabel}: ${state.message}`);
    }
    await recordSubmitState(sessions, sessionId, state, requestName);
    if (state.kind === 'created') {
      this.options.onCreated(sessionId, state);
    }
  }

  dispose(): void {
    // Deactivation (also a window reload): keep the session records so the serializer can restore.
    this.shuttingDown = true;
    for (const panel of this.all()) {
      panel.dispose();
    }
    for (const panel of this.orphans) {
      panel.dispose();
    }
    for (const subscription of this.followed.values()) {
      subscription.dispose();
    }
    this.options.registry.dispose();
    this.followed.clear();
    this.followedKeys.clear();
  }
}

type FormValues<P extends FormProtocol> = z.output<P['formSchema']>;
interface FormParams<P extends FormProtocol> {
  readonly sessionId: string;
  readonly form: FormValues<P>;
}
type CommonRequest = 'checkAgain' | 'retryAfterUnconfirmed' | 'openExternal';

export interface FormPanelSpec<P extends FormProtocol> {
  readonly webviewPanel: vscode.WebviewPanel;
  readonly owner: FormPanels<OwnedFormPanel>;
  /** The key the owner files this panel under (the session's record keeps it, for restore). */
  readonly key: string;
  readonly protocol: P;
  /** The form's own requests; submit, check again, try again and external links are common. */
  readonly requests: Omit<RequestHandlers<P>, CommonRequest | P['submitMethod']>;
  /** The form's own commands; Close is common. */
  readonly commands: Omit<CommandHandlers<P>, 'cancel'>;
  /** The webview's form session, when restored. */
  readonly sessionId: string | undefined;
  /** After a reload: what the session record says happened before. */
  readonly restored: SubmitState | undefined;
  /** Said when a message names another session than this panel's. */
  readonly outOfDate: string;
}

/** One form panel: its webview, its session, and the submit path every form shares. */
export abstract class FormPanel<P extends FormProtocol> implements OwnedFormPanel {
  readonly host: FormPanelHost<P>;
  private session: string | undefined;
  private readonly restored: SubmitState | undefined;
  private disposed = false;

  constructor(private readonly spec: FormPanelSpec<P>) {
    this.session = spec.sessionId;
    this.restored = spec.restored;
    const submitWith = (mode: 'submit' | 'retry') => (params: FormParams<P>) =>
      this.guardedSubmit(params.sessionId, params.form, mode);
    const requests = {
      ...spec.requests,
      [spec.protocol.submitMethod]: submitWith('submit'),
      retryAfterUnconfirmed: submitWith('retry'),
      checkAgain: ({ sessionId }: { sessionId: string }) => this.checkAgain(sessionId),
      openExternal: async ({ target }: { target: keyof typeof EXTERNAL_LINKS }) => {
        await vscode.env.openExternal(vscode.Uri.parse(EXTERNAL_LINKS[target]));
        return null;
      },
    } as unknown as RequestHandlers<P>;
    const commands = { ...spec.commands, cancel: () => this.host.dispose() } as CommandHandlers<P>;
    this.host = new FormPanelHost({
      panel: spec.webviewPanel,
      extensionUri: spec.owner.options.extensionUri,
      bundle: spec.owner.options.bundle,
      logger: spec.owner.options.logger,
      protocol: spec.protocol,
      requests,
      commands,
      onReady: (webviewSessionId) => this.ready(webviewSessionId),
    });
  }

  /** The form session (set on the webview's first `ready`). */
  get sessionId(): string | undefined {
    return this.session;
  }

  get submitState(): SubmitState {
    const live = this.session
      ? this.spec.owner.options.registry.stateOf(this.session)
      : { kind: 'idle' as const };
    return shownSubmitState(this.restored, live);
  }

  reveal(): void {
    this.host.panel.reveal();
  }

  /** Handles a raw message as if the webview had sent it (extension-host tests). */
  deliver(raw: unknown): Promise<void> {
    return this.host.deliver(raw);
  }

  showSubmitState(state: SubmitState): void {
    this.host.notify('submitState', state as NotificationData<P, 'submitState'>);
  }

  /** Everything the form shows but its submit state. */
  protected abstract buildInit(sessionId: string): Promise<Omit<NotificationData<P, 'init'>, 'submitState'>>;

  /** Validates and submits once through the registry (the session is this panel's). */
  protected abstract submit(
    sessionId: string,
    form: FormValues<P>,
    mode: 'submit' | 'retry',
  ): Promise<SubmitState>;

  /** What the session record keeps besides the submit (e.g. the offer), for restore. */
  protected sessionRecord(): Partial<Omit<FormSessionRecord, 'sessionId' | 'savedAtMs' | 'form'>> {
    return {};
  }

  protected get formLabel(): string {
    return this.spec.owner.options.formLabel;
  }

  /** Sends `init` again (e.g. another team: everything the form shows differs). */
  protected async sendInit(): Promise<void> {
    if (this.session) {
      this.host.notify('init', await this.init(this.session));
    }
  }

  private async init(sessionId: string): Promise<NotificationData<P, 'init'>> {
    const init = await this.buildInit(sessionId);
    return { ...init, submitState: this.submitState } as NotificationData<P, 'init'>;
  }

  private async ready(webviewSessionId: string | undefined): Promise<void> {
    const { owner } = this.spec;
    if (this.session === undefined) {
      this.session = webviewSessionId ?? randomUUID();
      await owner.options.sessions.update(this.session, {
        form: owner.options.bundle,
        ...this.sessionRecord(),
      });
    } else if (webviewSessionId !== undefined && webviewSessionId !== this.session) {
      owner.options.logger.debug(
        `${this.formLabel}: the webview's session ${webviewSessionId} is not this panel's`,
      );
    }
    owner.follow(this.session, this.spec.key);
    this.host.notify('init', await this.init(this.session));
  }

  private ownSession(sessionId: string): string {
    if (!this.session || sessionId !== this.session) {
      throw new RequestFailure(this.spec.outOfDate);
    }
    return this.session;
  }

  private async guardedSubmit(
    sessionIdParam: string,
    form: FormValues<P>,
    mode: 'submit' | 'retry',
  ): Promise<SubmitState> {
    const sessionId = this.ownSession(sessionIdParam);
    // A create restored after a reload stays the answer: the form never sends a second one.
    return this.restored?.kind === 'created' ? this.restored : this.submit(sessionId, form, mode);
  }

  private async checkAgain(sessionIdParam: string): Promise<SubmitState> {
    const sessionId = this.ownSession(sessionIdParam);
    return this.restored?.kind === 'created'
      ? this.restored
      : this.spec.owner.options.registry.checkAgain(sessionId);
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.onDispose();
    this.host.dispose();
  }

  /** The form's own clean-up (subscriptions). */
  protected onDispose(): void {}
}
