import { hostname } from 'node:os';
import * as vscode from 'vscode';
import { AuthError } from '../../core/api/errors';
import type { OfferGroup, SshKey, Volume } from '../../core/domain/types';
import { deployCost, minimumRuntimeOf } from '../../core/deploy/cost';
import type { DeployFormValues } from '../../core/deploy/deployForm';
import type { DeploySubmissionRegistry } from '../../core/deploy/deploySubmission';
import { submitDeployForm } from '../../core/deploy/deploySubmission';
import type { SubmitState } from '../../core/forms/exactlyOnce';
import { webviewSessionIdOf, type FormSessionStore } from '../../core/forms/formSessions';
import {
  findOfferInCatalogue,
  isDeployableOffer,
  offerKey,
  type CatalogueOffer,
  type OfferRef,
} from '../../core/deploy/offerPicks';
import type { ExplorerData } from '../../core/explorer/explorerData';
import { generateLocalKey, planKeyGeneration } from '../../core/keys/keygen';
import { runKeygenProgram } from '../../core/keys/runProgram';
import { findLocalPublicKeys, findRegisteredKey, matchLocalKeys } from '../../core/keys/localKeys';
import { localKeyAt, registerLocalKey } from '../../core/keys/registerKey';
import type { Logger } from '../../core/util/logger';
import { burnRatePerHour } from '../../core/model/costs';
import type { Resource } from '../../core/util/resource';
import type { Session } from '../../core/account/session';
import { buildDeployInit, localKeyMessage, namedInstances } from '../../core/deploy/deployInit';
import { pricePerHourWithAddon } from '../../core/deploy/kubernetesAddon';
import {
  kubernetesAddonChoiceOf,
  kubernetesAddonLogText,
  loadKubernetesAddonFormInit,
} from '../../core/deploy/kubernetesAddonForm';
import {
  deployProtocol,
  type CreatedKeyMessage,
  type DeployInit,
  type DeployProtocol,
} from '../../shared/deployProtocol';
import { RequestFailure } from '../../shared/protocol';
import type { DeploymentWatcher } from '../deploy/deploymentWatcher';
import { revealInstance } from '../deploy/reveal';
import type { Explorer } from '../explorer/explorer';
import { FormPanel, FormPanels } from './formPanels';
import { createFormPanel } from './panelHost';

export const DEPLOY_VIEW_TYPE = 'spheron.deploy';

export interface DeployPanelsDeps {
  readonly extensionUri: vscode.Uri;
  readonly logger: Logger;
  readonly session: Session;
  readonly data: ExplorerData;
  readonly explorer: Explorer;
  readonly sshKeys: Resource<SshKey[]>;
  readonly watcher: DeploymentWatcher;
  readonly sessions: FormSessionStore;
  readonly registry: DeploySubmissionRegistry;
  /** `~/.ssh` lives here (the SSH service's home; tests use a temporary one). */
  readonly homeDir: string;
}

function panelTitle(found: CatalogueOffer): string {
  return `Deploy ${found.group.displayName} · ${found.offer.provider}`;
}

/**
 * Every deploy form: one panel per offer, one submission registry for the window, restored after
 * a reload by the serializer. The registry is the only path to `createDeployment`.
 */
export class DeployPanels extends FormPanels<DeployPanel> {
  constructor(readonly deps: DeployPanelsDeps) {
    super({
      extensionUri: deps.extensionUri,
      logger: deps.logger,
      sessions: deps.sessions,
      registry: deps.registry,
      bundle: 'deploy',
      noun: 'Deployment',
      formLabel: 'Deploy form',
      teamId: () => deps.data.teamId(),
      onCreated: (sessionId, created) => this.created(sessionId, created),
    });
  }

  get registry(): DeploySubmissionRegistry {
    return this.deps.registry;
  }

  /** The open form for this offer. */
  override get(ref: OfferRef | string): DeployPanel | undefined {
    return super.get(typeof ref === 'string' ? ref : offerKey(ref));
  }

  /** Opens the form for an offer, or reveals the one already open. */
  async open(ref: OfferRef): Promise<DeployPanel> {
    const existing = this.revealed(offerKey(ref));
    if (existing) {
      return existing;
    }
    if (!(await this.deps.session.state()).signedIn) {
      throw new AuthError(401, 'deploy form', undefined, 'missing');
    }
    const found = await this.findOffer(ref);
    if (!found) {
      throw new Error(
        `Offer ${ref.offerId} (${ref.provider}) is not in the Spheron catalogue any more. Refresh the Offers view and pick another.`,
      );
    }
    if (!isDeployableOffer(found.offer)) {
      throw new Error(
        `${found.group.displayName} on ${found.offer.provider} cannot be deployed now: the provider has it ${found.offer.maintenance ? 'under maintenance' : 'marked unavailable'}.`,
      );
    }
    const again = this.revealed(offerKey(ref));
    if (again) {
      return again;
    }
    const panel = createFormPanel(DEPLOY_VIEW_TYPE, panelTitle(found), this.deps.extensionUri);
    // A form closed while its create was still out comes back with that submit, not a fresh form
    // whose Deploy would send a second create.
    return this.adoptPanel(panel, found, this.unfinishedSessionFor(offerKey(ref)), undefined);
  }

