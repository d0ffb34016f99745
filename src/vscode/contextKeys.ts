import * as vscode from 'vscode';

/** Every context key the extension sets, with its default. The only caller of `setContext`. */
const DEFAULTS = {
  'spheron.authenticated': false,
  'spheron.loaded': false,
  'spheron.showEndedInstances': false,
  'spheron.offerFiltersActive': false,
  /** The first instances/volumes list arrived: an empty view now really means "none". */
  'spheron.instancesLoaded': false,
  'spheron.volumesLoaded': false,
  /** An instance of the team is running: completes the walkthrough's Deploy step. */
  'spheron.hasRunningInstance': false,
  /** A "terminate when allowed" is pending: Cancel Scheduled Termination has something to cancel. */
  'spheron.hasScheduledTermination': false,
} as const;

export type ContextKey = keyof typeof DEFAULTS;

export class ContextKeys {
  private readonly values = new Map<ContextKey, boolean>();

  async initialise(): Promise<void> {
    await Promise.all(Object.entries(DEFAULTS).map(([key, value]) => this.set(key as ContextKey, value)));
  }

  get(key: ContextKey): boolean {
    return this.values.get(key) ?? DEFAULTS[key];
  }

  async set(key: ContextKey, value: boolean): Promise<void> {
    if (this.values.get(key) === value) {
      return;
    }
    this.values.set(key, value);
    await vscode.commands.executeCommand('setContext', key, value);
  }
}
