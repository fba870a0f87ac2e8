/** Limits of the login limiter. */
export interface LoginLimits {
  /** Failures allowed in `windowMs` before the key is locked out. */
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
}

/** Five failures in ten minutes lock the account (and the address) for fifteen. */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { maxFailures: 5, windowMs: 10 * 60_000, lockoutMs: 15 * 60_000 };

/**
 * Rate limit and lockout of admin logins, per key (user name, and remote address, checked separately).
 * In memory: a restart forgets failures, which only ever helps the legitimate user.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly lockedUntil = new Map<string, number>();

  constructor(
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a key; returns the milliseconds until it may try again (0 when it may try now). */
  retryAfter(key: string): number {
    return Math.max(0, (this.lockedUntil.get(key) ?? 0) - this.now());
  }

  /** Takes a key; records a failed attempt, locking the key out at the limit. */
  fail(key: string): void {
    const now = this.now();
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
    recent.push(now);
    this.failures.set(key, recent);
    if (recent.length >= this.limits.maxFailures) {
      this.lockedUntil.set(key, now + this.limits.lockoutMs);
      this.failures.delete(key);
    }
  }

  /** Takes a key; forgets its failures (a successful login). */
  succeed(key: string): void {
    this.failures.delete(key);
    this.lockedUntil.delete(key);
  }
}
