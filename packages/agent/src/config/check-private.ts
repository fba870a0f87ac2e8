import type { Stats } from 'node:fs';
import { ConfigError } from './config-error.js';

/**
 * Takes a stat of the config directory or the credential file, what it is, and this process's uid (for
 * tests); throws ConfigError
 * UNAUTHENTICATED when others could read or replace it: any group/other permission bit, or (unless this
 * process is root) an owner that is neither this user nor root. Does nothing on Windows, where POSIX modes mean nothing (the default
 * directory under %APPDATA% inherits the user profile's owner-only ACL; a `VRS_AGENT_CONFIG` elsewhere must
 * be protected by its ACL).
 *
 * Refuse, not fix: a credential that others could read may already be copied, and a directory the user
 * chose (`VRS_AGENT_CONFIG`) is not ours to chmod. The message says how to fix it.
 */
export function checkPrivate(
  stats: Pick<Stats, 'mode' | 'uid'>,
  path: string,
  kind: 'directory' | 'file',
  uid = process.getuid?.() ?? 0,
): void {
  if (process.platform === 'win32') return;
  const mode = stats.mode & 0o777;
  const want = kind === 'directory' ? 0o700 : 0o600;
  if (uid !== 0 && stats.uid !== uid && stats.uid !== 0)
    throw new ConfigError(
      'UNAUTHENTICATED',
      path,
      `the ${kind} belongs to user ${stats.uid}, not to this user (${uid}) or root`,
      `Run the agent as the user that enrolled it, or enroll again as this user.`,
    );
  if ((mode & 0o077) !== 0)
    throw new ConfigError(
      'UNAUTHENTICATED',
      path,
      `the ${kind} is open to other users (mode ${mode.toString(8).padStart(4, '0')}; ${want.toString(8).padStart(4, '0')} required)`,
      kind === 'file'
        ? `Run chmod 600 '${path}'. If others may have read it, enroll the host again to get a new credential.`
        : `Run chmod 700 '${path}', or point VRS_AGENT_CONFIG at a directory only this user can open.`,
    );
}
