#!/usr/bin/env node
// Builds berth: the CLI bundle (esbuild), the native launcher and monitor (cc), and the man
// pages and shell completions generated from the command definitions.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const top = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(top, 'dist');
const pkg = JSON.parse(readFileSync(join(top, 'package.json'), 'utf8'));
const step = (what) => process.stdout.write(`build: ${what}\n`);

// Build beside dist/ and move files in one by one (rename is atomic per file), keeping old
// chunks: berth processes (tests, monitors' exit commands) may be running from dist/ while
// it is rebuilt, and must find every chunk their entry file names.
mkdirSync(dist, { recursive: true });
const out = mkdtempSync(join(top, '.dist-build-'));
process.on('exit', () => rmSync(out, { recursive: true, force: true }));

// One bundled file per entry, with lazily loaded chunks for each verb's engine code, so a
// command compiles only what it uses. koffi carries a native addon and stays external.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['koffi'],
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { __BERTH_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);",
  },
};
step('bundling the CLI');
await esbuild.build({
  ...common,
  entryPoints: { berth: join(top, 'src/cli/main.ts') },
  outdir: out,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

const cflags = ['-O2', '-Wall', '-Wextra', '-Werror', '-std=gnu11'];
for (const [name, dir] of [
  ['berth-ns', 'native/launcher'],
  ['berth-monitor', 'native/monitor'],
]) {
  const src = join(top, dir);
  const files = existsSync(src)
    ? readdirSync(src)
        .filter((f) => f.endsWith('.c'))
        .map((f) => join(src, f))
    : [];
  if (files.length === 0) {
    step(`no sources in ${dir}, skipping ${name}`);
    continue;
  }
  step(`cc ${name}`);
  execFileSync(process.env.CC || 'cc', [...cflags, '-o', join(out, name), ...files], { stdio: 'inherit' });
}

// Chunks first, the entry last: a new entry must never name a chunk that is not there yet.
mkdirSync(join(dist, 'chunks'), { recursive: true });
if (existsSync(join(out, 'chunks'))) {
  for (const f of readdirSync(join(out, 'chunks')))
    renameSync(join(out, 'chunks', f), join(dist, 'chunks', f));
}
for (const f of readdirSync(out)
  .filter((f) => f !== 'chunks')
  .sort((a, b) => Number(a === 'berth.js') - Number(b === 'berth.js'))) {
  renameSync(join(out, f), join(dist, f));
}

step('generating man pages and completions');
const docsEntry = join(out, 'gen-docs.mjs');
await esbuild.build({
  ...common,
  entryPoints: [join(top, 'src/cli/docs/generate-main.ts')],
  outfile: docsEntry,
  sourcemap: false,
});
execFileSync(process.execPath, [docsEntry, top], { stdio: 'inherit' });
step('done');
