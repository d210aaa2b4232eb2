import { BerthError } from '../util/errors.js';

export type SeccompChoice = { kind: 'default' } | { kind: 'unconfined' } | { kind: 'profile'; json: string };

export interface SecurityOptions {
  noNewPrivileges: boolean;
  seccomp: SeccompChoice;
  /** `label=disable`: berth applies no SELinux labels anyway; kept so the choice is recorded. */
  labelDisable: boolean;
  /** `systempaths=unconfined`: no masked or read-only /proc and /sys paths. */
  unmaskSystemPaths: boolean;
}

function invalid(opt: string, why?: string): BerthError {
  return new BerthError(`invalid --security-opt: ${JSON.stringify(opt)}${why ? `: ${why}` : ''}`);
}

function parseBool(opt: string, v: string): boolean {
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw invalid(opt, `${JSON.stringify(v)} is not a boolean`);
}

/**
 * `--security-opt` values with Docker's syntax (`key=value`, or the older `key:value`).
 * seccomp's value is `unconfined`, `builtin`, or the profile's JSON text (the CLI reads the
 * file the user named). AppArmor and SELinux settings are accepted and have no effect: berth
 * applies neither.
 */
export function parseSecurityOpts(opts: string[]): SecurityOptions {
  const out: SecurityOptions = {
    noNewPrivileges: false,
    seccomp: { kind: 'default' },
    labelDisable: false,
    unmaskSystemPaths: false,
  };
  for (const opt of opts) {
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true;
      continue;
    }
    let sep = opt.indexOf('=');
    if (sep < 0) sep = opt.indexOf(':');
    if (sep < 0) throw invalid(opt);
    const key = opt.slice(0, sep);
    const value = opt.slice(sep + 1);
    switch (key) {
      case 'no-new-privileges':
        out.noNewPrivileges = parseBool(opt, value);
        break;
      case 'seccomp':
        if (value === 'unconfined') out.seccomp = { kind: 'unconfined' };
        else if (value === 'builtin' || value === '') out.seccomp = { kind: 'default' };
        else out.seccomp = { kind: 'profile', json: value };
        break;
      case 'label':
        if (value === 'disable') out.labelDisable = true;
        break;
      case 'apparmor':
        break;
      case 'systempaths':
        if (value !== 'unconfined') throw invalid(opt, 'the only value is "unconfined"');
        out.unmaskSystemPaths = true;
        break;
      default:
        throw invalid(opt);
    }
  }
  return out;
}
