import { join } from 'node:path';
import { checkUuid } from '../mirror/mirror-layout.js';

/**
 * The server data directory's layout (ARCHITECTURE.md, "Server data directory"). Paths are built from
 * UUIDs only, never from names a host or user chose.
 */
export class DataPaths {
  constructor(readonly root: string) {}

  get catalog(): string {
    return join(this.root, 'vrs.db');
  }
  get configFile(): string {
    return join(this.root, 'vrs.json');
  }
  get secrets(): string {
    return join(this.root, 'secrets');
  }
  get tlsKey(): string {
    return join(this.secrets, 'tls.key');
  }
  get tlsCert(): string {
    return join(this.secrets, 'tls.crt');
  }
  get borgCache(): string {
    return join(this.root, 'cache', 'borg');
  }
  get borgBase(): string {
    return join(this.root, 'borg');
  }
  /** The borg repository of a host: `repos/host-<uuid>`. */
  repository(hostId: string): string {
    return join(this.root, 'repos', `host-${checkUuid(hostId, 'host')}`);
  }
  passphrase(hostId: string): string {
    return join(this.secrets, `host-${checkUuid(hostId, 'host')}.passphrase`);
  }
  /** The mirrors of one host's VMs: each host has its own tree, so hosts never share or see blocks. */
  mirrors(hostId: string): string {
    return join(this.root, 'mirrors', checkUuid(hostId, 'host'));
  }
}
