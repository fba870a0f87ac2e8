import { join } from 'node:path';

/** The credential's file name inside the config directory. */
export const CREDENTIAL_FILE = 'credential.json';

/** Takes the config directory; returns the credential file's path. */
export function credentialPath(dir: string): string {
  return join(dir, CREDENTIAL_FILE);
}
