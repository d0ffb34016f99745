// Webview side of a protocol (src/shared/protocol.ts): sends `ready`, correlates requests with
// their responses through a map of pending promises, validates what the host sends and hands
// notifications to typed handlers. No DOM here, so it is tested in plain Node.
import { parseHostMessage, parseRequestResult } from '../../shared/protocol';
import type {
  CommandArgs,
  CommandName,
  NotificationHandlers,
  ProtocolSpec,
  RequestMethod,
  RequestParams,
  RequestResult,
  ResponseError,
  ResponseMessage,
} from '../../shared/protocol';

/** A request the host answered with `ok: false`, or whose answer was malformed. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly fieldErrors: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

interface Pending {
  readonly method: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export interface WebviewRpcOptions<P extends ProtocolSpec> {
  readonly protocol: P;
  readonly postMessage: (message: unknown) => void;
  readonly notifications: NotificationHandlers<P>;
  /** Where dropped messages are reported (the console in the page). */
  readonly onDropped?: (reason: string) => void;
  /** Request ids; injectable for tests. */
  readonly newId?: () => string;
}

function randomPrefix(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : String(Math.random()).slice(2);
}

export class WebviewRpc<P extends ProtocolSpec> {
  readonly #options: WebviewRpcOptions<P>;
  readonly #pending = new Map<string, Pending>();
  readonly #idPrefix = randomPrefix();
  #sent = 0;

  constructor(options: WebviewRpcOptions<P>) {
    this.#options = options;
  }

  #nextId(): string {
    this.#sent += 1;
    return this.#options.newId?.() ?? `${this.#idPrefix}-${this.#sent}`;
  }

  /** Requests still waiting for an answer. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Tells the host the page is listening; it answers with `init`. */
  ready(sessionId: string | undefined): void {
    this.#options.postMessage(sessionId === undefined ? { type: 'ready' } : { type: 'ready', sessionId });
  }

  request<M extends RequestMethod<P>>(method: M, params: RequestParams<P, M>): Promise<RequestResult<P, M>> {
    const requestId = this.#nextId();
    return new Promise<RequestResult<P, M>>((resolve, reject) => {
      this.#pending.set(requestId, { method, resolve: resolve, reject });
      this.#options.postMessage({ type: 'request', requestId, method, params });
    });
  }

  command<C extends CommandName<P>>(command: C, args: CommandArgs<P, C>): void {
    this.#options.postMessage({ type: 'command', command, args });
  }

  /** Feed every `message` event's data here. */
  receive(raw: unknown): void {
    const parsed = parseHostMessage(this.#options.protocol, raw);
    if (!parsed.ok) {
      this.#options.onDropped?.(parsed.error);
      return;
    }
    const message = parsed.message;
    if (isResponse(message)) {
      const pending = this.#pending.get(message.requestId);
      if (!pending) {
        this.#options.onDropped?.(`response to unknown request ${message.requestId}`);
        return;
      }
      this.#pending.delete(message.requestId);
      if (!message.ok) {
        pending.reject(toRequestError(message.error));
        return;
      }
      const result = parseRequestResult(
        this.#options.protocol,
        pending.method as RequestMethod<P>,
        message.data,
      );
      if (result.ok) {
        pending.resolve(result.message);
      } else {
        pending.reject(new RequestError(`The extension sent an unexpected answer (${result.error}).`));
      }
      return;
    }
    const handler = this.#options.notifications[message.type] as (data: unknown) => void;
    handler(message.data);
  }
}

function isResponse(message: { readonly type: string }): message is ResponseMessage {
  return message.type === 'response';
}

function toRequestError(error: ResponseError): RequestError {
  return new RequestError(error.message, error.fieldErrors ?? {});
}
