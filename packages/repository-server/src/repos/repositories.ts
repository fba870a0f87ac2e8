import { type BorgRepo, initRepo } from '@vrs/borg';
import type { DataPaths } from '../app/data-paths.js';
import { ServerError } from '../app/server-error.js';
import type { Repository } from '../catalog/generated/prisma/client.js';
import type { Catalog } from '../catalog/open-catalog.js';
import type { ServerConfig } from '../config/server-config.js';
import { MirrorStore } from '../mirror/mirror-store.js';

/**
 * The server's borg repositories (one per host, made at enrollment) and mirror stores (one tree per host).
 * Turns catalog rows into the BorgRepo the borg wrapper takes.
 */
export class Repositories {
  private readonly stores = new Map<string, MirrorStore>();

  constructor(
    private readonly catalog: Catalog,
    private readonly paths: DataPaths,
    private readonly config: ServerConfig,
  ) {}

  /** Takes a repository row; returns the BorgRepo to run borg on it. */
  borg(row: Pick<Repository, 'path' | 'passphraseFile'>): BorgRepo {
    return {
      path: row.path,
      passphraseFile: row.passphraseFile,
      cacheDir: this.paths.borgCache,
      baseDir: this.paths.borgBase,
      lockWaitSeconds: this.config.borg.lockWaitSeconds,
    };
  }

  /** Takes a host id; returns its mirror store. */
  mirror(hostId: string): MirrorStore {
    let store = this.stores.get(hostId);
    if (!store) {
      store = new MirrorStore(this.paths.mirrors(hostId));
      this.stores.set(hostId, store);
    }
    return store;
  }

  /** Takes a host id; returns its repository row. Throws REPO_NOT_FOUND. */
  async ofHost(hostId: string): Promise<Repository> {
    const row = await this.catalog.repository.findFirst({ where: { hostId }, orderBy: { createdAt: 'asc' } });
    if (!row) throw new ServerError('REPO_NOT_FOUND', `host ${hostId} has no borg repository`);
    return row;
  }

  /** Takes a host id; runs `borg init` for its repository (passphrase made 0600) and records it. */
  async create(hostId: string): Promise<Repository> {
    const path = this.paths.repository(hostId);
    const passphraseFile = this.paths.passphrase(hostId);
    await initRepo(this.borg({ path, passphraseFile }));
    return this.catalog.repository.create({ data: { name: `host-${hostId}`, path, passphraseFile, hostId } });
  }

  /** Returns every repository row. */
  all(): Promise<Repository[]> {
    return this.catalog.repository.findMany({ orderBy: { createdAt: 'asc' } });
  }
}
