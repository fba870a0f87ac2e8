import { createTRPCClient, createWSClient, type TRPCClient, TRPCClientError, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import type { AppRouter } from '../../src/index.js';

/** A WebSocket for tests on loopback: accepts the server's self-signed certificate (agents pin it instead). */
class LoopbackWebSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[]) {
    super(address, protocols, { rejectUnauthorized: false });
  }
}

/** A connected test client and how to close it. */
export interface TestClient {
  api: TRPCClient<AppRouter>;
  close(): Promise<void>;
}

/** Takes the server URL and connection params; returns a tRPC client (no reconnects: a test sees a drop). */
export function connect(url: string, params: Record<string, string> = {}): TestClient {
  const ws = createWSClient({
    url: `${url}/trpc`,
    WebSocket: LoopbackWebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: params,
    retryDelayMs: () => 200,
  });
  return { api: createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] }), close: () => ws.close() };
}

/** Takes a promise that must fail; returns the domain code and message it failed with. */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ vrsCode: string; code: string; message: string; hint: string }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const data = error.data as { vrsCode: string; code: string; hint: string };
    return { vrsCode: data.vrsCode, code: data.code, message: error.message, hint: data.hint };
  }
  throw new Error('expected the call to fail');
}

/** A VM as a host reports it in its inventory (no disks). */
export interface ReportedVm {
  uuid: string;
  name: string;
  state: 'poweroff' | 'running';
  configFile: string;
}

/**
 * Takes the server URL, the admin's password and a VM; logs the admin in, enrolls a host `laptop` that
 * reports that VM, and disconnects the host and the anonymous client (the laptop goes away). Returns the
 * admin's client (still open) and the host's id.
 */
export async function enrollLaptopWithVm(
  url: string,
  adminPassword: string,
  vm: ReportedVm,
): Promise<{ admin: TestClient; hostId: string }> {
  const anonymous = connect(url);
  const admin = connect(url, {
    token: (await anonymous.api.auth.login.mutate({ name: 'admin', password: adminPassword })).token,
  });
  const { token } = await admin.api.hosts.createToken.mutate({ name: 'laptop' });
  const enrolled = await anonymous.api.agent.enroll.mutate({
    token,
    os: 'linux',
    agentVersion: '0.1.0',
    virtualBoxVersion: null,
  });
  const host = connect(url, { host: enrolled.hostId, credential: enrolled.credential });
  await host.api.agent.inventory.mutate({ virtualBoxVersion: null, vms: [{ ...vm, disks: [] }] });
  await Promise.all([host.close(), anonymous.close()]);
  return { admin, hostId: enrolled.hostId };
}
