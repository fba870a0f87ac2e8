import { randomBytes } from 'node:crypto';

/**
 * Takes the MAC addresses already in use (12 upper-case hex digits); returns a new one made the way
 * VirtualBox makes them: Oracle's `080027` prefix (unicast, globally administered) and 3 random bytes,
 * different from every one given.
 */
export function newMacAddress(taken: ReadonlySet<string>): string {
  for (;;) {
    const mac = `080027${randomBytes(3).toString('hex').toUpperCase()}`;
    if (!taken.has(mac)) return mac;
  }
}
