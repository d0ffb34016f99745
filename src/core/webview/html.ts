// The one HTML builder for every webview page (style.md §3.9). Pages load external scripts and
// stylesheets only; the nonce-only script policy blocks inline scripts and handlers.
//
// Styles need no 'unsafe-inline': @vscode-elements/elements (lit) puts component styles into
// constructed stylesheets (`adoptedStyleSheets`, which `style-src` does not govern) and sets
// dynamic styles through the CSSOM (`element.style.x = …`, its `stylePropertyMap` directive),
// never through `style` attributes or `<style>` elements. Our own CSS comes from files.
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  readonly nonce: string;
  /** `webview.asWebviewUri(dist/webview/<name>.js)`, as a string. */
  readonly scriptUri: string;
  /** Stylesheets in load order (shared base first). */
  readonly styleUris: readonly string[];
  /**
   * codicon.css, for `vscode-icon`. Loaded with id `vscode-codicon-stylesheet`, which is where the
   * component looks for it.
   */
  readonly codiconsUri?: string;
  readonly title: string;
  readonly bodyClass?: string;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** A fresh nonce per render: 16 random bytes as base64 (no characters that need escaping in CSP). */
export function createNonce(): string {
  return randomBytes(16)
    .toString('base64')
    .replace(/[+/=]/g, (char) => (char === '+' ? '-' : char === '/' ? '_' : ''));
}

/** `Content-Security-Policy` for a page with the given nonce. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  // cspSource comes from VS Code (`https://*.vscode-cdn.net`, or `'self' …` in some hosts); a `;`
  // or `,` in it would end the directive or start another policy.
  if (/[;,"\r\n]/.test(cspSource) || cspSource.trim() === '') {
    throw new Error('The webview CSP source must be a list of source expressions.');
  }
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

function assertNonce(nonce: string): void {
  // A nonce with quotes or spaces would let a caller widen the policy.
  if (!/^[A-Za-z0-9_-]{16,}$/.test(nonce)) {
    throw new Error('The webview nonce must be at least 16 URL-safe base64 characters.');
  }
}

/** The `<!DOCTYPE>` through `</head>` of every page we render: one CSP, one nonce check. */
export function documentHead(options: {
  readonly cspSource: string;
  readonly nonce: string;
  readonly title: string;
  /** Full `<link>` lines, indented. */
  readonly styleLinks: readonly string[];
}): string[] {
  assertNonce(options.nonce);
  const csp = contentSecurityPolicy(options.cspSource, options.nonce);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '  <head>',
    '    <meta charset="UTF-8" />',
    `    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}" />`,
    '    <meta name="viewport" content="width=device-width, initial-scale=1.0" />',
    ...options.styleLinks,
    `    <title>${escapeHtml(options.title)}</title>`,
    '  </head>',
  ];
}

/** A `<link rel="stylesheet">` line of the head. */
export function styleLink(uri: string): string {
  return `    <link rel="stylesheet" href="${escapeHtml(uri)}" />`;
}

export function renderWebviewHtml(options: WebviewHtmlOptions): string {
  const styleLinks = options.styleUris.map(styleLink);
  if (options.codiconsUri !== undefined) {
    styleLinks.push(
      `    <link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeHtml(options.codiconsUri)}" />`,
    );
  }
  const bodyClass = options.bodyClass ? ` class="${escapeHtml(options.bodyClass)}"` : '';
  return [
    ...documentHead({ ...options, styleLinks }),
    `  <body${bodyClass}>`,
    '    <div id="app" aria-busy="true"><p class="loading">Loading…</p></div>',
    `    <script nonce="${escapeHtml(options.nonce)}" src="${escapeHtml(options.scriptUri)}"></script>`,
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}
