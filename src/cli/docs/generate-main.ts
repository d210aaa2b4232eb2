import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VERSION } from '../../version.js';
import { commands } from '../table.js';
import { generatedDocs } from './generate.js';

// Build step: writes man/ and completions/ from the command table (see scripts/build.mjs).
const top = process.argv[2];
if (!top) throw new Error('usage: generate-main <repo dir>');
for (const f of readdirSync(join(top, 'man')).filter((f) => f.endsWith('.1'))) rmSync(join(top, 'man', f));
for (const [rel, text] of generatedDocs(commands, VERSION)) {
  const p = join(top, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}
