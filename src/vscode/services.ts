import type * as vscode from 'vscode';
import type { ExplorerData } from '../core/explorerData';
import type { Session } from '../core/session';
import type { Settings } from '../core/settings';
import type { ContextKeys } from './contextKeys';
import type { Explorer } from './explorer/explorer';
import type { ChannelLogger } from './logger';
import type { RemoteSshBridge } from './ssh/remoteSshBridge';
import type { SshService } from './ssh/sshService';

/** Everything commands and views need, built once in activate(). */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly logger: ChannelLogger;
  readonly contextKeys: ContextKeys;
  /** The `spheron.*` settings, parsed on each call (cheap; always current). */
  readonly settings: () => Settings;
  readonly session: Session;
  readonly data: ExplorerData;
  readonly explorer: Explorer;
  readonly ssh: SshService;
  readonly remoteSsh: RemoteSshBridge;
}
