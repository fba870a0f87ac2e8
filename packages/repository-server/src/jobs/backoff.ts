/** Attempts a job gets before it fails for good. */
export const MAX_ATTEMPTS = 5;

/** Takes the attempts made so far; returns the wait before the next one: 10 s, 20 s, 40 s, … capped at 10 min. */
export function backoffMs(attempts: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 600_000);
}
