import { connectVrs, getConfigDir, readCredential, toVrsError, type VrsClient } from '@vrs/agent';
import { readCliLogin } from './cli-login.js';

/** A connection to the server and who it speaks as. */
export interface Api {
  api: VrsClient;
  as: { kind: 'user'; name: string; role: string } | { kind: 'host'; name: string; hostId: string };
  server: string;
  fingerprint: string;
  close(): Promise<void>;
}

/**
 * Returns a connection to the server: as the person of `vrs login` when there is one, else, on an enrolled
 * host, with the local agent's credential (that host's own VMs only). Throws UNAUTHENTICATED when neither
 * exists. Calls are retried by the caller; a link failure surfaces as FRAME_TRUNCATED.
 */
export async function openApi(): Promise<Api> {
  const login = await readCliLogin();
  if (login) {
    const { client, close } = connectVrs({
      server: login.server,
      fingerprint: login.fingerprint,
      params: { token: login.token },
      retryDelayMs: () => 500,
    });
    return {
      api: client,
      as: { kind: 'user', name: login.user, role: login.role },
      server: login.server,
      fingerprint: login.fingerprint,
      close,
    };
  }
  const credential = await readCredential(getConfigDir()).catch(() => null);
  if (!credential) {
    const { notLoggedIn } = await import('./cli-login.js');
    throw notLoggedIn();
  }
  const { client, close } = connectVrs({
    server: credential.server,
    fingerprint: credential.fingerprint,
    params: { host: credential.hostId, credential: credential.credential },
    retryDelayMs: () => 500,
  });
  return {
    api: client,
    as: { kind: 'host', name: credential.hostName, hostId: credential.hostId },
    server: credential.server,
    fingerprint: credential.fingerprint,
    close,
  };
}

/** Takes a promise of a call; returns its value, or throws its error as a VrsError (code, message, hint). */
export async function call<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw toVrsError(error);
  }
}
