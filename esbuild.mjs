// Builds the extension host bundle, the lazily loaded HTTP chunk, the webview bundles and
// (with --tests) the extension-host test suite.
//   node esbuild.mjs [--production] [--tests] [--watch]
import * as esbuild from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const withTests = process.argv.includes('--tests');
const withBench = process.argv.includes('--bench');
const watch = process.argv.includes('--watch');

// The undici transport is its own entry (dist/http.js) and is required only on the first request,
// so activation never pays for loading the HTTP stack.
const lazyHttpChunk = {
  name: 'lazy-http-chunk',
  setup(build) {
    build.onResolve({ filter: /\/undiciTransport$/ }, () => ({ path: './http.js', external: true }));
  },
};

// The activation shell (src/extension.ts) requires the rest of the extension (dist/main.js) on
// first use only.
const lazyMainChunk = {
  name: 'lazy-main-chunk',
  setup(build) {
    build.onResolve({ filter: /^\.\/main$/ }, () => ({ path: './main.js', external: true }));
  },
};

const nodeCommon = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  external: ['vscode'],
};

const webviewEntries = existsSync('src/webview-ui')
  ? readdirSync('src/webview-ui', { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join('src/webview-ui', d.name, 'main.ts')))
      .map((d) => ({ in: `src/webview-ui/${d.name}/main.ts`, out: d.name }))
  : [];

const builds = [
  {
    ...nodeCommon,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    plugins: [lazyMainChunk],
  },
  {
    ...nodeCommon,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/main.js',
    plugins: [lazyHttpChunk],
    // Turns `import('./http.js')` into a plain require, which every extension host supports.
    supported: { 'dynamic-import': false },
  },
  { ...nodeCommon, entryPoints: ['src/core/api/undiciTransport.ts'], outfile: 'dist/http.js' },
];
if (webviewEntries.length > 0) {
  builds.push({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    legalComments: 'none',
    logLevel: 'warning',
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    loader: { '.ttf': 'file' },
  });
}
if (withTests) {
  builds.push({
    ...nodeCommon,
    minify: false,
    sourcemap: true,
    entryPoints: ['test/integration/index.ts'],
    outfile: 'dist/test/integration/index.js',
    external: ['vscode', 'mocha'],
  });
}

if (withBench) {
  builds.push({
    ...nodeCommon,
    minify: false,
    sourcemap: false,
    entryPoints: ['test/bench/extHost/activation.ts'],
    outfile: 'dist/test/bench/activation.js',
  });
  builds.push({
    ...nodeCommon,
    minify: false,
    sourcemap: false,
    entryPoints: ['test/bench/extHost/baseline.ts'],
    outfile: 'dist/test/bench/baseline.js',
  });
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
