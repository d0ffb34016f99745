import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import {
  deployProtocol,
  parseDeployHostMessage,
  parseDeployWebviewMessage,
} from '../../../src/shared/deployProtocol';
import type { DeployProtocol } from '../../../src/shared/deployProtocol';
import { HostChannel } from '../../../src/shared/hostChannel';
import {
  RequestFailure,
  defineProtocol,
  handleRequest,
  parseHostMessage,
  parseRequestResult,
  parseWebviewMessage,
} from '../../../src/shared/protocol';
import type { CommandHandlers, HostMessage, RequestHandlers } from '../../../src/shared/protocol';
import {
  parseVolumeHostMessage,
  parseVolumeWebviewMessage,
  volumeProtocol,
} from '../../../src/shared/volumeProtocol';
import { RequestError, WebviewRpc } from '../../../src/webview-ui/shared/rpc';
import { deployInit, localKey, sshKey } from './fixtures';

const form = {
  name: 'h100-sxm5-7f3a',
  region: 'FIN-01',
  operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
  sshKey: { kind: 'registered', keyId: 'key-1' },
  volumeIds: [],
  packages: '',
  commands: '',
};

describe('webview protocol', () => {
  describe('webview → host', () => {
    it('accepts ready, with and without a session id', () => {
      assert.deepEqual(parseDeployWebviewMessage({ type: 'ready' }), {
        ok: true,
        message: { type: 'ready' },
      });
      assert.deepEqual(parseDeployWebviewMessage({ type: 'ready', sessionId: 's1' }), {
        ok: true,
        message: { type: 'ready', sessionId: 's1' },
      });
    });

    it('accepts a valid request and validates its params', () => {
      const parsed = parseDeployWebviewMessage({
        type: 'request',
        requestId: 'r1',
        method: 'submitDeploy',
        params: { sessionId: 's1', form },
      });
      assert.equal(parsed.ok, true);
      assert.ok(parsed.ok && parsed.message.type === 'request' && parsed.message.method === 'submitDeploy');
      if (parsed.ok && parsed.message.type === 'request' && parsed.message.method === 'submitDeploy') {
        assert.equal(parsed.message.params.form.sshKey.kind, 'registered');
      }
    });

    it('rejects bad params, unknown methods, unknown commands and non-messages with a reason', () => {
      const badParams = parseDeployWebviewMessage({
        type: 'request',
        requestId: 'r1',
        method: 'submitDeploy',
        params: { sessionId: 's1', form: { ...form, sshKey: { kind: 'registered' } } },
      });
      assert.equal(badParams.ok, false);
      assert.match(badParams.ok ? '' : badParams.error, /bad params for "submitDeploy".*form\.sshKey/);

      const unknownMethod = parseDeployWebviewMessage({
        type: 'request',
        requestId: 'r',
        method: 'deleteEverything',
        params: {},
      });
      assert.match(unknownMethod.ok ? '' : unknownMethod.error, /unknown request "deleteEverything"/);

      const inherited = parseDeployWebviewMessage({
        type: 'request',
        requestId: 'r',
        method: 'toString',
        params: {},
      });
      assert.match(inherited.ok ? '' : inherited.error, /unknown request "toString"/);

      const unknownCommand = parseDeployWebviewMessage({ type: 'command', command: 'rm', args: {} });
      assert.match(unknownCommand.ok ? '' : unknownCommand.error, /unknown command "rm"/);

      const badArgs = parseDeployWebviewMessage({
        type: 'command',
        command: 'showDeployment',
        args: { deploymentId: '' },
      });
      assert.match(badArgs.ok ? '' : badArgs.error, /bad args for "showDeployment"/);

      for (const raw of [null, 'ready', 42, { type: 'init' }, { type: 'request', method: 'submitDeploy' }]) {
        const result = parseDeployWebviewMessage(raw);
        assert.equal(result.ok, false, JSON.stringify(raw));
        assert.match(result.ok ? '' : result.error, /^deploy: /);
      }
    });

    it('accepts only the known external link targets', () => {
      const ok = parseDeployWebviewMessage({
        type: 'request',
        requestId: 'r',
        method: 'openExternal',
        params: { target: 'topUp' },
      });
      assert.equal(ok.ok, true);
      const url = parseDeployWebviewMessage({
        type: 'request',
        requestId: 'r',
        method: 'openExternal',
        params: { target: 'https://evil.example' },
      });
      assert.equal(url.ok, false);
    });

    it('validates volume form messages too', () => {
      const ok = parseVolumeWebviewMessage({
        type: 'request',
        requestId: 'r',
        method: 'createVolume',
        params: {
          sessionId: 's',
          form: { name: 'data', provider: 'data-crunch', region: 'FIN-01', sizeGb: '100' },
        },
      });
      assert.equal(ok.ok, true);
      const bad = parseVolumeWebviewMessage({
        type: 'request',
        requestId: 'r',
        method: 'createVolume',
        params: {
          sessionId: 's',
          form: { name: 'data', provider: 'data-crunch', region: 'FIN-01', sizeGb: 100 },
        },
      });
      assert.equal(bad.ok, false);
    });
  });

  describe('host → webview', () => {
    it('accepts init, update and submitState with valid data', () => {
      const init = parseDeployHostMessage({ type: 'init', data: deployInit({ localKeys: [localKey()] }) });
      assert.equal(init.ok, true);
      assert.equal(parseDeployHostMessage({ type: 'update', data: { balance: 12.5 } }).ok, true);
      assert.equal(parseDeployHostMessage({ type: 'update', data: { keys: [sshKey()] } }).ok, true);
      for (const state of [
        { kind: 'idle' },
        { kind: 'submitting', phase: 'creating', startedAtMs: 1 },
        { kind: 'created', id: 'd1', name: 'x' },
        { kind: 'unconfirmed', message: 'm', retryAllowed: false },
        { kind: 'failed', message: 'm', fieldErrors: { name: 'bad' } },
      ]) {
        assert.equal(
          parseDeployHostMessage({ type: 'submitState', data: state }).ok,
          true,
          JSON.stringify(state),
        );
      }
    });

    it('rejects bad notification data and unknown notifications', () => {
      const badInit = parseDeployHostMessage({
        type: 'init',
        data: deployInit({ balance: 'lots' as unknown as number }),
      });
      assert.match(badInit.ok ? '' : badInit.error, /bad "init" data.*balance/);
      const badState = parseDeployHostMessage({ type: 'submitState', data: { kind: 'created', id: 'd1' } });
      assert.equal(badState.ok, false);
      const unknown = parseDeployHostMessage({ type: 'explode', data: {} });
      assert.match(unknown.ok ? '' : unknown.error, /unknown notification "explode"/);
      assert.equal(parseVolumeHostMessage({ type: 'init', data: {} }).ok, false);
      assert.equal(parseDeployHostMessage(undefined).ok, false);
    });

    it('accepts responses and checks their data against the method', () => {
      const ok = parseHostMessage(deployProtocol, {
        type: 'response',
        requestId: 'r1',
        ok: true,
        data: { kind: 'idle' },
      });
      assert.equal(ok.ok, true);
      const failed = parseHostMessage(deployProtocol, {
        type: 'response',
        requestId: 'r1',
        ok: false,
        error: { message: 'nope', fieldErrors: { name: 'taken' } },
      });
      assert.equal(failed.ok, true);
      assert.equal(
        parseHostMessage(deployProtocol, { type: 'response', requestId: 'r1', ok: false }).ok,
        false,
      );
      assert.equal(parseRequestResult(deployProtocol, 'submitDeploy', { kind: 'idle' }).ok, true);
      assert.equal(parseRequestResult(deployProtocol, 'submitDeploy', { kind: 'done' }).ok, false);
      assert.equal(
        parseRequestResult(volumeProtocol, 'loadRegions', { hasAnyOffers: true, regions: [] }).ok,
        true,
      );
    });
  });

  describe('dispatch', () => {
    it('reserves the name "response"', () => {
      assert.throws(
        () =>
          defineProtocol({
            name: 'x',
            requests: {},
            commands: {},
            notifications: { response: z.object({}) },
          }),
        /reserved/,
      );
    });

    it('answers ok with data, and ok:false with the message and field errors of a throwing handler', async () => {
      const protocol = defineProtocol({
        name: 't',
        requests: { echo: { params: z.object({ text: z.string() }), result: z.string() } },
        commands: {},
        notifications: {},
      });
      assert.equal(protocol.name, 't');
      const handlers: RequestHandlers<typeof protocol> = {
        echo: ({ text }) =>
          text === 'fail'
            ? Promise.reject(new RequestFailure('Bad text', { text: 'no' }))
            : Promise.resolve(text),
      };
      assert.deepEqual(
        await handleRequest(handlers, {
          type: 'request',
          requestId: '1',
          method: 'echo',
          params: { text: 'hi' },
        }),
        {
          type: 'response',
          requestId: '1',
          ok: true,
          data: 'hi',
        },
      );
      assert.deepEqual(
        await handleRequest(handlers, {
          type: 'request',
          requestId: '2',
          method: 'echo',
          params: { text: 'fail' },
        }),
        {
          type: 'response',
          requestId: '2',
          ok: false,
          error: { message: 'Bad text', fieldErrors: { text: 'no' } },
        },
      );
    });
  });

  it('makes a missing handler a compile error', () => {
    // @ts-expect-error every request of the protocol needs a handler
    const incomplete: RequestHandlers<DeployProtocol> = {
      submitDeploy: () => Promise.resolve({ kind: 'idle' as const }),
    };
    const wrongResult: Pick<RequestHandlers<DeployProtocol>, 'refresh'> = {
      // @ts-expect-error a handler must answer the method's result type
      refresh: () => Promise.resolve('x'),
    };
    assert.equal(Object.keys(incomplete).length + Object.keys(wrongResult).length, 2);
  });

  describe('HostChannel and WebviewRpc end to end', () => {
    function wire() {
      const toWebview: HostMessage<DeployProtocol>[] = [];
      const logs: string[] = [];
      const readyCalls: (string | undefined)[] = [];
      const received: unknown[] = [];
      const requests: RequestHandlers<DeployProtocol> = {
        submitDeploy: ({ form: f }) => Promise.resolve({ kind: 'created', id: 'd1', name: f.name }),
        checkAgain: () => Promise.resolve({ kind: 'idle' }),
        retryAfterUnconfirmed: () => Promise.resolve({ kind: 'idle' }),
        uploadLocalKey: () => Promise.reject(new Error('Spheron refused the key.')),
        createLocalKey: () =>
          Promise.resolve({ local: localKey(), registered: null, registrationError: null }),
        refresh: () => Promise.resolve(null),
        // A handler that answers the wrong shape: the webview must reject it.
        openExternal: () => Promise.resolve('not null' as unknown as null),
      };
      const commands: CommandHandlers<DeployProtocol> = {
        cancel: (args) => {
          received.push(['cancel', args]);
        },
        showDeployment: (args) => {
          received.push(['showDeployment', args]);
        },
        showInstances: (args) => {
          received.push(['showInstances', args]);
        },
      };
      // The channel posts into the webview side, created just below.
      const link: { rpc?: WebviewRpc<DeployProtocol> } = {};
      const channel = new HostChannel({
        protocol: deployProtocol,
        post: (message) => {
          toWebview.push(message);
          link.rpc?.receive(message);
        },
        requests,
        commands,
        onReady: (sessionId) => {
          readyCalls.push(sessionId);
          channel.notify('init', deployInit({ sessionId: sessionId ?? 'new' }));
        },
        log: (level, text) => logs.push(`${level}: ${text}`),
      });
      const initSeen: string[] = [];
      const pendingReceives: Promise<void>[] = [];
      const rpc = new WebviewRpc({
        protocol: deployProtocol,
        postMessage: (message) => {
          pendingReceives.push(channel.receive(message));
        },
        notifications: {
          init: (data) => initSeen.push(data.sessionId),
          update: () => undefined,
          submitState: () => undefined,
        },
      });
      link.rpc = rpc;
      return {
        channel,
        rpc,
        toWebview,
        logs,
        readyCalls,
        received,
        initSeen,
        settle: () => Promise.all(pendingReceives),
      };
    }

    it('queues notifications until ready, then sends init first', async () => {
      const { channel, rpc, toWebview, readyCalls, initSeen, settle } = wire();
      channel.notify('update', { balance: 1 });
      assert.equal(toWebview.length, 0);
      rpc.ready('s1');
      await settle();
      assert.deepEqual(readyCalls, ['s1']);
      assert.deepEqual(
        toWebview.map((m) => m.type),
        ['init'],
        'messages queued before ready are replaced by the fresh init',
      );
      assert.deepEqual(initSeen, ['s1']);
      channel.notify('update', { balance: 2 });
      assert.equal(toWebview.length, 2);
    });

    it('correlates concurrent requests with their responses', async () => {
      const { rpc } = wire();
      const [a, b] = await Promise.all([
        rpc.request('submitDeploy', {
          sessionId: 's',
          form: { ...form, sshKey: { kind: 'registered', keyId: 'k' }, name: 'aaa' },
        }),
        rpc.request('submitDeploy', {
          sessionId: 's',
          form: { ...form, sshKey: { kind: 'registered', keyId: 'k' }, name: 'bbb' },
        }),
      ]);
      assert.deepEqual(a, { kind: 'created', id: 'd1', name: 'aaa' });
      assert.deepEqual(b, { kind: 'created', id: 'd1', name: 'bbb' });
      assert.equal(rpc.pendingCount, 0);
    });

    it('rejects with the host error, and on a malformed result', async () => {
      const { rpc } = wire();
      await assert.rejects(rpc.request('uploadLocalKey', { path: '/x.pub' }), (error: unknown) => {
        assert.ok(error instanceof RequestError);
        assert.equal(error.message, 'Spheron refused the key.');
        return true;
      });
      await assert.rejects(rpc.request('openExternal', { target: 'topUp' }), /unexpected answer/);
    });

    it('delivers commands and logs and drops garbage', async () => {
      const { channel, rpc, received, logs, settle } = wire();
      rpc.command('showDeployment', { deploymentId: 'd1' });
      await settle();
      assert.deepEqual(received, [['showDeployment', { deploymentId: 'd1' }]]);
      await channel.receive({ type: 'command', command: 'format-disk', args: {} });
      await channel.receive('hello');
      assert.equal(logs.length, 2);
      assert.match(logs[0] ?? '', /^warn: Dropped a webview message: deploy: unknown command "format-disk"/);
    });

    it('drops responses to unknown requests on the webview side', () => {
      const dropped: string[] = [];
      const rpc = new WebviewRpc({
        protocol: deployProtocol,
        postMessage: () => undefined,
        notifications: { init: () => undefined, update: () => undefined, submitState: () => undefined },
        onDropped: (reason) => dropped.push(reason),
      });
      rpc.receive({ type: 'response', requestId: 'nobody', ok: true, data: null });
      rpc.receive({ type: 'init', data: {} });
      assert.equal(dropped.length, 2);
      assert.match(dropped[0] ?? '', /unknown request nobody/);
    });
  });

  it('parseWebviewMessage and parseHostMessage work for any declared protocol', () => {
    assert.equal(
      parseWebviewMessage(volumeProtocol, { type: 'command', command: 'cancel', args: {} }).ok,
      true,
    );
    assert.equal(parseHostMessage(volumeProtocol, { type: 'submitState', data: { kind: 'idle' } }).ok, true);
  });
});
