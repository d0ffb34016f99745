import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { AuthError } from '../../core/api/errors';
import type { VolumeRegions } from '../../core/domain/types';
import type { SubmitState } from '../../core/forms/exactlyOnce';
import {
  recordSubmitState,
  shownSubmitState,
  webviewSessionIdOf,
  type FormSessionStore,
} from '../../core/forms/formSessions';
import type { ExplorerData } from '../../core/explorer/explorerData';
import type { Logger } from '../../core/util/logger';
import type { Session } from '../../core/account/session';
import type { VolumeFormValues } from '../../core/volumes/volumeForm';
import {
  isVolumeFormProvider,
  loadPricedVolumeRegions,
  loadVolumeFormRegions,
  VOLUME_FORM_PROVIDERS,
  type ProviderRegions,
} from '../../core/volumes/volumeRegions';
import { submitVolumeForm, type VolumeSubmissionRegistry } from '../../core/volumes/volumeSubmission';
import { buildVolumeInit } from '../../core/webview/formInit';
import { EXTERNAL_LINKS, RequestFailure } from '../../shared/protocol';
import type { CommandHandlers, RequestHandlers } from '../../shared/protocol';
import { volumeProtocol, type VolumeInit, type VolumeProtocol } from '../../shared/volumeProtocol';
import { revealVolume } from '../deploy/reveal';
import type { Explorer } from '../explorer/explorer';
import { createFormPanel, FormPanelHost } from './panelHost';

export const VOLUME_VIEW_TYPE = 'spheron.volume';
const PANEL_TITLE = 'Create Volume';

export interface VolumePanelsDeps {
  readonly extensionUri: vscode.Uri;
  readonly logger: Logger;
  readonly session: Session;
  readonly data: ExplorerData;
  readonly explorer: Explorer;
  readonly sessions: FormSessionStore;
  readonly registry: VolumeSubmissionRegistry;
}

/** The create-volume form: one panel at a time, one submission registry for the window. */
export class VolumePanels implements vscode.Disposable {
  private current: VolumePanel | undefined;
  private readonly followed = new Map<string, { dispose(): void }>();
  private shuttingDown = false;

  constructor(readonly deps: VolumePanelsDeps) {}

  get registry(): VolumeSubmissionRegistry {
    return this.deps.registry;
  }

  /** The open form, if any. */
  get panel(): VolumePanel | undefined {
    return this.current;
  }

  async open(defaultProvider?: string): Promise<VolumePanel> {
    if (this.current) {
      this.current.reveal();
      return this.current;
    }
    if (!(await this.deps.session.state()).signedIn) {
      throw new AuthError(401, 'create-volume form', undefined, 'missing');
    }
    const panel = createFormPanel(VOLUME_VIEW_TYPE, PANEL_TITLE, this.deps.extensionUri);
    const provider = defaultProvider && isVolumeFormProvider(defaultProvider) ? defaultProvider : undefined;
    return this.adopt(panel, undefined, undefined, provider);
  }

  /** Called by the serializer the extension shell registers (see src/extension.ts). */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const sessionId = webviewSessionIdOf(state);
    const stored = sessionId ? this.deps.sessions.get(sessionId) : undefined;
    const record = stored?.form === 'volume' ? stored : undefined;
    if (this.current) {
      panel.dispose();
      return;
    }
    let restored: SubmitState | undefined;
    if (record?.created) {
      restored = { kind: 'created', id: record.created.id, name: record.created.name };
    } else if (sessionId) {
      // As in the deploy form: an unanswered create is looked for, never offered again at once.
      this.follow(sessionId);
      const pending = record?.pending;
      const teamId = pending ? ((await this.deps.data.teamId()) ?? '') : '';
      void this.deps.registry.resume(
        sessionId,
        pending ? { name: pending.name, teamId, startedAtMs: pending.startedAtMs } : undefined,
      );
    }
    this.adopt(panel, sessionId, restored, undefined);
  }

  private adopt(
    panel: vscode.WebviewPanel,
    sessionId: string | undefined,
    restored: SubmitState | undefined,
    defaultProvider: string | undefined,
  ): VolumePanel {
    const volumePanel = new VolumePanel(panel, this, sessionId, restored, defaultProvider);
    this.current = volumePanel;
    panel.onDidDispose(() => {
      if (this.current === volumePanel) {
        this.current = undefined;
      }
      volumePanel.dispose();
      const id = volumePanel.sessionId;
      if (id && !this.shuttingDown && this.deps.registry.forget(id)) {
        this.followed.get(id)?.dispose();
        this.followed.delete(id);
        void this.deps.sessions.delete(id);
      }
    });
    return volumePanel;
  }

  follow(sessionId: string): void {
    if (this.followed.has(sessionId)) {
      return;
    }
    const submission = this.deps.registry.session(sessionId);
    const subscription = submission.onDidChange((state) => {
      if (this.current?.sessionId === sessionId) {
        this.current.host.notify('submitState', state);
      }
      void this.persist(sessionId, state, submission.requestName);
    });
    this.followed.set(sessionId, subscription);
  }

  private async persist(
    sessionId: string,
    state: SubmitState,
    requestName: string | undefined,
  ): Promise<void> {
    const { sessions, logger } = this.deps;
    if (state.kind === 'created') {
      logger.info(`Volume ${state.name} created (${state.id})`);
    } else if (state.kind === 'failed') {
      logger.info(`Volume form: ${state.message}`);
    } else if (state.kind === 'unconfirmed') {
      logger.warn(`Volume form: ${state.message}`);
    }
    await recordSubmitState(sessions, sessionId, state, requestName);
    if (state.kind === 'created') {
      void this.deps.explorer.refresh('volumes');
    }
  }

  dispose(): void {
    this.shuttingDown = true;
    this.current?.dispose();
    for (const subscription of this.followed.values()) {
      subscription.dispose();
    }
    this.deps.registry.dispose();
    this.followed.clear();
  }
}

