import { endianness } from 'node:os';
import { BerthError } from '../util/errors.js';
import type { IndexEntry, ManifestIndex, Platform } from './manifest.js';

/**
 * Platforms as Go and containerd name them, and choosing an image from an index the way
 * containerd's platform matcher and containers/image do: os and architecture must match; for
 * the variant, the host's own first, then the older ones it can also run, then an entry
 * without a variant.
 */

export interface PlatformSpec {
  os: string;
  architecture: string;
  /** Normalized: '' for arm64 v8 and amd64 v1, 'v7' for arm without a variant. */
  variant: string;
}

const ARCH_ALIASES: Record<string, [string, string?]> = {
  x86_64: ['amd64'],
  'x86-64': ['amd64'],
  aarch64: ['arm64'],
  armhf: ['arm', 'v7'],
  armel: ['arm', 'v6'],
  i386: ['386'],
  i686: ['386'],
  x86: ['386'],
};

const KNOWN_OS = new Set([
  'linux',
  'windows',
  'darwin',
  'freebsd',
  'netbsd',
  'openbsd',
  'solaris',
  'illumos',
  'aix',
  'android',
  'ios',
  'plan9',
  'dragonfly',
  'js',
  'wasip1',
]);

/** containerd's Normalize: canonical os/arch/variant spelling. */
export function normalizePlatform(p: { os: string; architecture: string; variant?: string }): PlatformSpec {
  const os = p.os.toLowerCase();
  let arch = p.architecture.toLowerCase();
  let variant = (p.variant ?? '').toLowerCase();
  const alias = ARCH_ALIASES[arch];
  if (alias) {
    arch = alias[0];
    if (alias[1] && variant === '') variant = alias[1];
  }
  if (/^\d+(\.\d+)?$/.test(variant)) variant = `v${variant}`;
  if (arch === 'arm64' && variant === 'v8') variant = '';
  if (arch === 'amd64' && variant === 'v1') variant = '';
  if (arch === 'arm' && variant === '') variant = 'v7';
  return { os, architecture: arch, variant };
}

/** The platform this process runs on, in Go's names. */
export function hostPlatform(): PlatformSpec {
  const archMap: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    ppc64: endianness() === 'LE' ? 'ppc64le' : 'ppc64',
    s390x: 's390x',
    riscv64: 'riscv64',
    loong64: 'loong64',
    mips: 'mips',
    mipsel: 'mipsle',
  };
  const architecture = archMap[process.arch] ?? process.arch;
  let variant = '';
  if (architecture === 'arm') {
    const armVersion = (process.config.variables as Record<string, unknown>).arm_version;
    variant = armVersion ? `v${armVersion}` : 'v7';
  }
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  return normalizePlatform({ os, architecture, variant });
}

const COMPONENT = /^[a-z0-9_.-]+$/;

/**
 * Parses `os/arch[/variant]` (as in `--platform linux/arm64/v8`). A single component is taken
 * as an OS when it is one, else as an architecture on Linux, like containerd.
 */
export function parsePlatform(spec: string): PlatformSpec {
  const bad = (why: string) =>
    new BerthError(`invalid platform ${JSON.stringify(spec)}: ${why}`, {
      hint: 'use os/arch[/variant], for example linux/amd64 or linux/arm/v7',
    });
  const s = spec.trim().toLowerCase();
  if (s === '') throw bad('empty');
  const parts = s.split('/');
  if (parts.length > 3) throw bad('too many components');
  for (const part of parts) {
    if (part === '') throw bad('empty component');
    if (!COMPONENT.test(part)) throw bad(`invalid component ${JSON.stringify(part)}`);
  }
  if (parts.length === 1) {
    const host = hostPlatform();
    if (KNOWN_OS.has(parts[0])) {
      // containerd: the host's architecture, but only when the OS is the host's.
      if (parts[0] !== host.os) throw bad('an OS alone names the host architecture only on the host OS');
      return host;
    }
    return normalizePlatform({ os: 'linux', architecture: parts[0] });
  }
  if (!KNOWN_OS.has(parts[0])) throw bad(`unknown operating system ${JSON.stringify(parts[0])}`);
  return normalizePlatform({ os: parts[0], architecture: parts[1], variant: parts[2] });
}

export function formatPlatform(p: PlatformSpec): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** Variants a `want` host can run, best first; '' (no variant) last as a fallback. */
export function compatibleVariants(want: PlatformSpec): string[] {
  const out: string[] = [];
  const version = /^v(\d+)$/.exec(want.variant);
  if (want.architecture === 'arm' && version) {
    for (let v = Number(version[1]); v >= 5; v--) out.push(`v${v}`);
  } else if (want.architecture === 'amd64') {
    const n = version ? Number(version[1]) : 1;
    for (let v = n; v >= 2; v--) out.push(`v${v}`);
  } else if (want.variant !== '') {
    out.push(want.variant);
  }
  out.push('');
  return [...new Set(out)];
}

/**
 * The index entry to pull for `want` (default: the host), or a BerthError worded as Podman's.
 * Entries without a platform (attestations, artifacts) are never chosen.
 */
export function selectManifest(index: ManifestIndex, want: PlatformSpec = hostPlatform()): IndexEntry {
  const w = normalizePlatform(want);
  const candidates = index.manifests
    .filter((m): m is IndexEntry & { platform: Platform } => m.platform !== undefined)
    .map((m) => ({ entry: m, p: normalizePlatform(m.platform) }))
    .filter(({ p }) => p.os === w.os && p.architecture === w.architecture);
  for (const variant of compatibleVariants(w)) {
    const hit = candidates.find(({ p }) => p.variant === variant);
    if (hit) return hit.entry;
  }
  throw new BerthError(
    `no image found in manifest list for architecture ${JSON.stringify(w.architecture)}, ` +
      `variant ${JSON.stringify(w.variant)}, OS ${JSON.stringify(w.os)}`,
    { code: 'not-found', hint: 'choose another platform with --platform os/arch[/variant]' },
  );
}
