// The webview message protocol (style.md §3.10), shared by the extension host and the webview
// bundles. Three kinds of message, every one validated with zod on arrival:
//   webview → host: `ready`, requests (carry a `requestId`, answered by a `response`), commands
//                   (fire-and-forget);
//   host → webview: notifications (`init`, `update`, `submitState`, …) and `response`s.
// A form declares its messages once with defineProtocol; the handler map types make a missing
// handler a compile error. No vscode and no DOM here.
import * as z from 'zod/mini';

type AnySchema = z.ZodMiniType;

export interface RequestSpec<Params extends AnySchema = AnySchema, Result extends AnySchema = AnySchema> {
  readonly params: Params;
  readonly result: Result;
}

export interface ProtocolSpec {
  /** For log lines: `deploy`, `volume`. */
  readonly name: string;
  readonly requests: Readonly<Record<string, RequestSpec>>;
  readonly commands: Readonly<Record<string, AnySchema>>;
  /** Host → webview; `response` is reserved. */
  readonly notifications: Readonly<Record<string, AnySchema>>;
}

export function defineProtocol<const P extends ProtocolSpec>(spec: P): P {
  if ('response' in spec.notifications) {
    throw new Error('"response" is reserved and cannot be a notification name.');
  }
  return spec;
}

export type RequestMethod<P extends ProtocolSpec> = keyof P['requests'] & string;
export type CommandName<P extends ProtocolSpec> = keyof P['commands'] & string;
export type NotificationName<P extends ProtocolSpec> = keyof P['notifications'] & string;
export type RequestParams<P extends ProtocolSpec, M extends RequestMethod<P>> = z.output<
  P['requests'][M]['params']
>;
export type RequestResult<P extends ProtocolSpec, M extends RequestMethod<P>> = z.output<
  P['requests'][M]['result']
>;
export type CommandArgs<P extends ProtocolSpec, C extends CommandName<P>> = z.output<P['commands'][C]>;
export type NotificationData<P extends ProtocolSpec, N extends NotificationName<P>> = z.output<
  P['notifications'][N]
>;

export interface ReadyMessage {
  readonly type: 'ready';
  /** The form session the webview restored from its state, if any. */
  readonly sessionId?: string;
}

export type RequestMessage<P extends ProtocolSpec> = {
  [M in RequestMethod<P>]: {
    readonly type: 'request';
    readonly requestId: string;
    readonly method: M;
    readonly params: RequestParams<P, M>;
  };
}[RequestMethod<P>];

export type CommandMessage<P extends ProtocolSpec> = {
  [C in CommandName<P>]: { readonly type: 'command'; readonly command: C; readonly args: CommandArgs<P, C> };
}[CommandName<P>];

export type WebviewMessage<P extends ProtocolSpec> = ReadyMessage | RequestMessage<P> | CommandMessage<P>;

export interface ResponseError {
  /** Plain words for the user. */
  readonly message: string;
  /** Messages to show next to fields, by field id. */
  readonly fieldErrors?: Readonly<Record<string, string>>;
}

export type ResponseMessage =
  | { readonly type: 'response'; readonly requestId: string; readonly ok: true; readonly data: unknown }
  | {
      readonly type: 'response';
      readonly requestId: string;
      readonly ok: false;
      readonly error: ResponseError;
    };

export type NotificationMessage<P extends ProtocolSpec> = {
  [N in NotificationName<P>]: { readonly type: N; readonly data: NotificationData<P, N> };
}[NotificationName<P>];

export type HostMessage<P extends ProtocolSpec> = NotificationMessage<P> | ResponseMessage;

export type ParseResult<T> =
  { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: string };

/** Thrown by a request handler to answer `ok: false` with field errors. */
export class RequestFailure extends Error {
  constructor(
    message: string,
    readonly fieldErrors: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'RequestFailure';
  }
}

export type RequestHandlers<P extends ProtocolSpec> = {
  readonly [M in RequestMethod<P>]: (params: RequestParams<P, M>) => Promise<RequestResult<P, M>>;
};

