// The Jupyter messaging protocol (5.x) as the kernel WebSocket of a Jupyter server speaks it
// (`/api/kernels/{id}/channels`, JSON frames with a `channel` field): building an execute_request,
// reading what comes back through zod, and turning iopub messages into plain cell outputs. No vscode
// here: src/vscode/jupyter/notebookKernel.ts maps these outputs onto notebook cells.
import * as z from 'zod/mini';

export const PROTOCOL_VERSION = '5.3';

const headerSchema = z.object({
  msg_id: z.string(),
  msg_type: z.string(),
  session: z.optional(z.string()),
});

/** Any message: the header and the parent's id, content read later per message type. */
const messageSchema = z.object({
  header: headerSchema,
  // Replies to nothing (the kernel's first status) have an empty parent header.
  parent_header: z.union([z.object({ msg_id: z.optional(z.string()) }), z.null()]),
  channel: z.optional(z.string()),
  content: z.record(z.string(), z.unknown()),
});
export type KernelMessage = z.output<typeof messageSchema>;

const mimeBundleSchema = z.record(z.string(), z.unknown());
const streamSchema = z.object({ name: z.enum(['stdout', 'stderr']), text: z.string() });
const dataSchema = z.object({
  data: mimeBundleSchema,
  metadata: z.optional(z.record(z.string(), z.unknown())),
  execution_count: z.optional(z.nullable(z.number())),
});
const errorSchema = z.object({
  ename: z.string(),
  evalue: z.string(),
  traceback: z.array(z.string()),
});
const statusSchema = z.object({ execution_state: z.string() });
const executeInputSchema = z.object({ execution_count: z.number() });
const executeReplySchema = z.object({
  status: z.enum(['ok', 'error', 'aborted']),
  execution_count: z.optional(z.nullable(z.number())),
});
const clearOutputSchema = z.object({ wait: z.optional(z.boolean()) });
/** What `input()` or `getpass()` asks on the stdin channel; no prompt is longer than this. */
const MAX_INPUT_PROMPT_CHARS = 2_000;
const inputRequestSchema = z.object({
  prompt: z.string(),
  password: z.optional(z.boolean()),
});

/** The Jupyter server's kernel model (`POST /api/kernels`, `GET /api/kernels/{id}`). */
export const kernelModelSchema = z.object({
  id: z.string().check(z.regex(/^[A-Za-z0-9-]{1,128}$/)),
  name: z.string(),
  execution_state: z.optional(z.string()),
});
export type KernelModel = z.output<typeof kernelModelSchema>;

/** A cell output as plain data: the notebook wiring turns it into VS Code outputs. */
export type CellOutput =
  | { readonly kind: 'stream'; readonly name: 'stdout' | 'stderr'; readonly text: string }
  | {
      readonly kind: 'data';
      /** mime type → the value as the kernel sent it (base64 text for images, objects for JSON). */
      readonly data: Readonly<Record<string, unknown>>;
      readonly metadata: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'error';
      readonly ename: string;
      readonly evalue: string;
      readonly traceback: readonly string[];
    };

/** What one message means for the execution it answers; `ignored` for everything else. */
export type ExecutionEvent =
  | { readonly kind: 'output'; readonly output: CellOutput }
  | { readonly kind: 'clear'; readonly wait: boolean }
  | { readonly kind: 'executionCount'; readonly count: number }
  | { readonly kind: 'busy' }
  | { readonly kind: 'idle' }
  /** The cell waits in `input()` (or `getpass()`, `password`) for a line from the user. */
  | {
      readonly kind: 'inputRequest';
      readonly prompt: string;
      readonly password: boolean;
      /** The request's message id, the parent of the reply. */
      readonly requestId: string;
    }
  | {
      readonly kind: 'reply';
      readonly status: 'ok' | 'error' | 'aborted';
      readonly executionCount: number | undefined;
    }
  | { readonly kind: 'ignored' };

