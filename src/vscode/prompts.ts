import * as vscode from 'vscode';
import type { Logger } from '../core/util/logger';

/**
 * Answers an extension-host test passes after a command's target, e.g.
 * `executeCommand('spheron.instance.terminate', id, { answers: ['Terminate'] })`. Each modal the
 * command would show takes the next answer instead. Honoured only when the extension runs in
 * test mode: in normal use every confirmation is a real dialog.
 */
export interface ScriptedAnswers {
  readonly answers: readonly string[];
}

function scriptedAnswersOf(arg: unknown): string[] | undefined {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
    return undefined;
  }
  const answers = (arg as { answers?: unknown }).answers;
  return Array.isArray(answers) && answers.every((answer) => typeof answer === 'string')
    ? [...answers]
    : undefined;
}

/** The confirmations of one command run. */
export class Confirmations {
  constructor(
    private readonly scriptedAnswers: string[] | undefined,
    private readonly logger: Logger,
    private readonly confirmedElsewhere = false,
  ) {}

  /** A modal warning with the given buttons; resolves the button pressed, undefined for Cancel. */
  async modal(message: string, detail: string, ...buttons: string[]): Promise<string | undefined> {
    if (this.confirmedElsewhere) {
      this.logger.debug(`Confirmed in chat: “${message}”`);
      return buttons[0];
    }
    if (this.scriptedAnswers) {
      const answer = this.scriptedAnswers.shift();
      this.logger.debug(`Scripted answer to “${message}”: ${answer ?? 'none (cancel)'}`);
      return answer !== undefined && buttons.includes(answer) ? answer : undefined;
    }
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
  }

  /**
   * A modal for an action that ends or destroys something: the harmless `keep` button comes first,
   * so it holds the dialog's default focus and Enter never terminates or deletes (VS Code always
   * puts Cancel last and focuses the first button). Resolves `action`, or undefined.
   */
  async destructive(
    message: string,
    detail: string,
    keep: string,
    action: string,
  ): Promise<string | undefined> {
    if (this.confirmedElsewhere) {
      this.logger.debug(`Confirmed in chat: “${message}”`);
      return action;
    }
    return (await this.modal(message, detail, keep, action)) === action ? action : undefined;
  }

  /** Whether a test scripted the answers (a notification is then answered at once). */
  get scripted(): boolean {
    return this.scriptedAnswers !== undefined;
  }

  /** A notification with buttons that blocks nothing; resolves the button pressed, if any. */
  async notify(message: string, ...buttons: string[]): Promise<string | undefined> {
    if (this.scriptedAnswers) {
      const answer = this.scriptedAnswers.shift();
      this.logger.debug(`Scripted answer to “${message}”: ${answer ?? 'none (dismissed)'}`);
      return answer !== undefined && buttons.includes(answer) ? answer : undefined;
    }
    return vscode.window.showInformationMessage(message, ...buttons);
  }
}

export class Prompts {
  constructor(
    private readonly testMode: boolean,
    private readonly logger: Logger,
  ) {}

  /** Confirmations for one command run; `options` is the argument that may carry test answers. */
  for(options: unknown): Confirmations {
    if (options instanceof Confirmations) {
      return options;
    }
    const scripted = this.testMode ? scriptedAnswersOf(options) : undefined;
    return new Confirmations(scripted, this.logger);
  }

  /**
   * For a command a chat tool runs after the user confirmed in chat (prepareInvocation): each
   * modal takes its action button. Only our own code can hand this object to a command.
   */
  confirmedInChat(): Confirmations {
    return new Confirmations(undefined, this.logger, true);
  }
}
