import type { CommandDef } from '../command.js';
import { bashCompletion, fishCompletion, zshCompletion } from './completions.js';
import { manPages } from './man.js';

/** Pure: every generated documentation file, keyed by its path relative to the repo. */
export function generatedDocs(all: readonly CommandDef[], version: string): Map<string, string> {
  const table = all.filter((d) => !d.hidden);
  const files = new Map<string, string>();
  for (const [name, text] of manPages(table, version)) files.set(`man/${name}`, text);
  files.set('completions/berth.bash', bashCompletion(table));
  files.set('completions/_berth', zshCompletion(table));
  files.set('completions/berth.fish', fishCompletion(table));
  return files;
}
