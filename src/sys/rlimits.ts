import { readFileSync } from 'node:fs';

export interface Rlimit {
  soft: number | bigint;
  hard: number | bigint;
}

const names: Record<string, string> = {
  'Max open files': 'RLIMIT_NOFILE',
  'Max processes': 'RLIMIT_NPROC',
  'Max core file size': 'RLIMIT_CORE',
  'Max stack size': 'RLIMIT_STACK',
  'Max locked memory': 'RLIMIT_MEMLOCK',
  'Max file size': 'RLIMIT_FSIZE',
  'Max cpu time': 'RLIMIT_CPU',
  'Max data size': 'RLIMIT_DATA',
  'Max address space': 'RLIMIT_AS',
  'Max msgqueue size': 'RLIMIT_MSGQUEUE',
  'Max nice priority': 'RLIMIT_NICE',
  'Max realtime priority': 'RLIMIT_RTPRIO',
  'Max pending signals': 'RLIMIT_SIGPENDING',
};

const UNLIMITED = 0xffffffffffffffffn;

/** Pure: /proc/PID/limits text -> limits by RLIMIT_ name. */
export function parseProcLimits(text: string): Record<string, Rlimit> {
  const out: Record<string, Rlimit> = {};
  for (const line of text.split('\n').slice(1)) {
    const m = /^(.+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    if (!m) continue;
    const name = names[m[1].trim()];
    if (!name) continue;
    const v = (s: string) => (s === 'unlimited' ? UNLIMITED : Number(s));
    out[name] = { soft: v(m[2]), hard: v(m[3]) };
  }
  return out;
}

/** The calling process's limits: containers never get more (root here lacks CAP_SYS_RESOURCE). */
export function hostRlimits(): Record<string, Rlimit> {
  try {
    return parseProcLimits(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return {};
  }
}
