/** Extra data key holding the guest writer's settings, e.g. `rate=20,seed=1,blocks=0-63`. */
export const WRITER_SETTINGS_KEY = 'vrs-double/guest-writer';

/** How the guest writer writes. */
export interface WriterSettings {
  /** Writes per second; 0 writes flat out. */
  rate: number;
  /** Seeds the choice of blocks and their payloads. */
  seed: number;
  /** First and last virtual block written (clamped to each disk's size). */
  first: number;
  last: number;
}

/** The settings used when the extra data is absent: 20 writes/s, seed 1, blocks 0..63. */
export const DEFAULT_WRITER_SETTINGS: WriterSettings = { rate: 20, seed: 1, first: 0, last: 63 };

/**
 * Takes the extra data value (`rate=<n>,seed=<n>,blocks=<first>-<last>`, any subset, any order); returns the
 * settings, with defaults for missing or malformed parts.
 */
export function parseWriterSettings(value: string | undefined): WriterSettings {
  const settings = { ...DEFAULT_WRITER_SETTINGS };
  for (const part of (value ?? '').split(',')) {
    const [key, raw = ''] = part.split('=').map((s) => s.trim());
    if (key === 'rate' && /^\d+(\.\d+)?$/.test(raw)) settings.rate = Number(raw);
    else if (key === 'seed' && /^\d+$/.test(raw)) settings.seed = Number(raw) >>> 0;
    else if (key === 'blocks') {
      const range = /^(\d+)-(\d+)$/.exec(raw);
      if (range && Number(range[1]) <= Number(range[2])) {
        settings.first = Number(range[1]);
        settings.last = Number(range[2]);
      }
    }
  }
  return settings;
}
