import { randomBytes } from 'node:crypto';

/** Returns a new MAC address the way VirtualBox makes them: Oracle's `080027` prefix and 3 random bytes. */
export function generateMac(): string {
  return `080027${randomBytes(3).toString('hex').toUpperCase()}`;
}

/**
 * Takes a MAC address argument; returns it normalized (12 upper-case hex digits), or undefined when it is
 * not a valid unicast address (`NetworkAdapter::i_updateMacAddress`: 12 hex digits, even second digit).
 */
export function normalizeMac(text: string): string | undefined {
  const mac = text.replace(/[:-]/g, '').toUpperCase();
  if (!/^[0-9A-F]{12}$/.test(mac)) return undefined;
  return Number.parseInt(mac[1] as string, 16) % 2 === 0 ? mac : undefined;
}
