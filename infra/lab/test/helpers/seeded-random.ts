/** A seeded pseudo-random source, so a failing run of the fault tests can be replayed with its seed. */
export interface Random {
  seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number;
  /** One of the items. */
  pick<T>(items: readonly T[]): T;
}

/**
 * Takes a name (what the seed is for) and an optional seed; returns a mulberry32 source seeded with it, or
 * with `VRS_FAULTS_SEED` when set, else a fresh random seed. Prints the seed and how to replay it.
 */
export function seededRandom(name: string, seed?: number): Random {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by vitest, not a turbo task; it only picks the faults.
  const fromEnv = Number(process.env.VRS_FAULTS_SEED);
  const chosen = seed ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.floor(Math.random() * 2 ** 31));
  console.log(`${name}: seed ${chosen} (replay: VRS_FAULTS_SEED=${chosen})`);
  let state = chosen >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed: chosen,
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from nothing');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}
