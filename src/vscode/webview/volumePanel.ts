import type * as vscode from 'vscode';
import { AuthError } from '../../core/api/errors';
import type { VolumeRegions } from '../../core/domain/types';
import type { SubmitState } from '../../core/forms/exactlyOnce';
import { webviewSessionIdOf, type FormSessionStore } from '../../core/forms/formSessions';
import type { ExplorerData } from '../../core/explorer/explorerData';
import type { Session } from '../../core/account/session';
import type { Logger } from '../../core/util/logger';
import type { VolumeFormValues } from '../../core/volumes/volumeForm';
import {
  isVolumeFormProvider,
  loadPricedVolumeRegions,
  loadVolumeFormRegions,
  VOLUME_FORM_PROVIDERS,
  type ProviderRegions,
} from '../../core/volumes/volumeRegions';
import { submitVolumeForm, type VolumeSubmissionRegistry } from '../../core/volumes/volumeSubmission';
import { buildVolumeInit } from '../../core/volumes/volumeInit';
import { RequestFailure } from '../../shared/protocol';
import { volumeProtocol, type VolumeInit, type VolumeProtocol } from '../../shared/volumeProtocol';
import { revealVolume } from '../deploy/reveal';
import type { Explorer } from '../explorer/explorer';
import { FormPanel, FormPanels } from './formPanels';
import { createFormPanel } from './panelHost';

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

/** One create-volume form at a time. */
const VOLUME_KEY = 'volume';

/** The create-volume form: one panel at a time, one submission registry for the window. */
export class VolumePanels extends FormPanels<VolumePanel> {
  constructor(readonly deps: VolumePanelsDeps) {
    super({
      extensionUri: deps.extensionUri,
      logger: deps.logger,
      sessions: deps.sessions,
      registry: deps.registry,
      bundle: 'volume',
      noun: 'Volume',
      formLabel: 'Volume form',
      teamId: () => deps.data.teamId(),
      onCreated: () => void deps.explorer.refresh('volumes'),
    });
  }

  get registry(): VolumeSubmissionRegistry {
    return this.deps.registry;
  }

  /** The open form, if any. */
  get panel(): VolumePanel | undefined {
    return this.get(VOLUME_KEY);
  }

  async open(defaultProvider?: string): Promise<VolumePanel> {
    const existing = this.revealed(VOLUME_KEY);
    if (existing) {
      return existing;
    }
    if (!(await this.deps.session.state()).signedIn) {
      throw new AuthError(401, 'create-volume form', undefined, 'missing');
    }
    const panel = createFormPanel(VOLUME_VIEW_TYPE, PANEL_TITLE, this.deps.extensionUri);
    const provider = defaultProvider && isVolumeFormProvider(defaultProvider) ? defaultProvider : undefined;
    return this.adopt(VOLUME_KEY, new VolumePanel(panel, this, undefined, undefined, provider));
  }

  /** Called by the serializer the extension shell registers (see src/extension.ts). */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const sessionId = webviewSessionIdOf(state);
    const stored = sessionId ? this.deps.sessions.get(sessionId) : undefined;
    const record = stored?.form === 'volume' ? stored : undefined;
    if (this.panel) {
      panel.dispose();
      return;
    }
    // As in the deploy form: an unanswered create is looked for, never offered again at once.
    const restored = sessionId ? await this.restoreSession(sessionId, VOLUME_KEY, record) : undefined;
    this.adopt(VOLUME_KEY, new VolumePanel(panel, this, sessionId, restored, undefined));
  }
}

export class VolumePanel extends FormPanel<VolumeProtocol> {
  private readonly regions = new Map<string, ProviderRegions>();

  constructor(
    panel: vscode.WebviewPanel,
    private readonly owner: VolumePanels,
    sessionId: string | undefined,
    restored: SubmitState | undefined,
    private readonly defaultProvider: string | undefined,
  ) {
    super({
      webviewPanel: panel,
      owner,
      key: VOLUME_KEY,
      protocol: volumeProtocol,
      sessionId,
      restored,
      outOfDate: 'This form is out of date. Close it and open it again.',
      requests: { loadRegions: ({ provider }) => this.loadRegions(provider) },
      commands: {
        showVolume: async ({ volumeId }) => {
          await revealVolume(owner.deps.explorer, volumeId);
        },
      },
    });
  }

  private get deps(): VolumePanelsDeps {
    return this.owner.deps;
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

  protected async buildInit(sessionId: string): Promise<Omit<VolumeInit, 'submitState'>> {
    const { data, registry } = this.deps;
    await data.teamId();
    const team = data.currentTeam();
    return buildVolumeInit({
      sessionId,
      team: team ? { id: team.teamId, name: team.teamName } : undefined,
      regions: await this.providerRegions(),
      ...(this.defaultProvider ? { defaultProvider: this.defaultProvider } : {}),
      registry,
    });
  }

  private async loadRegions(provider: string): Promise<VolumeRegions> {
    if (!isVolumeFormProvider(provider)) {
      throw new RequestFailure(`This form creates ${VOLUME_FORM_PROVIDERS.join(' and ')} volumes only.`);
    }
    const regions = await loadPricedVolumeRegions(this.deps.session.api, provider);
    this.regions.set(provider, { provider, regions });
    return regions;
  }

  protected async submit(
    sessionId: string,
    form: VolumeFormValues,
    mode: 'submit' | 'retry',
  ): Promise<SubmitState> {
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
}
