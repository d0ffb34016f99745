// Host side of a webview protocol, without vscode: the panel code feeds it every raw message
// (`webview.onDidReceiveMessage`) and gives it a `post` (`webview.postMessage`). It validates,
// dispatches to the typed handlers, answers requests, holds notifications until the webview has
// said `ready`, and logs and drops anything it does not understand.
import { handleCommand, handleRequest, notification, parseWebviewMessage } from './protocol';
import type {
  CommandHandlers,
  HostMessage,
  NotificationData,
  NotificationName,
  ProtocolSpec,
  RequestHandlers,
} from './protocol';

export interface HostChannelOptions<P extends ProtocolSpec> {
  readonly protocol: P;
  readonly post: (message: HostMessage<P>) => unknown;
  readonly requests: RequestHandlers<P>;
  readonly commands: CommandHandlers<P>;
  /** The webview (re)loaded; send it `init`. Called on every `ready`, also after a reload. */
  readonly onReady: (sessionId: string | undefined) => void | Promise<void>;
  readonly log: (level: 'warn' | 'error' | 'debug', text: string) => void;
}

export class HostChannel<P extends ProtocolSpec> {
  readonly #options: HostChannelOptions<P>;
  #ready = false;
  #queue: HostMessage<P>[] = [];

  constructor(options: HostChannelOptions<P>) {
    this.#options = options;
  }

  get isReady(): boolean {
    return this.#ready;
  }

  /** The webview is gone (hidden without retained context, or disposed): queue until the next `ready`. */
  markNotReady(): void {
    this.#ready = false;
  }

  /** Sends a notification now, or when the webview is ready. */
  notify<N extends NotificationName<P>>(type: N, data: NotificationData<P, N>): void {
    const message = notification(this.#options.protocol, type, data);
    if (this.#ready) {
      this.#options.post(message);
    } else {
      this.#queue.push(message);
    }
  }

  /** Handles one raw message from the webview. Never rejects. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(this.#options.protocol, raw);
    if (!parsed.ok) {
      this.#options.log('warn', `Dropped a webview message: ${parsed.error}`);
      return;
    }
    const message = parsed.message;
    try {
      switch (message.type) {
        case 'ready': {
          this.#ready = false;
          this.#queue = [];
          await this.#options.onReady(message.sessionId);
          this.#ready = true;
          const queued = this.#queue;
          this.#queue = [];
          for (const item of queued) {
            this.#options.post(item);
          }
          return;
        }
        case 'request': {
          const response = await handleRequest(this.#options.requests, message);
          if (!response.ok) {
            this.#options.log(
              'debug',
              `${this.#options.protocol.name}.${message.method} failed: ${response.error.message}`,
            );
          }
          this.#options.post(response);
          return;
        }
        case 'command':
          await handleCommand(this.#options.commands, message);
          return;
      }
    } catch (error) {
      this.#options.log(
        'error',
        `${this.#options.protocol.name}: handling a message failed: ${String(error)}`,
      );
    }
  }
}
