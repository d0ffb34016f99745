// The form framework's shared parts, as a third form would use them: its protocol gets the
// common messages from defineFormProtocol, and its state the submit discipline from formState.
import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { defineFormProtocol, formMessageParsers } from '../../../src/shared/formProtocol';
import { deployProtocol } from '../../../src/shared/deployProtocol';
import { volumeProtocol } from '../../../src/shared/volumeProtocol';
import {
  emptySubmitSlice,
  isFormLocked,
  persistedFormStateSchema,
  reduceSubmit,
  shownFieldErrors,
  startingValues,
  submitBarView,
  submitSliceOf,
  touchFields,
} from '../../../src/webview-ui/shared/formState';

/** A made-up third form: a name and a node count, plus one request of its own. */
const addonForm = z.object({ name: z.string(), nodes: z.string() });
const addonProtocol = defineFormProtocol({
  name: 'addon',
  submitMethod: 'enableAddon',
  form: addonForm,
  init: z.object({ sessionId: z.string(), label: z.string() }),
  update: z.object({ label: z.optional(z.string()) }),
  requests: { listVersions: { params: z.object({}), result: z.array(z.string()) } },
  commands: { showCluster: z.object({ clusterId: z.string() }) },
});
const addon = formMessageParsers(addonProtocol);

describe('form framework: the protocol helper', () => {
  it('gives a form the common requests, commands and notifications, and keeps its own', () => {
    assert.deepEqual(Object.keys(addonProtocol.requests).sort(), [
      'checkAgain',
      'enableAddon',
      'listVersions',
      'openExternal',
      'retryAfterUnconfirmed',
    ]);
    assert.deepEqual(Object.keys(addonProtocol.commands).sort(), ['cancel', 'showCluster']);
    assert.deepEqual(Object.keys(addonProtocol.notifications).sort(), ['init', 'submitState', 'update']);
    assert.equal(addonProtocol.submitMethod, 'enableAddon');
  });

  it('validates the submit, the follow-ups and the form’s own messages', () => {
    const submit = addon.webview({
      type: 'request',
      requestId: 'r1',
      method: 'enableAddon',
      params: { sessionId: 's1', form: { name: 'k3s', nodes: '3' } },
    });
    assert.equal(submit.ok, true);
    const badForm = addon.webview({
      type: 'request',
      requestId: 'r2',
      method: 'retryAfterUnconfirmed',
      params: { sessionId: 's1', form: { name: 'k3s' } },
    });
    assert.match(
      badForm.ok ? '' : badForm.error,
      /addon: bad params for "retryAfterUnconfirmed".*form\.nodes/,
    );
    const noSession = addon.webview({ type: 'request', requestId: 'r3', method: 'checkAgain', params: {} });
    assert.equal(noSession.ok, false);
    const link = addon.webview({
      type: 'request',
      requestId: 'r4',
      method: 'openExternal',
      params: { target: 'https://example.com' },
    });
    assert.equal(link.ok, false, 'the webview names a page, never a URL');
    assert.equal(addon.webview({ type: 'command', command: 'cancel', args: {} }).ok, true);
    assert.equal(
      addon.host({ type: 'submitState', data: { kind: 'created', id: 'a', name: 'k3s' } }).ok,
      true,
    );
    assert.equal(addon.host({ type: 'submitState', data: { kind: 'done' } }).ok, false);
  });

  it('keeps the deploy and volume forms’ message names', () => {
    assert.equal(deployProtocol.submitMethod, 'submitDeploy');
    assert.equal(volumeProtocol.submitMethod, 'createVolume');
    for (const protocol of [deployProtocol, volumeProtocol]) {
      for (const method of ['checkAgain', 'retryAfterUnconfirmed', 'openExternal', protocol.submitMethod]) {
        assert.ok(method in protocol.requests, `${protocol.name}: ${method}`);
      }
      assert.ok('cancel' in protocol.commands);
    }
  });
});

