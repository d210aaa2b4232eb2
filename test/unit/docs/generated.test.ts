import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashCompletion } from '../../../src/cli/docs/completions.js';
import { generatedDocs } from '../../../src/cli/docs/generate.js';
import { commandPaths } from '../../../src/cli/dispatch.js';
import { commands } from '../../../src/cli/table.js';

const top = join(import.meta.dirname, '..', '..', '..');
const version = JSON.parse(readFileSync(join(top, 'package.json'), 'utf8')).version as string;

describe('man pages and completions', () => {
  it('are committed as the build generates them from the command table', () => {
    const files = generatedDocs(commands, version);
    for (const [rel, text] of files) {
      expect(readFileSync(join(top, rel), 'utf8'), `${rel} is stale: run npm run build and commit`).toBe(
        text,
      );
    }
    const committed = readdirSync(join(top, 'man')).filter((f) => f.endsWith('.1'));
    expect(committed.sort()).toEqual(
      [...files.keys()]
        .filter((k) => k.startsWith('man/'))
        .map((k) => k.slice(4))
        .sort(),
    );
  });

  it('cover every visible verb under all of its names', () => {
    const files = generatedDocs(commands, version);
    const bash = bashCompletion(commands.filter((c) => !c.hidden));
    for (const def of commands.filter((c) => !c.hidden)) {
      for (const path of commandPaths(def)) {
        expect(files.has(`man/berth-${path.replace(/ /g, '-')}.1`), path).toBe(true);
        expect(bash).toContain(`"${path}")`);
      }
      for (const flag of Object.keys(def.options).filter((f) => !def.options[f].hidden)) {
        expect(files.get(`man/berth-${commandPaths(def)[0].replace(/ /g, '-')}.1`)).toContain(
          `\\-\\-${flag.replace(/-/g, '\\-')}`,
        );
      }
    }
  });

  it('leave hidden verbs out', () => {
    const files = generatedDocs(commands, version);
    expect([...files.keys()].some((k) => k.includes('cleanup'))).toBe(false);
  });
});

describe('bash completion', () => {
  it('is valid bash', async () => {
    const { execFileSync } = await import('node:child_process');
    const text = readFileSync(join(top, 'completions', 'berth.bash'), 'utf8');
    execFileSync('bash', ['-n'], { input: text });
    const out = execFileSync(
      'bash',
      ['-c', `${text}\nCOMP_WORDS=(berth container l); COMP_CWORD=2; _berth; echo "\${COMPREPLY[@]}"`],
      {
        encoding: 'utf8',
      },
    );
    expect(out.trim().split(' ')).toEqual(expect.arrayContaining(['ls', 'list']));
    const flags = execFileSync(
      'bash',
      ['-c', `${text}\nCOMP_WORDS=(berth ps --a); COMP_CWORD=2; _berth; echo "\${COMPREPLY[@]}"`],
      {
        encoding: 'utf8',
      },
    );
    expect(flags.trim()).toBe('--all');
  });
});
