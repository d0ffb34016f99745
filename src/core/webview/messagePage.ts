// A page with a heading and a few paragraphs and no script at all, for a form panel that cannot
// be restored (its offer left the catalogue). Same CSP as every page; the styles come from the
// form's own stylesheet so it follows the theme.
import { contentSecurityPolicy, escapeHtml } from './html';

export interface MessagePageOptions {
  readonly cspSource: string;
  readonly nonce: string;
  readonly styleUris: readonly string[];
  readonly title: string;
  readonly paragraphs: readonly string[];
}

export function renderMessagePage(options: MessagePageOptions): string {
  const csp = contentSecurityPolicy(options.cspSource, options.nonce);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '  <head>',
    '    <meta charset="UTF-8" />',
    `    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}" />`,
    '    <meta name="viewport" content="width=device-width, initial-scale=1.0" />',
    ...options.styleUris.map((uri) => `    <link rel="stylesheet" href="${escapeHtml(uri)}" />`),
    `    <title>${escapeHtml(options.title)}</title>`,
    '  </head>',
    '  <body>',
    '    <main id="app" role="alert">',
    `      <h1>${escapeHtml(options.title)}</h1>`,
    ...options.paragraphs.map((text) => `      <p>${escapeHtml(text)}</p>`),
    '    </main>',
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}
