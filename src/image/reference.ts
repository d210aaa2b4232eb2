import { BerthError } from '../util/errors.js';

/**
 * Image references: Docker's grammar (distribution/reference) and its normalisation
 * (`ParseNormalizedNamed` + `TagNameOnly`).
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component [ "/" path-component ]*
 */

/** docker.io is how users and Docker name Docker Hub; the API itself lives elsewhere. */
export const DOCKER_HUB = 'docker.io';
/** The host that actually serves the registry API for docker.io. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
/** Old name Docker still accepts for docker.io, and the host its auth keys use. */
export const DOCKER_HUB_LEGACY = 'index.docker.io';
/** The auth-file key and credential-helper server URL Docker uses for docker.io. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
export const DEFAULT_TAG = 'latest';
const OFFICIAL_PREFIX = 'library/';
const NAME_TOTAL_LENGTH_MAX = 255;

export interface ImageReference {
  /** Registry host[:port]; '' when the user gave no domain (a short name). */
  registry: string;
  /** Repository path within the registry, e.g. `library/busybox` (as written for short names). */
  repository: string;
  tag?: string;
  /** `algorithm:hex`. */
  digest?: string;
}

// Building blocks, as in distribution/reference's regexp.go.
const alphaNumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphaNumeric}(?:${separator}${alphaNumeric})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6})(?::[0-9]+)?`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const namePattern = `(?:${domainAndPort}/)?${pathComponent}(?:/${pathComponent})*`;

const referenceRe = new RegExp(`^(${namePattern})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const domainRe = new RegExp(`^${domainAndPort}$`);
const tagRe = new RegExp(`^${tagPattern}$`);
const identifierRe = /^[a-f0-9]{64}$/;
const imageIdRe = /^(?:sha256:[a-f0-9]{1,64}|[a-f0-9]{1,64})$/;

/** Hex lengths of the digest algorithms the OCI image spec registers. */
const DIGEST_HEX_LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

function invalid(why: string): BerthError {
  return new BerthError(`invalid reference format: ${why}`);
}

export function isValidTag(tag: string): boolean {
  return tagRe.test(tag);
}

/** Why `digest` is not a digest we can verify, or undefined when it is one. */
function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0) return 'invalid digest format';
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const want = DIGEST_HEX_LENGTHS[algorithm];
  if (want === undefined) return `unsupported digest algorithm ${JSON.stringify(algorithm)}`;
  if (!/^[a-f0-9]*$/.test(hex)) return 'invalid digest format: digest must be lowercase hex';
  if (hex.length !== want) return `invalid digest length: ${algorithm} needs ${want} hex characters`;
  return undefined;
}

export function isValidDigest(digest: string): boolean {
  return digestProblem(digest) === undefined;
}

/** True for a string that could name an image by id: a hex prefix, or `sha256:` and hex. */
export function looksLikeImageId(s: string): boolean {
  return imageIdRe.test(s);
}

/**
 * Docker's rule for whether the first path component is a registry: it has a `.` or `:`,
 * is `localhost`, or has an uppercase letter (repository paths never do, hostnames may).
 */
