import type * as vscode from 'vscode';
import type { SshKey } from '../core/domain/types';
import type { FormSessionStore } from '../core/forms/formSessions';
import type { TerminationScheduler } from '../core/deploy/terminationScheduler';
import type { ExplorerData } from '../core/explorer/explorerData';
import type { Resource } from '../core/util/resource';
import type { Session } from '../core/account/session';
import type { Settings } from '../core/settings/settings';
import type { KeyValueStore } from '../core/util/keyValueStore';
import type { ContextKeys } from './contextKeys';
import type { DeploymentWatcher } from './deploy/deploymentWatcher';
import type { Explorer } from './explorer/explorer';
import type { Guards } from './guard/guards';
import type { SpheronNotebookKernels } from './jupyter/notebookKernels';
import type { ChannelLogger } from './logger';
import type { Prompts } from './prompts';
import type { RemoteSshBridge } from './ssh/remoteSshBridge';
import type { SshService } from './ssh/sshService';
import type { DeployPanels } from './webview/deployPanel';
import type { VolumePanels } from './webview/volumePanel';

/** Everything commands and views need, built once in activate(). */
export interface Services {
  readonly context: vscode.ExtensionContext;
  /** context.globalState behind EchoSafeStore: read and write shared state through this. */
  readonly globalState: KeyValueStore;
  readonly logger: ChannelLogger;
  readonly contextKeys: ContextKeys;
  /** The `spheron.*` settings, parsed on each call (cheap; always current). */
  readonly settings: () => Settings;
  readonly session: Session;
  readonly data: ExplorerData;
  readonly explorer: Explorer;
  readonly ssh: SshService;
  readonly remoteSsh: RemoteSshBridge;
  /** Modal confirmations (scriptable by extension-host tests in test mode). */
  readonly prompts: Prompts;
  /** The team's registered SSH keys, shared by the deploy forms and the SSH key commands. */
  readonly sshKeys: Resource<SshKey[]>;
  /** "Terminate when allowed", persisted in globalState. */
  readonly terminations: TerminationScheduler;
  /** GPU telemetry, the idle guard and budget alerts. */
  readonly guards: Guards;
  /** The deploy forms and the window's deployment submission registry. */
  readonly deployPanels: DeployPanels;
  /** The create-volume form and the window's volume submission registry. */
  readonly volumePanels: VolumePanels;
  /** Progress from `deploying` to `running` after a create. */
  readonly deploymentWatcher: DeploymentWatcher;
  /** What a form needs to survive a window reload. */
  readonly formSessions: FormSessionStore;
  /** The built-in notebook kernels, used when the Jupyter extension is not installed. */
  readonly notebookKernels: SpheronNotebookKernels;
}
