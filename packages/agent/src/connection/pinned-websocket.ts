import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { fingerprintOfDer } from '@vrs/protocol';
import WebSocket from 'ws';

/**
 * Takes the pinned certificate fingerprint (`SHA256:…`); returns a WebSocket class that talks only to the
 * server holding that certificate. The server's certificate is self-signed, so the usual CA check is off
 * and the pin replaces it: the fingerprint is compared when the upgrade answer arrives, before `open`, so
 * nothing secret (connection params, transfer tokens: they go in the first message) reaches another server.
 * A mismatch ends the socket with an error naming both fingerprints.
 */
export function makePinnedWebSocket(fingerprint: string): typeof WebSocket {
  return class PinnedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { rejectUnauthorized: false, maxPayload: 64 * 1024 * 1024 });
      this.on('upgrade', (res: IncomingMessage) => {
        const cert = (res.socket as TLSSocket).getPeerCertificate?.();
        const seen = cert?.raw ? fingerprintOfDer(cert.raw) : 'none';
        if (seen !== fingerprint) {
          this.emit('error', new PinMismatchError(fingerprint, seen));
          this.terminate();
        }
      });
    }
  } as unknown as typeof WebSocket;
}

/** The server presented another certificate than the one pinned at enrollment. */
export class PinMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly seen: string,
  ) {
    super(`the server's certificate is ${seen}, but this host pinned ${expected}: refusing to talk to it`);
    this.name = 'PinMismatchError';
  }
}
