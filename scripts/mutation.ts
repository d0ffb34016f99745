// `npm run mutation [-- <source files>] [--spec <part of a spec path>]... [--typecheck] [--command-runner]`:
// StrykerJS over the unit tier, one source file at a time, each scoped to the unit spec files that
// reach it (import it directly or through a test helper), then one table: file, valid mutants,
// killed + timed out, survived, no coverage, score. A developer command, not part of `npm test`.
// Mocha runs in scripts/stryker-mocha-runner.mjs (specs loaded once per worker, only the tests that
// cover a mutant re-run); `--command-runner` falls back to one mocha start per mutant. Settings shared by every file are in
// stryker.config.mjs; reports land in reports/mutation/.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// npm runs scripts from the package root.
const ROOT = process.cwd();

/** The money and SSH core of issue 20. */
export const DEFAULT_TARGETS = [
  'src/core/api/retry.ts',
  'src/core/ssh/hostBlocks.ts',
  'src/core/forms/exactlyOnce.ts',
  'src/core/ssh/validate.ts',
  'src/core/deploy/cost.ts',
  'src/core/ssh/userConfig.ts',
  'src/core/model/costs.ts',
];

/** Mutators left out per file, as the issue measured them (the host-block text is all literals). */
const EXCLUDED: Record<string, string[]> = {
  'src/core/ssh/hostBlocks.ts': ['StringLiteral', 'ArrayDeclaration', 'ObjectLiteral'],
};

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Relative imports of one TypeScript file, resolved to files that exist. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const base = resolve(dirname(file), m[1]).replace(/\.js$/, '');
    for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
      if (candidate.endsWith('.ts') && existsSync(candidate)) {
        out.push(candidate);
        break;
      }
    }
  }
  return out;
}

/**
 * Unit spec files that import `target`, directly or through test helpers (files under test/).
 * Imports through other source files are not followed: those specs test the target only from afar,
 * and running them for every mutant would take the 45 minutes of a whole-tier run.
 */
export function specsReaching(target: string): string[] {
  const abs = resolve(ROOT, target);
  const cache = new Map<string, boolean>();
  const reaches = (file: string, seen: Set<string>): boolean => {
    if (file === abs) {
      return true;
    }
    const known = cache.get(file);
    if (known !== undefined) {
      return known;
    }
    if (seen.has(file)) {
      return false;
    }
    seen.add(file);
    const testDir = join(ROOT, 'test');
    const hit = importsOf(file).some((f) => f === abs || (f.startsWith(testDir) && reaches(f, seen)));
    cache.set(file, hit);
    return hit;
  };
  return walk(join(ROOT, 'test/unit'))
    .filter((f) => f.endsWith('.test.ts'))
    .filter((f) => reaches(f, new Set()))
    .map((f) => relative(ROOT, f))
    .sort();
}

export interface Row {
  file: string;
  valid: number;
  detected: number;
  survived: number;
  noCoverage: number;
  score: number;
}

/** The one field of Stryker's MutantResult read here (@stryker-mutator/api is not a direct dependency). */
interface MutantResult {
  readonly status: string;
}

export function tally(file: string, results: readonly MutantResult[]): Row {
  const count = (...s: string[]) => results.filter((r) => s.includes(r.status)).length;
  const detected = count('Killed', 'Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = detected + survived + noCoverage;
  return { file, valid, detected, survived, noCoverage, score: valid ? (100 * detected) / valid : NaN };
}

export function table(rows: readonly Row[]): string {
  const lines = [
    '| file | valid mutants | killed + timed out | survived | no coverage | score |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const name = r.file.replace(/^src\//, '');
    lines.push(
      `| \`${name}\` | ${r.valid} | ${r.detected} | ${r.survived} | ${r.noCoverage} | ${r.score.toFixed(1)} % |`,
    );
  }
  return lines.join('\n');
}

async function mutate(
  target: string,
  only: readonly string[],
  typecheck: boolean,
  runner: 'mocha12' | 'command',
): Promise<Row> {
  const reaching = specsReaching(target);
  // `--spec` narrows the list to save time; the score is then a lower bound.
  const specs = only.length ? reaching.filter((f) => only.some((o) => f.includes(o))) : reaching;
  if (specs.length === 0) {
    throw new Error(`no unit spec file reaches ${target}`);
  }
  const name = target.replace(/^src\//, '').replace(/[/.]/g, '-');
  // An absolute path: Stryker's sandbox gets no node_modules link when node_modules is itself a
  // symlink (as in a git worktree), and packages still resolve by walking up from the sandbox.
  const command = [
    `${join(ROOT, 'node_modules/.bin/mocha')} --no-config --node-option import=tsx --extension ts`,
    '--timeout 60000 --bail --reporter dot',
    ...specs,
  ].join(' ');
  console.log(`\n[mutation] ${target}: ${specs.length} spec file(s)\n  ${specs.join('\n  ')}`);
  const options = {
    mutate: [target],
    ...(typecheck ? { checkers: ['typescript'] } : {}),
    ...(runner === 'mocha12'
      ? {
          testRunner: 'mocha12',
          plugins: ['@stryker-mutator/*', './scripts/stryker-mocha-runner.mjs'],
          testRunnerNodeArgs: ['--import', 'tsx'],
          // Added to 1.5 × the covering tests' time: a mutant that makes a wait never end (a sleep
          // that never resolves) costs this much, and the dry run's times are already in.
          timeoutMS: 15000,
          mocha12: { spec: specs },
        }
      : { testRunner: 'command', commandRunner: { command } }),
    mutator: { excludedMutations: EXCLUDED[target] ?? [] },
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
  };
  // Stryker is ESM-only; tsx runs this file as CommonJS, so it is loaded with import().
  const { Stryker } = await import('@stryker-mutator/core');
  const results = await new Stryker(options).runMutationTest();
  return tally(target, results);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only: string[] = [];
  let typecheck = false;
  let runner: 'mocha12' | 'command' = 'mocha12';
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--typecheck') {
      typecheck = true;
    } else if (args[i] === '--command-runner') {
      runner = 'command';
    } else if (args[i] === '--spec') {
      only.push(args[++i] ?? '');
    } else {
      targets.push(relative(ROOT, resolve(args[i] ?? '')));
    }
  }
  const rows: Row[] = [];
  for (const target of targets.length ? targets : DEFAULT_TARGETS) {
    if (!existsSync(target)) {
      throw new Error(`no such file: ${target}`);
    }
    rows.push(await mutate(target, only, typecheck, runner));
    console.log(`\n${table(rows)}\n`);
  }
  console.log(`\nMutation scores (Stryker, ${runner} runner, per-target spec files):\n\n${table(rows)}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, 'scripts/mutation.ts')) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