export type CommandHandlers<P extends ProtocolSpec> = {
  readonly [C in CommandName<P>]: (args: CommandArgs<P, C>) => void | Promise<void>;
};

export type NotificationHandlers<P extends ProtocolSpec> = {
  readonly [N in NotificationName<P>]: (data: NotificationData<P, N>) => void;
};

const requestIdSchema = z.string().check(z.minLength(1), z.maxLength(100));
const fieldErrorsSchema = z.record(z.string(), z.string());
const responseErrorSchema = z.object({ message: z.string(), fieldErrors: z.optional(fieldErrorsSchema) });

const envelopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), sessionId: z.optional(z.string().check(z.maxLength(200))) }),
  z.object({
    type: z.literal('request'),
    requestId: requestIdSchema,
    method: z.string(),
    params: z.unknown(),
  }),
  z.object({ type: z.literal('command'), command: z.string(), args: z.unknown() }),
]);

const responseSchema = z.discriminatedUnion('ok', [
  z.object({
    type: z.literal('response'),
    requestId: requestIdSchema,
    ok: z.literal(true),
    data: z.unknown(),
  }),
  z.object({
    type: z.literal('response'),
    requestId: requestIdSchema,
    ok: z.literal(false),
    error: responseErrorSchema,
  }),
]);

/** `at path.to.field: message` for the first issue. */
export function describeIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (!issue) {
    return 'invalid';
  }
  const where = issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  return `${issue.message}${where}`;
}

function own<T extends object>(record: T, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

function typeOf(raw: unknown): string {
  return typeof raw === 'object' && raw !== null && 'type' in raw ? JSON.stringify(raw.type) : 'none';
}

/** Validates a message from the webview: envelope, then the method's params or the command's args. */
export function parseWebviewMessage<P extends ProtocolSpec>(
  protocol: P,
  raw: unknown,
): ParseResult<WebviewMessage<P>> {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) {
    return {
      ok: false,
      error: `${protocol.name}: not a webview message (type ${typeOf(raw)}): ${describeIssue(envelope.error)}`,
    };
  }
  const message = envelope.data;
  switch (message.type) {
    case 'ready':
      return {
        ok: true,
        message:
          message.sessionId === undefined
            ? { type: 'ready' }
            : { type: 'ready', sessionId: message.sessionId },
      };
    case 'request': {
      if (!own(protocol.requests, message.method)) {
        return { ok: false, error: `${protocol.name}: unknown request "${message.method}"` };
      }
      const spec = protocol.requests[message.method];
      const params = spec.params.safeParse(message.params);
      if (!params.success) {
        return {
          ok: false,
          error: `${protocol.name}: bad params for "${message.method}": ${describeIssue(params.error)}`,
        };
      }
      return {
        ok: true,
        message: {
          type: 'request',
          requestId: message.requestId,
          method: message.method,
          params: params.data,
        } as RequestMessage<P>,
      };
    }
    case 'command': {
      if (!own(protocol.commands, message.command)) {
        return { ok: false, error: `${protocol.name}: unknown command "${message.command}"` };
      }
      const schema = protocol.commands[message.command];
      const args = schema.safeParse(message.args);
      if (!args.success) {
        return {
          ok: false,
          error: `${protocol.name}: bad args for "${message.command}": ${describeIssue(args.error)}`,
        };
      }
      return {
        ok: true,
        message: { type: 'command', command: message.command, args: args.data } as CommandMessage<P>,
      };
    }
  }
}

