/** The PATH a container gets when its image sets none (Docker's). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

import { BerthError } from '../util/errors.js';

/** Looks a name up in the caller's environment (`-e K`, a bare `K` in an env file). */
export type EnvLookup = (name: string) => string | undefined;

const WHITESPACE = /[ \t]/;

/**
 * An --env-file's lines with Docker's rules: leading whitespace is dropped, blank lines and
 * lines starting with `#` are skipped, `K=V` keeps V exactly (no quote handling, no trimming),
 * a bare `K` takes the caller's value and is left out when the caller has none, and a name
 * with whitespace in it or an empty name is an error.
 */
export function parseEnvFile(text: string, lookup: EnvLookup, fileName = ''): string[] {
  const out: string[] = [];
  const where = fileName ? ` ${fileName}` : '';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trimStart();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = (eq < 0 ? line : line.slice(0, eq)).replace(/^[ \t]+/, '');
    if (WHITESPACE.test(name)) {
      throw new BerthError(
        `invalid env file${where}: line ${i + 1}: variable '${name}' contains whitespaces`,
      );
    }
    if (name === '') {
      throw new BerthError(`invalid env file${where}: line ${i + 1}: no variable name on line '${line}'`);
    }
    if (eq >= 0) {
      out.push(`${name}=${line.slice(eq + 1)}`);
      return;
    }
    const value = lookup(name);
    if (value !== undefined) out.push(`${name}=${value}`);
  });
  return out;
}

/** `-e` values: `K=V` as given; a bare `K` takes the caller's value, or is dropped (as Docker does). */
export function expandEnvArgs(values: string[], lookup: EnvLookup): string[] {
  const out: string[] = [];
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq === 0 || v === '') throw new BerthError(`invalid environment variable: ${JSON.stringify(v)}`);
    if (eq > 0) {
      out.push(v);
      continue;
    }
    const value = lookup(v);
    if (value !== undefined) out.push(`${v}=${value}`);
  }
  return out;
}

function envName(entry: string): string {
  const eq = entry.indexOf('=');
  return eq < 0 ? entry : entry.slice(0, eq);
}

/** Whether `list` sets `name`. */
export function hasEnv(list: readonly string[], name: string): boolean {
  return list.some((e) => envName(e) === name);
}

/**
 * Concatenates env lists where a later setting of a name wins but the name keeps the position
 * of its first appearance (Docker's ReplaceOrAppendEnvValues).
 */
export function mergeEnv(...lists: (readonly string[])[]): string[] {
  const out: string[] = [];
  const index = new Map<string, number>();
  for (const list of lists) {
    for (const entry of list) {
      const name = envName(entry);
      const at = index.get(name);
      if (at === undefined) {
        index.set(name, out.length);
        out.push(entry);
      } else {
        out[at] = entry;
      }
    }
  }
  return out;
}
