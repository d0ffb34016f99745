import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import { createNonce, renderWebviewHtml } from '../../core/webview/html';
import { renderMessagePage } from '../../core/webview/messagePage';
import { HostChannel } from '../../shared/hostChannel';
import type {
  CommandHandlers,
  HostMessage,
  NotificationData,
  NotificationName,
  ProtocolSpec,
  RequestHandlers,
} from '../../shared/protocol';

/** The bundles esbuild writes to dist/webview (`<name>.js` and `<name>.css`). */
export type WebviewBundle = 'deploy' | 'volume';

function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

/** Scripts on, and only dist/webview readable. No retained context: state lives in getState. */
export function formWebviewOptions(
  extensionUri: vscode.Uri,
): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

export function createFormPanel(
  viewType: string,
  title: string,
  extensionUri: vscode.Uri,
): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(
    viewType,
    title,
    { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
    formWebviewOptions(extensionUri),
  );
}

/** Puts a page of text (no script) into a panel that has no form host. */
export function showMessagePage(
  panel: vscode.WebviewPanel,
  extensionUri: vscode.Uri,
  bundle: WebviewBundle,
  title: string,
  paragraphs: readonly string[],
): void {
  const webview = panel.webview;
  webview.options = formWebviewOptions(extensionUri);
  webview.html = renderMessagePage({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    styleUris: [
      webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot(extensionUri), `${bundle}.css`)).toString(),
    ],
    title,
    paragraphs,
  });
}

export interface FormPanelHostOptions<P extends ProtocolSpec> {
  readonly panel: vscode.WebviewPanel;
  readonly extensionUri: vscode.Uri;
  readonly bundle: WebviewBundle;
  readonly logger: Logger;
  readonly protocol: P;
  readonly requests: RequestHandlers<P>;
  readonly commands: CommandHandlers<P>;
  /** The webview (re)loaded and said `ready`; send `init` through `notify`. */
  readonly onReady: (sessionId: string | undefined) => Promise<void>;
}

/**
 * One form panel's plumbing: the HTML (one builder, strict CSP), the typed and validated channel,
 * and the hide/show cycle. Without retained context the page is torn down when hidden and loads
 * again when shown; it then says `ready` and gets `init` again, and restores its form itself.
 */
export class FormPanelHost<P extends ProtocolSpec> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly channel: HostChannel<P>;
  private readonly posted = new vscode.EventEmitter<HostMessage<P>>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Every message the host posts to the webview (tests follow the conversation with it). */
  readonly onDidPostMessage = this.posted.event;
  private disposed = false;

  constructor(private readonly options: FormPanelHostOptions<P>) {
    const { panel, logger, protocol } = options;
    this.panel = panel;
    this.channel = new HostChannel<P>({
      protocol,
      post: (message) => {
        this.posted.fire(message);
        return panel.webview.postMessage(message);
      },
      requests: options.requests,
      commands: options.commands,
      onReady: (sessionId) => options.onReady(sessionId),
      log: (level, text) => logger[level](text),
    });
    panel.webview.options = formWebviewOptions(options.extensionUri);
    this.disposables.push(
      this.posted,
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.channel.receive(raw)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) {
          // The page is gone until it is shown again; hold notifications until its next `ready`.
          this.channel.markNotReady();
        }
      }),
    );
    this.renderForm();
  }

  get isReady(): boolean {
    return this.channel.isReady;
  }

  private renderForm(): void {
    const webview = this.panel.webview;
    const root = webviewRoot(this.options.extensionUri);
    const { bundle } = this.options;
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, `${bundle}.js`)).toString(),
      styleUris: [webview.asWebviewUri(vscode.Uri.joinPath(root, `${bundle}.css`)).toString()],
      title: this.panel.title,
    });
  }

  /** Replaces the form with a page of text (no script), e.g. when the form cannot be restored. */
  showMessage(title: string, paragraphs: readonly string[]): void {
    this.channel.markNotReady();
    showMessagePage(this.panel, this.options.extensionUri, this.options.bundle, title, paragraphs);
  }

  /** Sends a notification now, or after the webview's next `ready`. */
  notify<N extends NotificationName<P>>(type: N, data: NotificationData<P, N>): void {
    if (!this.disposed) {
      this.channel.notify(type, data);
    }
  }

  /**
   * Handles a raw message exactly as if the webview had posted it (validation included). For
   * extension-host tests, which cannot click inside the webview.
   */
  deliver(raw: unknown): Promise<void> {
    return this.channel.receive(raw);
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    vscode.Disposable.from(...this.disposables).dispose();
    this.panel.dispose();
  }
}
