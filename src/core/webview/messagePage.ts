// A page with a heading and a few paragraphs and no script at all, for a form panel that cannot
// be restored (its offer left the catalogue). Same CSP as every page; the styles come from the
// form's own stylesheet so it follows the theme.
import { documentHead, escapeHtml, styleLink } from './html';

export interface MessagePageOptions {
  readonly cspSource: string;
  readonly nonce: string;
  readonly styleUris: readonly string[];
  readonly title: string;
  readonly paragraphs: readonly string[];
}

export function renderMessagePage(options: MessagePageOptions): string {
  return [
    ...documentHead({ ...options, styleLinks: options.styleUris.map(styleLink) }),
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