export class VolumePanel implements vscode.Disposable {
  readonly host: FormPanelHost<VolumeProtocol>;
  private session: string | undefined;
  private readonly regions = new Map<string, ProviderRegions>();
  private disposed = false;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly owner: VolumePanels,
    sessionId: string | undefined,
    private restored: SubmitState | undefined,
    private readonly defaultProvider: string | undefined,
  ) {
    this.session = sessionId;
    const requests: RequestHandlers<VolumeProtocol> = {
      createVolume: ({ sessionId: id, form }) => this.submit(id, form, 'submit'),
      retryAfterUnconfirmed: ({ sessionId: id, form }) => this.submit(id, form, 'retry'),
      checkAgain: ({ sessionId: id }) => this.checkAgain(id),
      loadRegions: ({ provider }) => this.loadRegions(provider),
      openExternal: async ({ target }) => {
        await vscode.env.openExternal(vscode.Uri.parse(EXTERNAL_LINKS[target]));
        return null;
      },
    };
    const commands: CommandHandlers<VolumeProtocol> = {
      cancel: () => this.host.dispose(),
      showVolume: async ({ volumeId }) => {
        await revealVolume(this.owner.deps.explorer, volumeId);
      },
    };
    this.host = new FormPanelHost({
      panel,
      extensionUri: owner.deps.extensionUri,
      bundle: 'volume',
      logger: owner.deps.logger,
      protocol: volumeProtocol,
      requests,
      commands,
      onReady: (webviewSessionId) => this.ready(webviewSessionId),
    });
  }

  get sessionId(): string | undefined {
    return this.session;
  }

  get submitState(): SubmitState {
    return this.currentSubmitState();
  }

  reveal(): void {
    this.host.panel.reveal();
  }

  /** Handles a raw message as if the webview had sent it (extension-host tests). */
  deliver(raw: unknown): Promise<void> {
    return this.host.deliver(raw);
  }

  private get deps(): VolumePanelsDeps {
    return this.owner.deps;
  }

  private async ready(webviewSessionId: string | undefined): Promise<void> {
    if (this.session === undefined) {
      this.session = webviewSessionId ?? randomUUID();
      await this.deps.sessions.update(this.session, { form: 'volume' });
    }
    this.owner.follow(this.session);
    this.host.notify('init', await this.buildInit(this.session));
  }

  private currentSubmitState(): SubmitState {
    const live = this.session ? this.deps.registry.stateOf(this.session) : { kind: 'idle' as const };
    return shownSubmitState(this.restored, live);
  }

  private async providerRegions(): Promise<ProviderRegions[]> {
    const missing = VOLUME_FORM_PROVIDERS.filter((provider) => !this.regions.get(provider)?.regions);
    if (missing.length > 0) {
      for (const entry of await loadVolumeFormRegions(this.deps.session.api, missing)) {
        this.regions.set(entry.provider, entry);
        if (entry.error) {
          this.deps.logger.warn(`Volume regions for ${entry.provider}: ${entry.error}`);
        }
      }
    }
    return VOLUME_FORM_PROVIDERS.map(
      (provider) => this.regions.get(provider) ?? { provider, regions: null, error: 'Not loaded.' },
    );
  }

  private async buildInit(sessionId: string): Promise<VolumeInit> {
    const { data, registry } = this.deps;
    await data.teamId();
    const team = data.currentTeam();
    const init = buildVolumeInit({
      sessionId,
      team: team ? { id: team.teamId, name: team.teamName } : undefined,
      regions: await this.providerRegions(),
      ...(this.defaultProvider ? { defaultProvider: this.defaultProvider } : {}),
      registry,
    });
    return { ...init, submitState: this.currentSubmitState() };
  }

  private async loadRegions(provider: string): Promise<VolumeRegions> {
    if (!isVolumeFormProvider(provider)) {
      throw new RequestFailure(`This form creates ${VOLUME_FORM_PROVIDERS.join(' and ')} volumes only.`);
    }
    const regions = await loadPricedVolumeRegions(this.deps.session.api, provider);
    this.regions.set(provider, { provider, regions });
    return regions;
  }

  private ownSession(sessionId: string): string {
    if (!this.session || sessionId !== this.session) {
      throw new RequestFailure('This form is out of date. Close it and open it again.');
    }
    return this.session;
  }

  private async submit(
    sessionIdParam: string,
    form: VolumeFormValues,
    mode: 'submit' | 'retry',
  ): Promise<SubmitState> {
    const sessionId = this.ownSession(sessionIdParam);
    if (this.restored?.kind === 'created') {
      return this.restored;
    }
    if (!isVolumeFormProvider(form.provider) && form.provider !== '') {
      throw new RequestFailure(`This form creates ${VOLUME_FORM_PROVIDERS.join(' and ')} volumes only.`, {
        provider: 'Choose Voltage Park or DataCrunch.',
      });
    }
    const regions =
      form.provider === ''
        ? undefined
        : (this.regions.get(form.provider)?.regions ?? (await this.loadRegions(form.provider)));
    const teamId = await this.deps.data.teamId();
    this.restored = undefined;
    return submitVolumeForm(
      {
        registry: this.deps.registry,
        api: this.deps.session.api,
        sessionId,
        form,
        regions,
        teamId,
      },
      mode,
    );
  }

  private async checkAgain(sessionIdParam: string): Promise<SubmitState> {
    const sessionId = this.ownSession(sessionIdParam);
    if (this.restored?.kind === 'created') {
      return this.restored;
    }
    return this.deps.registry.checkAgain(sessionId);
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.host.dispose();
  }
}
