import { readFileSync } from 'node:fs';

/**
 * Who is doing something, precisely enough to tell later whether that process is still alive:
 * a pid alone can be reused, so we add the boot id and the process's start time.
 */
export interface ProcessStamp {
  pid: number;
  bootId: string;
  start: string;
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or undefined. */
function startTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

export function currentProcessStamp(): ProcessStamp {
  return { pid: process.pid, bootId: bootId(), start: startTime(process.pid) ?? '' };
}

export function isProcessAlive(stamp: ProcessStamp): boolean {
  if (stamp.bootId !== bootId()) return false;
  const start = startTime(stamp.pid);
  return start !== undefined && start === stamp.start;
}
