// The folder rules ESLint enforces (eslint.config.mjs), checked against the real config: a
// webview bundle importing the API client, and core code importing vscode, are refused.
import * as assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const restricted = async (eslint: ESLint, code: string, filePath: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath });
  const messages = result?.messages ?? [];
  // A parse failure would otherwise read as "nothing restricted".
  const fatal = messages.filter((message) => message.fatal === true);
  assert.deepEqual(fatal, [], `ESLint could not lint the text as ${filePath}`);
  return messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
};

describe('layering rules (eslint.config.mjs)', function () {
  // Type-aware linting builds a TypeScript program per project on first use.
  this.timeout(120_000);
  // With CI=true (as CI sets it) typescript-eslint infers a one-shot run and builds the webview
  // project's program from the files on disk, so the text given to lintText would never be read.
  const eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfig: { languageOptions: { parserOptions: { disallowAutomaticSingleRunInference: true } } },
  });

  it('refuses src/core/api in a webview bundle and allows the domain types', async () => {
    // An existing file's path, so the webview tsconfig's program knows it; the text is ours.
    const file = 'src/webview-ui/shared/dom.ts';
    const client = await restricted(
      eslint,
      "import { AuthError } from '../../core/api/errors';\nexport const error = AuthError;\n",
      file,
    );
    assert.equal(client.length, 1, client.join('\n'));
    assert.match(client[0] ?? '', /must not depend on the API client/);
    const domain = await restricted(
      eslint,
      "import type { Offer } from '../../core/domain/types';\nexport type Shown = Offer;\n",
      file,
    );
    assert.deepEqual(domain, []);
  });

  it('refuses vscode in src/core', async () => {
    const messages = await restricted(
      eslint,
      "import * as vscode from 'vscode';\nexport const uri = vscode.Uri;\n",
      'src/core/util/text.ts',
    );
    assert.equal(messages.length, 1, messages.join('\n'));
    assert.match(messages[0] ?? '', /must not depend on vscode/);
  });
});