function isDomainComponent(first: string): boolean {
  return /[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first;
}

/**
 * Parses `s` without applying defaults: a short name keeps `registry: ''` and its repository
 * as written (`busybox`, not `library/busybox`), and no tag is invented.
 */
export function parseReference(s: string): ImageReference {
  if (s === '') throw invalid('repository name must have at least one component');
  if (identifierRe.test(s)) {
    throw new BerthError(`invalid repository name (${s}): cannot specify 64-byte hexadecimal strings`, {
      hint: 'to refer to an image by id, use it where an image id is accepted',
    });
  }
  const slash = s.indexOf('/');
  let registry = '';
  let remainder = s;
  if (slash !== -1 && isDomainComponent(s.slice(0, slash))) {
    registry = s.slice(0, slash);
    remainder = s.slice(slash + 1);
  }
  // Checked before the grammar so `Busybox` gets the helpful message, as in Docker.
  const colon = remainder.indexOf(':');
  const at = remainder.indexOf('@');
  const nameEnd = Math.min(colon === -1 ? remainder.length : colon, at === -1 ? remainder.length : at);
  const repository = remainder.slice(0, nameEnd);
  if (repository.toLowerCase() !== repository) throw invalid('repository name must be lowercase');

  const m = referenceRe.exec(registry === '' ? remainder : `${registry}/${remainder}`);
  if (!m) {
    if (registry !== '' && !domainRe.test(registry))
      throw invalid(`invalid registry ${JSON.stringify(registry)}`);
    const afterName = remainder.slice(nameEnd);
    const tagMatch = /^:([^@]*)/.exec(afterName);
    if (tagMatch && !isValidTag(tagMatch[1])) throw invalid(`invalid tag ${JSON.stringify(tagMatch[1])}`);
    if (at !== -1) {
      const digest = remainder.slice(at + 1);
      const problem = digestProblem(digest);
      if (problem) throw invalid(problem);
    }
    throw invalid(`${JSON.stringify(s)} is not a valid image reference`);
  }
  // Docker counts the normalized name, so `docker.io/library/` takes its share of the limit.
  if (formatName(normalize({ registry, repository })).length > NAME_TOTAL_LENGTH_MAX) {
    throw invalid(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }
  const ref: ImageReference = { registry, repository };
  if (m[2] !== undefined) ref.tag = m[2];
  if (m[3] !== undefined) {
    const problem = digestProblem(m[3]);
    if (problem) throw invalid(problem);
    ref.digest = m[3];
  }
  return ref;
}

/** True when `s` names no registry, so registries.conf (or Docker's default) must pick one. */
export function isShortName(s: string): boolean {
  return parseReference(s).registry === '';
}

/** Maps docker.io's aliases to `docker.io`; other registries are returned unchanged. */
export function canonicalRegistry(registry: string): string {
  return registry === DOCKER_HUB_LEGACY || registry === DOCKER_HUB_API_HOST ? DOCKER_HUB : registry;
}

/** The host that serves the registry API for `registry` (docker.io -> registry-1.docker.io). */
export function registryApiHost(registry: string): string {
  return canonicalRegistry(registry) === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
}

/**
 * Qualifies a name as Docker does, keeping tag and digest as given: no registry means docker.io
 * (its aliases are spelled docker.io), and single-component docker.io repositories get `library/`.
 */
export function normalizeName(ref: ImageReference): ImageReference {
  const registry = ref.registry === '' ? DOCKER_HUB : canonicalRegistry(ref.registry);
  let repository = ref.repository;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = OFFICIAL_PREFIX + repository;
  const out: ImageReference = { registry, repository };
  if (ref.tag !== undefined) out.tag = ref.tag;
  if (ref.digest !== undefined) out.digest = ref.digest;
  return out;
}

/** `normalizeName`, plus Docker's `latest` when the reference has neither tag nor digest. */
export function normalize(ref: ImageReference): ImageReference {
  const out = normalizeName(ref);
  if (out.tag === undefined && out.digest === undefined) out.tag = DEFAULT_TAG;
  return out;
}

/** Parses and normalizes in one step: what `docker pull <s>` would fetch. */
export function parseNormalized(s: string): ImageReference {
  return normalize(parseReference(s));
}

/** `registry/repository` (or just the repository for a short name). */
export function formatName(ref: ImageReference): string {
  return ref.registry === '' ? ref.repository : `${ref.registry}/${ref.repository}`;
}

/** The full reference: `registry/repository[:tag][@digest]`. */
export function formatReference(ref: ImageReference): string {
  let s = formatName(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** The repository as Docker prints it: `busybox` and `user/repo` for docker.io, full otherwise. */
export function familiarRepository(ref: ImageReference): string {
  const registry = ref.registry === '' ? DOCKER_HUB : canonicalRegistry(ref.registry);
  if (registry !== DOCKER_HUB) return `${registry}/${ref.repository}`;
  const rest = ref.repository.slice(OFFICIAL_PREFIX.length);
  if (ref.repository.startsWith(OFFICIAL_PREFIX) && !rest.includes('/')) return rest;
  return ref.repository;
}

/** What Docker prints for a reference: `busybox:latest`, `user/repo@sha256:…`, `host:5000/x:1`. */
export function familiarName(ref: ImageReference): string {
  let s = familiarRepository(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}
