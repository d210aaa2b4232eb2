import type { Credentials } from '../image/registry/auth.js';
import { RegistryClient } from '../image/registry/client.js';
import { getCredentials } from '../image/credentials.js';
import { registryApiHost } from '../image/reference.js';
import { loadDefaultRegistriesConf, type RegistriesConfig } from '../image/registries-conf.js';
import { BerthError } from '../util/errors.js';
import { debug } from '../util/log.js';
import { VERSION } from '../version.js';
import type { EngineContext } from './context.js';

export interface RegistryAccessOptions {
  authfile?: string;
  /** `USER[:PASSWORD]` from --creds: used instead of any stored credentials. */
  creds?: string;
  tlsVerify?: boolean;
}

export function parseCreds(creds: string): Credentials {
  const i = creds.indexOf(':');
  const username = i < 0 ? creds : creds.slice(0, i);
  const password = i < 0 ? '' : creds.slice(i + 1);
  if (!username) throw new BerthError('invalid --creds: the user name is empty');
  return { username, password };
}

/** Registries configuration and clients for one command: loaded on first use, then shared. */
export class RegistryAccess {
  private config?: RegistriesConfig;
  private clients = new Map<string, RegistryClient>();

  constructor(
    private ctx: EngineContext,
    private opts: RegistryAccessOptions,
  ) {}

  registries(): RegistriesConfig {
    this.config ??= loadDefaultRegistriesConf({ berthConfigDir: this.ctx.paths.configDir });
    return this.config;
  }

  client(host: string, insecure: boolean, repository?: string): RegistryClient {
    const key = `${host} ${insecure}`;
    let c = this.clients.get(key);
    if (!c) {
      const explicit = this.opts.creds ? parseCreds(this.opts.creds) : undefined;
      c = new RegistryClient({
        // docker.io's API lives on another host; credentials stay keyed by the name users know.
        host: registryApiHost(host),
        insecure,
        tlsVerify: this.opts.tlsVerify ?? !insecure,
        userAgent: `berth/${VERSION}`,
        credentials: async () =>
          explicit ?? (await getCredentials(host, repository, { authFile: this.opts.authfile })),
        debug,
      });
      this.clients.set(key, c);
    }
    return c;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close().catch(() => undefined)));
    this.clients.clear();
  }
}
