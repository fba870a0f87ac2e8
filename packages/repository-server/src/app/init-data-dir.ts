import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { DEFAULT_RETENTION } from '@vrs/protocol';
import { openCatalog } from '../catalog/open-catalog.js';
import { makeCertificate } from '../tls/make-certificate.js';
import { addUser, makePassword } from '../users/users.js';
import { DataPaths } from './data-paths.js';
import { ServerError } from './server-error.js';

/**
 * Takes a data directory and the names agents will use; makes it ready: the directory tree (secrets 0700),
 * a self-signed TLS certificate for those names and this machine's addresses, the catalog, the default
 * policy (the seed's retention), and a first admin `admin` with a random password. Returns the password
 * (shown once, stored only as a scrypt hash) and the certificate fingerprint. Throws CONFLICT when the
 * directory is already initialized.
 */
export async function initDataDir(
  dir: string,
  publicNames: string[],
): Promise<{ admin: string; password: string; fingerprint: string }> {
  const paths = new DataPaths(dir);
  if (existsSync(paths.tlsCert) || existsSync(paths.catalog)) {
    throw new ServerError('CONFLICT', `${dir} is already initialized`, {
      hint: 'Start it with `vrs-server start`, or pick an empty directory.',
    });
  }
  await mkdir(paths.secrets, { recursive: true, mode: 0o700 });
  const ips = Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i && !i.address.startsWith('fe80') ? [i.address] : []));
  const cert = await makeCertificate({ dns: publicNames, ips });
  await writeFile(paths.tlsKey, cert.key, { mode: 0o600, flag: 'wx' });
  await writeFile(paths.tlsCert, cert.cert, { mode: 0o644, flag: 'wx' });
  const { catalog, close } = await openCatalog(dir);
  try {
    const { id: _id, ...policy } = { id: '', ...DEFAULT_RETENTION };
    await catalog.retentionPolicy.create({ data: policy });
    const password = makePassword();
    await addUser(catalog, 'admin', 'admin', password);
    return { admin: 'admin', password, fingerprint: cert.fingerprint };
  } finally {
    await close();
  }
}
