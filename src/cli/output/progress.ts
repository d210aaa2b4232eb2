import type { Writable } from 'node:stream';
import type { PullProgress } from '../../engine/progress.js';

interface Bar {
  digest: string;
  size: number;
  received: number;
  state: 'copying' | 'done' | 'exists';
}

function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)}${units[i]}`;
}

const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

/** Plain lines, as Podman prints them when stderr is not a terminal. */
class LineProgress implements PullProgress {
  private said = false;
  constructor(private out: Writable) {}
  trying(name: string) {
    this.out.write(`Trying to pull ${name}...\n`);
  }
  private signatures() {
    if (!this.said) this.out.write('Getting image source signatures\n');
    this.said = true;
  }
  layerStart() {
    this.signatures();
  }
  layerBytes() {}
  layerDone(digest: string, how: 'done' | 'exists') {
    this.signatures();
    this.out.write(`Copying blob ${short(digest)} ${how === 'done' ? 'done' : 'skipped: already exists'}\n`);
  }
  configDone(digest: string) {
    this.signatures();
    this.out.write(`Copying config ${short(digest)} done\n`);
  }
  writingManifest() {
    this.out.write('Writing manifest to image destination\n');
  }
  close() {}
}

/** One bar per layer, redrawn in place (at most every 100 ms) on a terminal. */
class BarProgress implements PullProgress {
  private bars: Bar[] = [];
  private drawn = 0;
  private last = 0;
  constructor(private out: Writable & { columns?: number }) {}
  trying(name: string) {
    this.out.write(`Trying to pull ${name}...\n`);
  }
  layerStart(digest: string, size: number) {
    this.bars.push({ digest, size, received: 0, state: 'copying' });
    this.draw(true);
  }
  layerBytes(digest: string, received: number) {
    const b = this.bars.find((x) => x.digest === digest);
    if (b) b.received = received;
    this.draw(false);
  }
  layerDone(digest: string, how: 'done' | 'exists') {
    let b = this.bars.find((x) => x.digest === digest);
    if (!b) {
      b = { digest, size: 0, received: 0, state: how };
      this.bars.push(b);
    }
    b.state = how;
    b.received = b.size;
    this.draw(true);
  }
  configDone(digest: string) {
    this.draw(true);
    this.out.write(`Copying config ${short(digest)} done\n`);
    this.drawn = 0;
    this.bars = [];
  }
  writingManifest() {
    this.out.write('Writing manifest to image destination\n');
  }
  close() {}
  private draw(force: boolean) {
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const width = Math.max(10, Math.min(40, (this.out.columns ?? 80) - 50));
    let text = this.drawn ? `\x1b[${this.drawn}A` : '';
    for (const b of this.bars) {
      let line: string;
      if (b.state === 'exists') line = `Copying blob ${short(b.digest)} skipped: already exists`;
      else if (b.state === 'done') line = `Copying blob ${short(b.digest)} done`;
      else {
        const frac = b.size ? Math.min(1, b.received / b.size) : 0;
        const fill = Math.round(frac * width);
        line = `Copying blob ${short(b.digest)} [${'='.repeat(Math.max(0, fill - 1))}${fill ? '>' : ''}${' '.repeat(width - fill)}] ${humanBytes(b.received)} / ${humanBytes(b.size)}`;
      }
      text += `\x1b[2K${line}\n`;
    }
    this.drawn = this.bars.length;
    this.out.write(text);
  }
}

export function pullProgress(out: Writable & { isTTY?: boolean }): PullProgress {
  return out.isTTY ? new BarProgress(out) : new LineProgress(out);
}