/** Validates a message from the host. A response's `data` is checked later, against its method. */
export function parseHostMessage<P extends ProtocolSpec>(
  protocol: P,
  raw: unknown,
): ParseResult<HostMessage<P>> {
  if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') {
    return { ok: false, error: `${protocol.name}: not a host message (type ${typeOf(raw)})` };
  }
  const type = (raw as { type: string }).type;
  if (type === 'response') {
    const response = responseSchema.safeParse(raw);
    return response.success
      ? { ok: true, message: response.data }
      : { ok: false, error: `${protocol.name}: bad response: ${describeIssue(response.error)}` };
  }
  if (!own(protocol.notifications, type)) {
    return { ok: false, error: `${protocol.name}: unknown notification "${type}"` };
  }
  const schema = protocol.notifications[type];
  const data = schema.safeParse((raw as { data?: unknown }).data);
  if (!data.success) {
    return { ok: false, error: `${protocol.name}: bad "${type}" data: ${describeIssue(data.error)}` };
  }
  return { ok: true, message: { type, data: data.data } as NotificationMessage<P> };
}

/** Validates a successful response's data against the method's result schema. */
export function parseRequestResult<P extends ProtocolSpec, M extends RequestMethod<P>>(
  protocol: P,
  method: M,
  data: unknown,
): ParseResult<RequestResult<P, M>> {
  const spec = protocol.requests[method];
  const result = spec.result.safeParse(data);
  return result.success
    ? { ok: true, message: result.data as RequestResult<P, M> }
    : { ok: false, error: `${protocol.name}: bad result for "${method}": ${describeIssue(result.error)}` };
}

function failureOf(error: unknown): ResponseError {
  if (error instanceof RequestFailure) {
    return Object.keys(error.fieldErrors).length > 0
      ? { message: error.message, fieldErrors: error.fieldErrors }
      : { message: error.message };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/**
 * Runs the handler for one request and returns the response to post back. A throwing handler
 * becomes `ok: false` with its message; the caller logs the detail.
 */
export async function handleRequest<P extends ProtocolSpec>(
  handlers: RequestHandlers<P>,
  message: RequestMessage<P>,
): Promise<ResponseMessage> {
  const handler = handlers[message.method] as (params: unknown) => Promise<unknown>;
  try {
    const data = await handler(message.params);
    return { type: 'response', requestId: message.requestId, ok: true, data: data ?? null };
  } catch (error) {
    return { type: 'response', requestId: message.requestId, ok: false, error: failureOf(error) };
  }
}

/** Runs the handler for one command. */
export async function handleCommand<P extends ProtocolSpec>(
  handlers: CommandHandlers<P>,
  message: CommandMessage<P>,
): Promise<void> {
  const handler = handlers[message.command] as (args: unknown) => void | Promise<void>;
  await handler(message.args);
}

/** Builds a notification with the data type its name requires. */
export function notification<P extends ProtocolSpec, N extends NotificationName<P>>(
  _protocol: P,
  type: N,
  data: NotificationData<P, N>,
): NotificationMessage<P> {
  return { type, data };
}

// Shapes several forms share.

export const submitStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('idle') }),
  z.object({
    kind: z.literal('submitting'),
    phase: z.enum(['creating', 'checking']),
    startedAtMs: z.number(),
  }),
  z.object({ kind: z.literal('created'), id: z.string(), name: z.string() }),
  z.object({
    kind: z.literal('unconfirmed'),
    message: z.string(),
    retryAllowed: z.boolean(),
    checkedAtMs: z.optional(z.number()),
  }),
  z.object({ kind: z.literal('failed'), message: z.string(), fieldErrors: fieldErrorsSchema }),
]);
export type SubmitStateMessage = z.output<typeof submitStateSchema>;

export const emptyArgsSchema = z.object({});
export const nullResultSchema = z.null();
export const sessionParamsSchema = z.object({ sessionId: z.string().check(z.minLength(1)) });

/** Pages the forms may open. The host maps them to fixed URLs; the webview never sends a URL. */
export const EXTERNAL_LINKS = {
  topUp: 'https://app.spheron.ai',
  billing: 'https://docs.spheron.ai/billing',
  instanceTypes: 'https://docs.spheron.network/concepts',
  sshKeys: 'https://docs.spheron.ai/security',
} as const;
export type ExternalLinkTarget = keyof typeof EXTERNAL_LINKS;
export const externalLinkSchema = z.enum(
  Object.keys(EXTERNAL_LINKS) as [ExternalLinkTarget, ...ExternalLinkTarget[]],
);
