import { openSync, readSync, closeSync, writeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { BerthError } from '../util/errors.js';

/** Reads one line from the controlling terminal (not stdin), without echo for secrets. */
export async function prompt(question: string, secret: boolean): Promise<string> {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new BerthError('cannot perform an interactive login from a non TTY device', {
      hint: 'use --username with --password-stdin',
    });
  }
  try {
    writeSync(fd, question);
    if (secret) execFileSync('stty', ['-echo'], { stdio: [fd, 'ignore', 'ignore'] });
    const buf = Buffer.alloc(1);
    let line = '';
    while (readSync(fd, buf, 0, 1, null) === 1) {
      const ch = buf.toString();
      if (ch === '\n' || ch === '\r') break;
      line += ch;
    }
    return line;
  } finally {
    if (secret) {
      execFileSync('stty', ['echo'], { stdio: [fd, 'ignore', 'ignore'] });
      writeSync(fd, '\n');
    }
    closeSync(fd);
  }
}

export async function readAllStdin(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of process.stdin) parts.push(c as Buffer);
  return Buffer.concat(parts).toString();
}

/** Asks a yes/no question on stdout and reads the answer from stdin; EOF means no. */
export async function confirm(ctx: { stdout: NodeJS.WritableStream }, question: string): Promise<boolean> {
  ctx.stdout.write(question);
  const answer = await new Promise<string>((resolve) => {
    let buf = '';
    const onData = (c: Buffer) => {
      buf += c.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) done(buf.slice(0, nl));
    };
    const done = (s: string) => {
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      process.stdin.pause();
      resolve(s);
    };
    const onEnd = () => done(buf);
    process.stdin.on('data', onData);
    process.stdin.on('end', onEnd);
  });
  return /^y(es)?$/i.test(answer.trim());
}