type Field = 'name' | 'nodes';
const isField = (value: string): value is Field => value === 'name' || value === 'nodes';

describe('form framework: the submit state every form shares', () => {
  it('locks the values from the press until a failure, and blocks a second press', () => {
    let slice = emptySubmitSlice<Field>();
    assert.equal(isFormLocked(slice.submit, slice.sending), false);
    slice = reduceSubmit(slice, { type: 'sendSubmit' });
    assert.equal(slice.sending, true);
    assert.equal(slice.submitAttempted, true);
    assert.equal(isFormLocked(slice.submit, slice.sending), true);
    assert.equal(submitBarView(slice, 'cluster').progressText, 'Sending…');
    slice = reduceSubmit(slice, {
      type: 'submitState',
      state: { kind: 'submitting', phase: 'checking', startedAtMs: 1 },
    });
    assert.equal(
      submitBarView(slice, 'cluster').progressText,
      'Spheron did not answer clearly; checking whether the cluster was created…',
    );
    slice = reduceSubmit(slice, {
      type: 'submitState',
      state: { kind: 'unconfirmed', message: 'not found yet', retryAllowed: false },
    });
    const unconfirmed = submitBarView(slice, 'cluster');
    assert.deepEqual(
      [unconfirmed.canCheckAgain, unconfirmed.canTryAgain, unconfirmed.busy],
      [true, false, false],
    );
    assert.equal(isFormLocked(slice.submit, slice.sending), true);
    slice = reduceSubmit(slice, {
      type: 'requestFailed',
      message: 'Name taken',
      fieldErrors: { name: 'taken' },
    });
    assert.equal(isFormLocked(slice.submit, slice.sending), false);
    assert.deepEqual(slice.serverFieldErrors, { name: 'taken' });
  });

  it('shows client errors of touched fields until a submit shows them all, the server’s always', () => {
    const client = { name: 'Enter a name.', nodes: 'At least 1.' };
    let slice = { ...emptySubmitSlice<Field>(), ...touchFields(emptySubmitSlice<Field>(), ['nodes']) };
    assert.deepEqual(shownFieldErrors(slice, client), { nodes: 'At least 1.' });
    assert.deepEqual(shownFieldErrors(slice, client, ['name']), client);
    slice = reduceSubmit(slice, { type: 'requestFailed', message: 'no', fieldErrors: { name: 'taken' } });
    assert.deepEqual(shownFieldErrors(slice, {}), { name: 'taken' });
    // Editing the field clears the server's word on it.
    assert.deepEqual(touchFields(slice, ['name']).serverFieldErrors, {});
  });

  it('starts from the page’s own saved state, else the submitted form, else a fresh one', () => {
    const fresh = () => ({ name: 'new', nodes: '1' });
    const saved = { sessionId: 's1', form: { name: 'saved', nodes: '2' }, touched: ['name', 'bogus'] };
    const own = startingValues({ sessionId: 's1', submittedForm: null }, saved, isField, fresh);
    assert.deepEqual([own.form, [...own.touched]], [saved.form, ['name']]);
    const sent = startingValues(
      { sessionId: 's2', submittedForm: { name: 'sent', nodes: '3' } },
      saved,
      isField,
      fresh,
    );
    assert.deepEqual([sent.form.name, sent.touched.size], ['sent', 0]);
    assert.equal(
      startingValues({ sessionId: 's2', submittedForm: null }, saved, isField, fresh).form.name,
      'new',
    );
    const failed = submitSliceOf<Field>(
      { kind: 'failed', message: 'x', fieldErrors: { nodes: 'too many' } },
      new Set(),
    );
    assert.deepEqual(failed.serverFieldErrors, { nodes: 'too many' });
    assert.equal(persistedFormStateSchema(addonForm).safeParse(saved).success, true);
    assert.equal(persistedFormStateSchema(addonForm).safeParse({ sessionId: 's1', form: {} }).success, false);
  });
});
