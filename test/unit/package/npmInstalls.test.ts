import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.join(__dirname, '../../..');
const libSh = path.join(repoRoot, 'test/e2e/lib.sh');

// A nested `npm install`/`npm ci` that inherits an outer npm's environment installs for the wrong
// Node (npm_config_user_agent) or into the wrong folder (npm_config_local_prefix). Every install in
// the project's scripts goes through e2e_clean_npm, which drops that environment.
const BARE_NPM_INSTALL =
  /(^|[^\w-])npm\s+(install|ci|i|add)\b|['"]npm['"]\s*,\s*\[\s*['"](install|ci|i|add)['"]/;
// Lines that only mention an install: comments and messages.
const MENTION_ONLY = /^\s*(#|\/\/|\*|echo\b|printf\b|step\b|e2e_log\b)/;

/** The lines of a script that run npm install/ci/add without the clean-environment helper. */
function bareNpmInstalls(text: string): string[] {
  return text.split('\n').filter((line) => !MENTION_ONLY.test(line) && BARE_NPM_INSTALL.test(line));
}

function scriptFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'artifacts') {
      continue;
    }
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      files.push(...scriptFiles(full));
    } else if (/\.(ts|mts|js|mjs|cjs|sh)$/.test(name) || !name.includes('.')) {
      files.push(full);
    }
  }
  return files;
}

describe('npm installs in the project scripts', () => {
  it('run every npm install and npm ci under test/ and scripts/ through e2e_clean_npm', () => {
    const files = [
      ...scriptFiles(path.join(repoRoot, 'test')),
      ...scriptFiles(path.join(repoRoot, 'scripts')),
    ];
    assert.ok(
      files.some((file) => file.endsWith('test/e2e/setup')),
      'the setup script is scanned',
    );
    const offenders = files
      .filter((file) => file !== __filename)
      .flatMap((file) =>
        bareNpmInstalls(readFileSync(file, 'utf8')).map(
          (line) => `${path.relative(repoRoot, file)}: ${line.trim()}`,
        ),
      );
    assert.deepEqual(offenders, []);
  });

  it('recognises a bare install in shell and in a spawn call, and leaves the helper and messages alone', () => {
    assert.deepEqual(bareNpmInstalls('  (cd "$dir" && npm install --save-exact x)'), [
      '  (cd "$dir" && npm install --save-exact x)',
    ]);
    assert.equal(bareNpmInstalls('npm ci --no-audit').length, 1);
    assert.equal(bareNpmInstalls(`spawnSync('npm', ['install', 'x'])`).length, 1);
    assert.deepEqual(bareNpmInstalls('e2e_clean_npm ci --no-audit'), []);
    assert.deepEqual(bareNpmInstalls('  echo "npm install failed"\n# npm ci here\nnpm run build'), []);
  });

  it('e2e_clean_npm drops the outer npm environment and passes the assignments it is given', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clean-npm-'));
    try {
      // A stand-in npm that prints the environment it was started with.
      writeFileSync(path.join(dir, 'npm'), '#!/bin/sh\necho "args: $*"\nenv\n');
      chmodSync(path.join(dir, 'npm'), 0o755);
      const output = execFileSync(
        'bash',
        [
          '-c',
          `source "${libSh}" && e2e_clean_npm npm_config_nodedir=/headers install --save-exact code-server`,
        ],
        {
          encoding: 'utf8',
          env: {
            PATH: `${dir}:${process.env.PATH ?? ''}`,
            HOME: dir,
            npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64',
            npm_config_local_prefix: '/somewhere/else',
            npm_lifecycle_event: 'test',
            npm_package_name: 'spheron-vscode',
            npm_node_execpath: '/usr/bin/node',
            npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
            INIT_CWD: '/somewhere/else',
            NODE: '/usr/bin/node',
            KEEP_ME: 'yes',
          },
        },
      );
      const lines = output.split('\n');
      assert.ok(lines.includes('args: install --save-exact code-server'), output);
      assert.ok(lines.includes('npm_config_nodedir=/headers'), output);
      assert.ok(lines.includes('KEEP_ME=yes'), output);
      const leaked = lines.filter(
        (line) => /^(npm_|INIT_CWD=|NODE=)/.test(line) && line !== 'npm_config_nodedir=/headers',
      );
      assert.deepEqual(leaked, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
