import * as assert from 'node:assert/strict';
import { renderMessagePage } from '../../../src/core/webview/messagePage';

describe('message page for a form that cannot be restored', () => {
  const html = renderMessagePage({
    cspSource: 'https://*.vscode-cdn.net',
    nonce: 'abcdefghijklmnopqrstuv',
    styleUris: ['https://x.vscode-cdn.net/dist/webview/deploy.css'],
    title: 'This offer is <gone>',
    paragraphs: ['Offer "a&b" from <script>alert(1)</script>.'],
  });

  it('has the strict CSP and no script at all', () => {
    assert.ok(
      html.includes(
        'content="default-src &#39;none&#39;; script-src &#39;nonce-abcdefghijklmnopqrstuv&#39;; style-src https://*.vscode-cdn.net;',
      ),
    );
    assert.doesNotMatch(html, /<script/);
  });

  it('escapes every text and links the theme stylesheet', () => {
    assert.ok(html.includes('<h1>This offer is &lt;gone&gt;</h1>'));
    assert.ok(html.includes('Offer &quot;a&amp;b&quot; from &lt;script&gt;alert(1)&lt;/script&gt;.'));
    assert.ok(
      html.includes('<link rel="stylesheet" href="https://x.vscode-cdn.net/dist/webview/deploy.css" />'),
    );
  });

  it('refuses a nonce that could widen the policy, like every page', () => {
    assert.throws(
      () =>
        renderMessagePage({
          cspSource: 'https://*.vscode-cdn.net',
          nonce: "x' 'unsafe-inline",
          styleUris: [],
          title: 't',
          paragraphs: [],
        }),
      /nonce/,
    );
  });
});
