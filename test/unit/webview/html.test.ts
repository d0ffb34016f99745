import * as assert from 'node:assert/strict';
import {
  contentSecurityPolicy,
  createNonce,
  escapeHtml,
  renderWebviewHtml,
} from '../../../src/core/webview/html';
import type { WebviewHtmlOptions } from '../../../src/core/webview/html';

const CSP_SOURCE = 'https://*.vscode-cdn.net';

function options(overrides: Partial<WebviewHtmlOptions> = {}): WebviewHtmlOptions {
  return {
    cspSource: CSP_SOURCE,
    nonce: 'abcdefghijklmnopqrstuv',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/deploy.js',
    styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/deploy.css'],
    title: 'Deploy H100',
    ...overrides,
  };
}

function metaCsp(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
  assert.ok(match?.[1], 'no CSP meta tag');
  return match[1].replace(/&#39;/g, "'");
}

describe('webview HTML builder', () => {
  it('sets the exact CSP: nonce-only scripts, cspSource styles/fonts/images, nothing else', () => {
    const html = renderWebviewHtml(options());
    assert.equal(
      metaCsp(html),
      `default-src 'none'; script-src 'nonce-abcdefghijklmnopqrstuv'; style-src ${CSP_SOURCE}; font-src ${CSP_SOURCE}; img-src ${CSP_SOURCE} data:`,
    );
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  it('loads only external scripts and stylesheets, each script with the nonce', () => {
    const html = renderWebviewHtml(options({ styleUris: ['https://x/base.css', 'https://x/deploy.css'] }));
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [
      '<script nonce="abcdefghijklmnopqrstuv" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/deploy.js">',
    ]);
    assert.match(html, /<script[^>]*><\/script>/);
    assert.deepEqual(html.match(/<link rel="stylesheet" href="[^"]*"/g), [
      '<link rel="stylesheet" href="https://x/base.css"',
      '<link rel="stylesheet" href="https://x/deploy.css"',
    ]);
    assert.doesNotMatch(html, /<style|style="|\son[a-z]+=/i);
    assert.match(html, /<div id="app"/);
  });

  it('adds the codicon stylesheet with the id vscode-icon looks for', () => {
    const html = renderWebviewHtml(options({ codiconsUri: 'https://x/codicon.css' }));
    assert.match(
      html,
      /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="https:\/\/x\/codicon.css" \/>/,
    );
    assert.doesNotMatch(renderWebviewHtml(options()), /codicon/);
  });

  it('escapes every interpolated string', () => {
    const evil = `"><script>alert('x')</script>&`;
    const html = renderWebviewHtml(
      options({
        title: evil,
        bodyClass: evil,
        scriptUri: `https://x/a.js${evil}`,
        styleUris: [`https://x/a.css${evil}`],
      }),
    );
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.ok(html.includes('<title>&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</title>'));
    assert.ok(html.includes('<body class="&quot;&gt;&lt;script&gt;'));
    assert.equal(escapeHtml('`<a href="x">&\''), '&#96;&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });

  it('refuses a nonce or CSP source that could widen the policy', () => {
    assert.throws(() => renderWebviewHtml(options({ nonce: "x' 'unsafe-inline" })), /nonce/);
    assert.throws(() => renderWebviewHtml(options({ nonce: 'short' })), /nonce/);
    assert.throws(
      () => contentSecurityPolicy('https://x; script-src *', 'abcdefghijklmnopqrstuv'),
      /CSP source/,
    );
    assert.throws(() => contentSecurityPolicy('', 'abcdefghijklmnopqrstuv'), /CSP source/);
    assert.match(
      contentSecurityPolicy("'self' https://x", 'abcdefghijklmnopqrstuv'),
      /style-src 'self' https:\/\/x;/,
    );
  });

  it('creates unique, URL-safe nonces of 128 bits', () => {
    const nonces = new Set(Array.from({ length: 1000 }, () => createNonce()));
    assert.equal(nonces.size, 1000);
    for (const nonce of nonces) {
      assert.match(nonce, /^[A-Za-z0-9_-]{22}$/);
    }
    assert.doesNotThrow(() => renderWebviewHtml(options({ nonce: createNonce() })));
  });
});
