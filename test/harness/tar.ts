import tar from 'tar-stream';

/** One entry of a test layer. Paths are relative ("bin/busybox"), as Docker writes them. */
export interface TarEntry {
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'link';
  mode?: number;
  uid?: number;
  gid?: number;
  content?: Buffer | string;
  /** Symlink target, or for a hard link the path of the entry it links to. */
  target?: string;
  /** PAX records, e.g. { 'SCHILY.xattr.security.capability': ... } (values as latin1 strings). */
  pax?: Record<string, string>;
}

/** Every entry gets this mtime so layer digests are the same on every run. */
export const FIXED_MTIME = new Date('2024-01-01T00:00:00Z');

/** Pack entries, in the given order, into an uncompressed tar. Deterministic for equal input. */
export async function buildTar(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const e of entries) {
    const isDir = e.type === 'directory';
    const header: Partial<tar.Header> & { name: string } = {
      name: isDir && !e.path.endsWith('/') ? `${e.path}/` : e.path,
      type: e.type,
      mode: e.mode ?? (isDir ? 0o755 : e.type === 'symlink' ? 0o777 : 0o644),
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      uname: '',
      gname: '',
      mtime: FIXED_MTIME,
    };
    if (e.type === 'symlink' || e.type === 'link') header.linkname = e.target;
    if (e.pax) header.pax = e.pax;
    const body = e.type === 'file' ? toBuffer(e.content ?? '') : undefined;
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (body) pack.entry({ ...header, size: body.length }, body, cb);
      else pack.entry(header, cb);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

function toBuffer(content: Buffer | string): Buffer {
  return typeof content === 'string' ? Buffer.from(content) : content;
}
