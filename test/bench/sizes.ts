// Package sizes: the production bundle activation loads, the lazily loaded chunks, and the VSIX.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface VscePack {
  pack(options: { cwd: string; packagePath: string; dependencies: boolean }): Promise<{
    packagePath: string;
    files: { path: string }[];
  }>;
}

export interface SizeMetrics {
  readonly bundleBytes: number;
  /** dist/http.js and the webview bundles: loaded on first request or first form, not on activation. */
  readonly lazyBytes: number;
  readonly vsixBytes: number;
  readonly vsixFiles: readonly string[];
}

export async function measureSizes(root: string): Promise<SizeMetrics> {
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
  const dist = join(root, 'dist');
  const bundleBytes = statSync(join(dist, 'extension.js')).size;
  const webview = join(dist, 'webview');
  const lazyFiles = [
    join(dist, 'http.js'),
    ...readdirSync(webview)
      .filter((name) => name.endsWith('.js') || name.endsWith('.css'))
      .map((name) => join(webview, name)),
  ];
  const lazyBytes = lazyFiles.reduce((sum, file) => sum + statSync(file).size, 0);
  const out = mkdtempSync(join(tmpdir(), 'spheron-bench-vsix-'));
  try {
    // vsce's own prepublish would rebuild and lint; the production build above is the same bundle.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vsce = require('@vscode/vsce/out/package') as VscePack;
    const packed = await vsce.pack({
      cwd: root,
      packagePath: join(out, 'spheron.vsix'),
      dependencies: false,
    });
    return {
      bundleBytes,
      lazyBytes,
      vsixBytes: statSync(packed.packagePath).size,
      vsixFiles: packed.files.map((file) => file.path).sort(),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
