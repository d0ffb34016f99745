// The protocol helpers on frames a kernel could send, including ones they must not trust.
import * as assert from 'node:assert/strict';
import {
  executeRequest,
  executionEvent,
  inputReply,
  mimeText,
  parentId,
  parseKernelMessage,
  stripAnsi,
} from '../../../src/core/jupyter/kernelProtocol';

function frame(msgType: string, content: unknown, parent: unknown = { msg_id: 'request-1' }): string {
  return JSON.stringify({ header: { msg_id: 'reply-1', msg_type: msgType }, parent_header: parent, content });
}

function eventOf(msgType: string, content: unknown) {
  const message = parseKernelMessage(frame(msgType, content));
  assert.ok(message, `${msgType} parses`);
  return executionEvent(message);
}

describe('Jupyter kernel protocol', () => {
  it('builds an execute_request on the shell channel that does not let the kernel abort the next cell', () => {
    const request = JSON.parse(executeRequest('print(1)', 'request-1', 'session-1')) as {
      header: { msg_id: string; msg_type: string; session: string; version: string };
      channel: string;
      content: { code: string; stop_on_error: boolean; allow_stdin: boolean };
    };
    assert.equal(request.channel, 'shell');
    assert.deepEqual(
      [request.header.msg_id, request.header.msg_type, request.header.session],
      ['request-1', 'execute_request', 'session-1'],
    );
    assert.match(request.header.version, /^5\./);
    assert.equal(request.content.code, 'print(1)');
    assert.equal(request.content.stop_on_error, false);
    assert.equal(request.content.allow_stdin, false);
    const withStdin = JSON.parse(executeRequest('input()', 'request-2', 'session-1', true)) as {
      content: { allow_stdin: boolean };
    };
    assert.equal(withStdin.content.allow_stdin, true);
  });

  it('reads an input_request (prompt capped, password flag) and answers it on the stdin channel', () => {
    assert.deepEqual(eventOf('input_request', { prompt: 'Name: ', password: false }), {
      kind: 'inputRequest',
      prompt: 'Name: ',
      password: false,
      requestId: 'reply-1',
    });
    const long = eventOf('input_request', { prompt: 'x'.repeat(5_000), password: true });
    assert.ok(long.kind === 'inputRequest');
    assert.equal(long.prompt.length, 2_000);
    assert.equal(long.password, true);
    assert.deepEqual(eventOf('input_request', { prompt: 42 }), { kind: 'ignored' });

    const reply = JSON.parse(inputReply('Ada', 'input-7', 'session-1')) as {
      header: { msg_type: string; session: string };
      parent_header: { msg_id: string };
      channel: string;
      content: { status: string; value: string };
    };
    assert.equal(reply.channel, 'stdin');
    assert.equal(reply.header.msg_type, 'input_reply');
    assert.equal(reply.header.session, 'session-1');
    assert.equal(reply.parent_header.msg_id, 'input-7');
    assert.deepEqual(reply.content, { status: 'ok', value: 'Ada' });
  });

  it('reads outputs, counts, status and replies, and ignores what it does not know or cannot trust', () => {
    assert.deepEqual(eventOf('stream', { name: 'stdout', text: '42\n' }), {
      kind: 'output',
      output: { kind: 'stream', name: 'stdout', text: '42\n' },
    });
    assert.deepEqual(eventOf('execute_result', { data: { 'text/plain': '2' }, execution_count: 3 }), {
      kind: 'output',
      output: { kind: 'data', data: { 'text/plain': '2' }, metadata: {} },
    });
    assert.deepEqual(eventOf('error', { ename: 'E', evalue: 'v', traceback: ['a', 'b'] }), {
      kind: 'output',
      output: { kind: 'error', ename: 'E', evalue: 'v', traceback: ['a', 'b'] },
    });
    assert.deepEqual(eventOf('execute_input', { code: 'x', execution_count: 7 }), {
      kind: 'executionCount',
      count: 7,
    });
    assert.deepEqual(eventOf('execute_reply', { status: 'aborted' }), {
      kind: 'reply',
      status: 'aborted',
      executionCount: undefined,
    });
    assert.deepEqual(eventOf('status', { execution_state: 'idle' }), { kind: 'idle' });
    assert.deepEqual(eventOf('status', { execution_state: 'busy' }), { kind: 'busy' });
    assert.deepEqual(eventOf('status', { execution_state: 'starting' }), { kind: 'ignored' });
    assert.deepEqual(eventOf('clear_output', { wait: true }), { kind: 'clear', wait: true });
    assert.deepEqual(eventOf('stream', { name: 'stdin', text: 'x' }), { kind: 'ignored' });
    assert.deepEqual(eventOf('error', { ename: 'E', evalue: 'v', traceback: 'not a list' }), {
      kind: 'ignored',
    });
    assert.deepEqual(eventOf('comm_open', {}), { kind: 'ignored' });
  });

  it('rejects frames that are not messages, and reads the parent of one', () => {
    assert.equal(parseKernelMessage('not json'), undefined);
    assert.equal(parseKernelMessage(new Uint8Array([1, 2])), undefined);
    assert.equal(
      parseKernelMessage(JSON.stringify({ header: {}, parent_header: {}, content: {} })),
      undefined,
    );
    const first = parseKernelMessage(frame('status', { execution_state: 'starting' }, {}));
    assert.ok(first);
    assert.equal(parentId(first), undefined);
    const reply = parseKernelMessage(frame('status', { execution_state: 'idle' }));
    assert.ok(reply);
    assert.equal(parentId(reply), 'request-1');
  });

  it('joins multi-line mime text and strips colour codes', () => {
    assert.equal(mimeText('a'), 'a');
    assert.equal(mimeText(['a\n', 'b']), 'a\nb');
    assert.equal(mimeText({ a: 1 }), undefined);
    assert.equal(mimeText([1]), undefined);
    assert.equal(stripAnsi('\u001b[0;31mZeroDivisionError\u001b[0m'), 'ZeroDivisionError');
  });
});
