/**
 * Go's text/tabwriter (docker/cli's fork, which measures cells in terminal columns), for
 * tables that line up byte for byte with Docker's. Cells are tab-terminated: text after a
 * line's last tab is not part of a column and is never padded. A column's width is set per
 * block of consecutive lines that have a cell in it: the widest cell plus padding, at least
 * minwidth.
 */

export interface TabwriterOptions {
  minwidth: number;
  padding: number;
  padchar: string;
}

/** docker/cli: tabwriter.NewWriter(out, 10, 1, 3, ' ', 0). */
export const DOCKER_TABWRITER: TabwriterOptions = { minwidth: 10, padding: 3, padchar: ' ' };

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function isZeroWidth(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp < 0xa0) ||
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff
  );
}

/** Terminal columns a string takes (go-runewidth's StringWidth, for common scripts). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    w += isZeroWidth(cp) ? 0 : isWide(cp) ? 2 : 1;
  }
  return w;
}

interface Cell {
  text: string;
  width: number;
}

/** Aligns tab-separated text as a flushed Go tabwriter would write it. */
export function tabwrite(input: string, options: TabwriterOptions = DOCKER_TABWRITER): string {
  const lines: Cell[][] = input
    .split('\n')
    .map((l) => l.split('\t').map((text) => ({ text, width: displayWidth(text) })));
  const widths: number[] = [];
  let out = '';

  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      lines[i].forEach((c, j) => {
        out += c.text;
        if (j < widths.length) out += options.padchar.repeat(Math.max(0, widths[j] - c.width));
      });
      // The last line had no newline: it is the text after the input's last '\n'.
      if (i + 1 < lines.length) out += '\n';
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue;
      // A cell in this column starts a block: print the lines before it, then size the block.
      writeLines(line0, t);
      line0 = t;
      let width = options.minwidth;
      for (; t < line1; t++) {
        const line = lines[t];
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column].width + options.padding);
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out;
}

/** Rows of cells aligned like Docker's tables, one line each, newline-terminated. */
export function renderTable(
  rows: readonly (readonly string[])[],
  options: TabwriterOptions = DOCKER_TABWRITER,
): string {
  if (rows.length === 0) return '';
  return tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', options);
}
