import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const repo = resolve(import.meta.dirname, '../../..');

/** Bundles a TypeScript entry point into a runnable .mjs (koffi stays external). */
export async function bundle(entry: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'berth-bundle-')), 'worker.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    external: ['koffi'],
    logLevel: 'silent',
  });
  return out;
}

export interface Child {
  pid: number;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** Resolves when stdout contains `text`. */
  waitFor(text: string): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

export function runNode(script: string, args: string[]): Child {
  // koffi is required at run time from the bundle in /tmp: let require() find the repo's copy.
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, NODE_PATH: join(repo, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (d) => {
    stdout += d;
    for (const w of waiters) if (stdout.includes(w.text)) w.resolve();
  });
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return {
    pid: child.pid!,
    done,
    waitFor: (text) =>
      new Promise<void>((res, rej) => {
        if (stdout.includes(text)) return res();
        waiters.push({ text, resolve: res });
        done.then((r) =>
          rej(new Error(`child exited (${r.code ?? r.signal}) before "${text}": ${r.stderr}`)),
        );
      }),
    kill: (signal) => child.kill(signal),
  };
}