export function newMessageId(): string {
  return `spheron-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** A frame we send: the envelope every client message shares, around its own content. */
function clientFrame(
  message: { msgId: string; msgType: string; session: string; channel: 'shell' | 'stdin' },
  parentHeader: Record<string, string>,
  content: Record<string, unknown>,
): string {
  return JSON.stringify({
    header: {
      msg_id: message.msgId,
      msg_type: message.msgType,
      username: 'spheron-vscode',
      session: message.session,
      version: PROTOCOL_VERSION,
      date: new Date().toISOString(),
    },
    parent_header: parentHeader,
    metadata: {},
    content,
    channel: message.channel,
    buffers: [],
  });
}

/**
 * The JSON frame of an execute_request on the shell channel. With `allowStdin` the kernel may ask
 * for input (an `input_request` on the stdin channel); without it `input()` raises at once.
 */
export function executeRequest(code: string, msgId: string, session: string, allowStdin = false): string {
  // The notebook wiring runs one cell at a time and stops a run after an error itself;
  // ipykernel's own stop_on_error also aborts a request sent just after a failed one.
  return clientFrame(
    { msgId, msgType: 'execute_request', session, channel: 'shell' },
    {},
    {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: allowStdin,
      stop_on_error: false,
    },
  );
}

/** The JSON frame of the line the user typed, answering the input_request `requestId`. */
export function inputReply(value: string, requestId: string, session: string): string {
  return clientFrame(
    { msgId: newMessageId(), msgType: 'input_reply', session, channel: 'stdin' },
    { msg_id: requestId, msg_type: 'input_request', session },
    { status: 'ok', value },
  );
}

/** One WebSocket frame as a message; undefined for anything that is not one (binary, malformed). */
export function parseKernelMessage(frame: unknown): KernelMessage | undefined {
  if (typeof frame !== 'string') {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return undefined;
  }
  const parsed = messageSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

export function parentId(message: KernelMessage): string | undefined {
  return message.parent_header?.msg_id;
}

/** What a message answering an execute_request means for that execution. */
export function executionEvent(message: KernelMessage): ExecutionEvent {
  const { content } = message;
  switch (message.header.msg_type) {
    case 'stream': {
      const stream = streamSchema.safeParse(content);
      return stream.success
        ? { kind: 'output', output: { kind: 'stream', ...stream.data } }
        : { kind: 'ignored' };
    }
    case 'execute_result':
    case 'display_data': {
      const data = dataSchema.safeParse(content);
      return data.success
        ? {
            kind: 'output',
            output: { kind: 'data', data: data.data.data, metadata: data.data.metadata ?? {} },
          }
        : { kind: 'ignored' };
    }
    case 'error': {
      const error = errorSchema.safeParse(content);
      return error.success
        ? { kind: 'output', output: { kind: 'error', ...error.data } }
        : { kind: 'ignored' };
    }
    case 'clear_output': {
      const clear = clearOutputSchema.safeParse(content);
      return { kind: 'clear', wait: clear.success && clear.data.wait === true };
    }
    case 'execute_input': {
      const input = executeInputSchema.safeParse(content);
      return input.success
        ? { kind: 'executionCount', count: input.data.execution_count }
        : { kind: 'ignored' };
    }
    case 'status': {
      const status = statusSchema.safeParse(content);
      if (!status.success) {
        return { kind: 'ignored' };
      }
      return status.data.execution_state === 'idle'
        ? { kind: 'idle' }
        : status.data.execution_state === 'busy'
          ? { kind: 'busy' }
          : { kind: 'ignored' };
    }
    case 'input_request': {
      const request = inputRequestSchema.safeParse(content);
      return request.success
        ? {
            kind: 'inputRequest',
            prompt: request.data.prompt.slice(0, MAX_INPUT_PROMPT_CHARS),
            password: request.data.password === true,
            requestId: message.header.msg_id,
          }
        : { kind: 'ignored' };
    }
    case 'execute_reply': {
      const reply = executeReplySchema.safeParse(content);
      return reply.success
        ? {
            kind: 'reply',
            status: reply.data.status,
            executionCount: reply.data.execution_count ?? undefined,
          }
        : { kind: 'ignored' };
    }
    default:
      return { kind: 'ignored' };
  }
}

/**
 * The text of a mime value: kernels send multi-line text either as one string or as the list of
 * its lines (nbformat's "multiline string").
 */
export function mimeText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value) && value.every((line) => typeof line === 'string')) {
    return value.join('');
  }
  return undefined;
}

/** Removes ANSI colour codes (IPython colours its tracebacks), for messages and plain-text asserts. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}