  /**
   * The offer entry, from the loaded catalogue, else the catalogue loaded now, else (the Offers
   * view may be filtered by a search, or stale) a fresh unfiltered catalogue.
   */
  private async findOffer(ref: OfferRef): Promise<CatalogueOffer | undefined> {
    const offers = this.deps.data.offers;
    const inLoaded = () => findOfferInCatalogue(offers.state.value?.groups ?? [], ref);
    let found = inLoaded();
    if (found) {
      return found;
    }
    if (!offers.state.value) {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Loading the GPU catalogue…' },
        () => offers.refresh(),
      );
      found = inLoaded();
      if (found) {
        return found;
      }
    }
    const fresh: readonly OfferGroup[] = (
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Looking for the offer…' },
        () => this.deps.session.api.listAllGpuOffers({}),
      )
    ).groups;
    return findOfferInCatalogue(fresh, ref);
  }

  /** Called by the serializer the extension shell registers (see src/extension.ts). */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const sessionId = webviewSessionIdOf(state);
    const record = sessionId ? this.deps.sessions.get(sessionId) : undefined;
    const ref = record?.form === 'deploy' ? record.offer : undefined;
    if (!sessionId || !record || !ref) {
      this.orphan(panel, 'This deploy form cannot be restored', [
        'The window reloaded and this form no longer knows which offer it was for.',
        'Close this tab and open the form again from an offer in the Offers view (“Deploy…”).',
      ]);
      return;
    }
    let found: CatalogueOffer | undefined;
    try {
      found = await this.findOffer(ref);
    } catch (error) {
      this.deps.logger.warn(`Restoring a deploy form: loading the catalogue failed: ${String(error)}`);
      this.orphan(panel, 'This deploy form cannot be restored now', [
        `The GPU catalogue could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
        'Close this tab and open the form again from the Offers view when Spheron can be reached.',
      ]);
      return;
    }
    if (
      !found ||
      (!isDeployableOffer(found.offer) && record.created === undefined && record.pending === undefined)
    ) {
      this.orphan(panel, 'This offer is no longer available', [
        `Offer ${ref.offerId} from ${ref.provider} is ${found ? 'not deployable right now (maintenance or unavailable)' : 'no longer in the Spheron catalogue'}, so this form cannot be restored.`,
        'Nothing was deployed from this form. Pick another offer in the Offers view.',
      ]);
      return;
    }
    if (this.get(ref)) {
      this.orphan(panel, 'This form is already open', [
        'The deploy form for this offer is open in another tab.',
      ]);
      return;
    }
    panel.title = panelTitle(found);
    const restored = await this.restoreSession(sessionId, offerKey(ref), record);
    this.adoptPanel(panel, found, sessionId, restored);
  }

  private adoptPanel(
    panel: vscode.WebviewPanel,
    found: CatalogueOffer,
    sessionId: string | undefined,
    restored: SubmitState | undefined,
  ): DeployPanel {
    const ref: OfferRef = {
      provider: found.offer.provider,
      offerId: found.offer.offerId,
      gpuType: found.group.gpuType,
    };
    return this.adopt(offerKey(ref), new DeployPanel(panel, this, found, ref, sessionId, restored));
  }

  /** Refreshes the Instances view and watches what the session created. */
  private created(sessionId: string, state: Extract<SubmitState, { kind: 'created' }>): void {
    void this.deps.explorer.refresh('instances');
    // The form's offer, for the minimum charge the watcher states; gone if the panel closed.
    const offer = this.panelFor(sessionId)?.found.offer;
    const minutes = offer ? minimumRuntimeOf(offer) : undefined;
    const minimum =
      offer && minutes !== undefined
        ? {
            minutes,
            charge: deployCost({
              pricePerHour: pricePerHourWithAddon(
                offer,
                this.deps.registry.formOf(sessionId)?.kubernetesAddon?.enabled === true,
              ),
              minimumRuntimeMinutes: minutes,
              balance: undefined,
            }).minimumCharge,
          }
        : undefined;
    void this.deps.watcher.watch(state.id, state.name, minimum);
  }
}

/** One deploy form: its webview, its session and the data it shows. */
export class DeployPanel extends FormPanel<DeployProtocol> {
  private initTeamId: string | undefined;
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(
    panel: vscode.WebviewPanel,
    private readonly owner: DeployPanels,
    readonly found: CatalogueOffer,
    readonly ref: OfferRef,
    sessionId: string | undefined,
    /** After a reload: what the session record says happened before. */
    restored: SubmitState | undefined,
  ) {
    super({
      webviewPanel: panel,
      owner,
      key: offerKey(ref),
      protocol: deployProtocol,
      sessionId,
      restored,
      outOfDate: 'This form is out of date. Close it and open it again from the offer.',
      requests: {
        uploadLocalKey: ({ path }) => this.uploadLocalKey(path),
        createLocalKey: () => this.createLocalKey(),
        refresh: async () => {
          await this.reload();
          return null;
        },
      },
      commands: {
        showDeployment: async ({ deploymentId }) => {
          await revealInstance(owner.deps.explorer, deploymentId);
        },
        showInstances: async () => {
          await vscode.commands.executeCommand('spheron.instances.focus');
          await owner.deps.explorer.refresh('instances');
        },
      },
    });
    const { data, sshKeys } = owner.deps;
    this.subscriptions.push(
      data.balance.onDidChange((state) => {
        if (!state.loading && state.value) {
          this.balanceChanged();
        }
      }),
      data.volumes.onDidChange((state) => {
        if (!state.loading && state.value) {
          this.host.notify('update', { volumes: state.value, burnPerHour: this.currentBurn() });
        }
      }),
      data.deployments.onDidChange((state) => {
        if (!state.loading && state.value) {
          this.host.notify('update', {
            burnPerHour: this.currentBurn(),
            instances: namedInstances(state.value),
          });
        }
      }),
      sshKeys.onDidChange((state) => {
        if (!state.loading && state.value) {
          void this.keysChanged(state.value);
        }
      }),
    );
  }

  get offer() {
    return this.found.offer;
  }

  private get deps(): DeployPanelsDeps {
    return this.owner.deps;
  }

  protected override sessionRecord() {
    return { offer: this.ref };
  }

  protected async buildInit(sessionId: string): Promise<Omit<DeployInit, 'submitState'>> {
    const { data, homeDir } = this.deps;
    await data.teamId();
    const team = data.currentTeam();
    const [keys, volumes, locals, kubernetesAddon] = await Promise.all([
      this.keys(),
      this.volumes(),
      findLocalPublicKeys(homeDir),
      this.kubernetesAddonInit(),
    ]);
    const keygenPlan =
      locals.length === 0 ? await planKeyGeneration(homeDir).catch(() => undefined) : undefined;
    this.initTeamId = team?.teamId;
    return buildDeployInit({
      sessionId,
      offer: this.found.offer,
      group: this.found.group,
      team: team ? { id: team.teamId, name: team.teamName } : { id: '', name: 'no team (sign in first)' },
      balance: team?.balance,
      burnPerHour: this.currentBurn(),
      keys,
      localKeys: matchLocalKeys(locals, keys),
      keygenPlan,
      volumes,
      deployments: data.deployments.state.value ?? [],
      registry: this.deps.registry,
      kubernetesAddon,
    });
  }

  /** The add-on's versions for an offer that carries it; a failed call falls back (logged). */
  private kubernetesAddonInit() {
    const { session, logger } = this.deps;
    return loadKubernetesAddonFormInit(this.found.offer, (provider) =>
      session.api.listKubernetesVersions(provider),
    ).then((init) => {
      if (init?.versionsNote) {
        logger.warn(`Deploy form: ${init.versionsNote}`);
      }
      return init;
    });
  }

  /** The team's SSH keys; an empty list (logged) when they cannot be loaded. */
  private async keys(refresh = false): Promise<SshKey[]> {
    const { sshKeys, logger } = this.deps;
    if (refresh || !sshKeys.state.value) {
      await sshKeys.refresh();
    }
    if (!sshKeys.state.value && sshKeys.state.error) {
      const error = sshKeys.state.error;
      logger.warn(`Loading SSH keys failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
    return sshKeys.state.value ?? [];
  }

  private async volumes(): Promise<Volume[]> {
    const { data } = this.deps;
    if (!data.volumes.state.value) {
      await data.volumes.refresh();
    }
    return data.volumes.state.value ?? [];
  }

  private balanceChanged(): void {
    const team = this.deps.data.currentTeam();
    if (this.sessionId && team?.teamId !== this.initTeamId) {
      // Another team: its name, balance and volumes differ; start the form's data over.
      this.sendInit().catch((error: unknown) =>
        this.deps.logger.warn(`Deploy form: reloading failed: ${String(error)}`),
      );
      return;
    }
    this.host.notify('update', { balance: team?.balance ?? null, burnPerHour: this.currentBurn() });
  }

  /** The team's burn now, the same figure as the status bar's. */
  private currentBurn(): number {
    const { data } = this.deps;
    return burnRatePerHour(data.deployments.state.value ?? [], data.volumes.state.value ?? []);
  }

  private async keysChanged(keys: readonly SshKey[]): Promise<void> {
    const locals = await findLocalPublicKeys(this.deps.homeDir);
    const keygenPlan =
      locals.length === 0 ? await planKeyGeneration(this.deps.homeDir).catch(() => undefined) : undefined;
    this.host.notify('update', {
      keys,
      localKeys: matchLocalKeys(locals, keys).map(localKeyMessage),
      keygen: keygenPlan ? { command: keygenPlan.displayCommand, keyPath: keygenPlan.keyPath } : null,
    });
  }

  /** Balance, keys and volumes again; they reach the form as `update`s through the listeners. */
  private async reload(): Promise<void> {
    const { data, sshKeys } = this.deps;
    await Promise.all([data.balance.refresh(), sshKeys.refresh(), data.volumes.refresh()]);
  }

  protected async submit(
    sessionId: string,
    form: DeployFormValues,
    mode: 'submit' | 'retry',
  ): Promise<SubmitState> {
    const { data, registry, session, logger } = this.deps;
    const submission = registry.session(sessionId);
    const startable =
      !submission.busy && (submission.state.kind === 'idle' || submission.state.kind === 'failed');
    const teamId = await data.teamId();
    if (!teamId) {
      throw new RequestFailure(
        'No Spheron team is available: sign in, then pick a team (Spheron: Switch Team…).',
      );
    }
    if (startable && mode === 'submit') {
      const refusal = await this.balanceRefusal(form);
      if (refusal) {
        logger.info(`Deploy refused before sending: ${refusal}`);
        return submission.fail(refusal);
      }
    }
    let keys = await this.keys();
    if (form.sshKey.kind === 'registered') {
      const keyId = form.sshKey.keyId;
      if (!keys.some((key) => key.id === keyId)) {
        keys = await this.keys(true);
      }
    }
    const volumes = await this.volumes();
    // The OIDC text itself stays out of the log; its size is enough to follow a create.
    const addonLog = kubernetesAddonLogText(form.kubernetesAddon);
    if (startable && addonLog) {
      logger.info(`Deploy form: ${addonLog}`);
    }
    return submitDeployForm(
      {
        registry,
        api: session.api,
        sessionId,
        form,
        offer: this.found.offer,
        groupGpuType: this.found.group.gpuType,
        teamId,
        registeredKeyIds: keys.map((key) => key.id),
        volumes,
        kubernetesAddon: kubernetesAddonChoiceOf(form.kubernetesAddon),
      },
      mode,
    );
  }

  /** Why the balance cannot pay, checked against a fresh balance; undefined when it can. */
  private async balanceRefusal(form: DeployFormValues): Promise<string | undefined> {
    const { data } = this.deps;
    const check = () =>
      deployCost({
        pricePerHour: pricePerHourWithAddon(this.found.offer, form.kubernetesAddon?.enabled === true),
        minimumRuntimeMinutes: minimumRuntimeOf(this.found.offer),
        balance: data.currentTeam()?.balance,
        currentBurnPerHour: this.currentBurn(),
      });
    if (check().canAfford) {
      return undefined;
    }
    await data.balance.refresh();
    return check().reason;
  }

  private async uploadLocalKey(keyPath: string): Promise<SshKey> {
    const { homeDir, session, data, sshKeys, logger } = this.deps;
    const local = await localKeyAt(homeDir, keyPath).catch((error: unknown) => {
      throw new RequestFailure(error instanceof Error ? error.message : String(error));
    });
    const registered = await this.keys(true);
    const result = await registerLocalKey({
      api: session.api,
      local,
      registered,
      teamId: await data.teamId(),
      hostName: hostname(),
    });
    if (!result.alreadyRegistered) {
      logger.info(`Registered SSH key “${result.key.name}” (${local.fingerprint}) from ${local.path}`);
      sshKeys.set([...registered.filter((key) => key.id !== result.key.id), result.key]);
    }
    return result.key;
  }

  /** Creates a key pair, then registers it so the form can name it (the form asked first). */
  private async createLocalKey(): Promise<CreatedKeyMessage> {
    const { homeDir, logger } = this.deps;
    const local = await generateLocalKey({ home: homeDir, execFile: runKeygenProgram });
    logger.info(`Created SSH key ${local.path} (${local.fingerprint}) with ssh-keygen`);
    try {
      const key = await this.uploadLocalKey(local.path);
      return { local: localKeyMessage({ local, registered: key }), registered: key, registrationError: null };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn(`Registering the new SSH key ${local.path} failed: ${reason}`);
      const registered = this.deps.sshKeys.state.value ?? [];
      return {
        local: localKeyMessage({ local, registered: findRegisteredKey(local, registered) }),
        registered: null,
        registrationError: reason,
      };
    }
  }

  protected override onDispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}
