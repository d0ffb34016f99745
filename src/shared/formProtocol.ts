// What every form's protocol has (a submit with exactly-once follow-ups, `init`/`update`/
// `submitState`, Close, the fixed external pages), so a form declares only what is its own.
// See protocol.ts for the envelope. No vscode and no DOM here.
import * as z from 'zod/mini';
import {
  defineProtocol,
  emptyArgsSchema,
  externalLinkSchema,
  nullResultSchema,
  parseHostMessage,
  parseWebviewMessage,
  sessionParamsSchema,
  submitStateSchema,
} from './protocol';
import type { HostMessage, ParseResult, ProtocolSpec, RequestSpec, WebviewMessage } from './protocol';

type AnySchema = z.ZodMiniType;

const sessionIdSchema = z.string().check(z.minLength(1));

/** `{ sessionId, form }`: what a submit and a "Try again" send. */
function formParamsSchema<F extends AnySchema>(form: F) {
  return z.object({ sessionId: sessionIdSchema, form });
}
type FormParamsSchema<F extends AnySchema> = ReturnType<typeof formParamsSchema<F>>;

export type FormRequests<S extends string, F extends AnySchema> = {
  /** Validate, build the body and create once. Answers the resulting state. */
  readonly [K in S]: RequestSpec<FormParamsSchema<F>, typeof submitStateSchema>;
} & {
  /** "Check again" while unconfirmed. */
  readonly checkAgain: RequestSpec<typeof sessionParamsSchema, typeof submitStateSchema>;
  /** "Try again" after a check found nothing. */
  readonly retryAfterUnconfirmed: RequestSpec<FormParamsSchema<F>, typeof submitStateSchema>;
  readonly openExternal: RequestSpec<
    z.ZodMiniObject<{ target: typeof externalLinkSchema }>,
    typeof nullResultSchema
  >;
};

export interface FormProtocolInput<
  Name extends string,
  S extends string,
  F extends AnySchema,
  I extends AnySchema,
  U extends AnySchema,
  R extends Readonly<Record<string, RequestSpec>>,
  C extends Readonly<Record<string, AnySchema>>,
> {
  /** For log lines: `deploy`, `volume`. */
  readonly name: Name;
  /** The request that creates (kept per form: `submitDeploy`, `createVolume`). */
  readonly submitMethod: S;
  /** The form's values as the webview sends them. */
  readonly form: F;
  /** Everything the form shows, sent on each `ready`. */
  readonly init: I;
  /** Parts of `init` that changed. */
  readonly update: U;
  /** The form's own requests. */
  readonly requests: R;
  /** The form's own commands (Close is common). */
  readonly commands: C;
}

/** Declares a form's protocol: the common messages plus the form's own. */
export function defineFormProtocol<
  const Name extends string,
  const S extends string,
  F extends AnySchema,
  I extends AnySchema,
  U extends AnySchema,
  const R extends Readonly<Record<string, RequestSpec>>,
  const C extends Readonly<Record<string, AnySchema>>,
>(input: FormProtocolInput<Name, S, F, I, U, R, C>) {
  const formParams = formParamsSchema(input.form);
  const common = {
    [input.submitMethod]: { params: formParams, result: submitStateSchema },
    checkAgain: { params: sessionParamsSchema, result: submitStateSchema },
    retryAfterUnconfirmed: { params: formParams, result: submitStateSchema },
    openExternal: { params: z.object({ target: externalLinkSchema }), result: nullResultSchema },
  } as FormRequests<S, F>;
  return defineProtocol({
    name: input.name,
    submitMethod: input.submitMethod,
    formSchema: input.form,
    requests: { ...common, ...input.requests },
    commands: { cancel: emptyArgsSchema, ...input.commands },
    notifications: { init: input.init, update: input.update, submitState: submitStateSchema },
  });
}

/** What generic form code may rely on in any form's protocol. */
export interface FormProtocol {
  readonly name: string;
  readonly submitMethod: string;
  readonly formSchema: AnySchema;
  readonly requests: Readonly<Record<string, RequestSpec>> & {
    readonly checkAgain: RequestSpec<typeof sessionParamsSchema, typeof submitStateSchema>;
    readonly retryAfterUnconfirmed: RequestSpec<AnySchema, typeof submitStateSchema>;
  };
  readonly commands: { readonly cancel: typeof emptyArgsSchema } & Readonly<Record<string, AnySchema>>;
  readonly notifications: {
    readonly init: AnySchema;
    readonly update: AnySchema;
    readonly submitState: typeof submitStateSchema;
  };
}

/** The validating parsers of both directions, for tests and logs. */
export function formMessageParsers<P extends ProtocolSpec>(protocol: P) {
  return {
    webview: (raw: unknown): ParseResult<WebviewMessage<P>> => parseWebviewMessage(protocol, raw),
    host: (raw: unknown): ParseResult<HostMessage<P>> => parseHostMessage(protocol, raw),
  };
}

/** Compile-time check that a form's message schema and its core type are the same shape. */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
