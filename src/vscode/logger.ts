import * as vscode from 'vscode';
import { logLine, type Logger } from '../core/util/logger';

/**
 * The "Spheron" log channel. Every line is scrubbed of the known secrets and collapsed to one
 * capped line before it is written.
 */
export class ChannelLogger implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly knownSecrets = new Set<string>();

  constructor(private readonly extensionId: string) {
    this.channel = vscode.window.createOutputChannel('Spheron', { log: true });
  }

  /** Registers a secret (the API key) that must never reach the log. */
  addSecret(secret: string): void {
    this.knownSecrets.add(secret);
  }

  private clean(message: string): string {
    return logLine(message, [...this.knownSecrets]);
  }

  trace(message: string): void {
    this.channel.trace(this.clean(message));
  }
  debug(message: string): void {
    this.channel.debug(this.clean(message));
  }
  info(message: string): void {
    this.channel.info(this.clean(message));
  }
  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }
  error(message: string): void {
    this.channel.error(this.clean(message));
  }

  /**
   * VS Code ignores show() for a log channel the workbench has not registered yet, which can lag
   * seconds behind a window opening; wait for the channel's own show command first.
   */
  async show(): Promise<void> {
    const showCommand = `workbench.action.output.show.${this.extensionId}.Spheron.log`;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(await vscode.commands.getCommands(true)).includes(showCommand)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
