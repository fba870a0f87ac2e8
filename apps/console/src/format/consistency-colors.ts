/** The colour of each consistency level in the timeline and its legend (null: an archive found in borg only). */
export const CONSISTENCY_COLORS: Record<'crash' | 'application' | 'full' | 'unknown', string> = {
  crash: '#d9822b',
  application: '#2f6fd0',
  full: '#2e9d5b',
  unknown: '#8a8f98',
};

/** What each consistency level means, for the legend. */
export const CONSISTENCY_MEANING: Record<keyof typeof CONSISTENCY_COLORS, string> = {
  crash: 'crash-consistent (like a power cut)',
  application: 'application-consistent (guest quiesced)',
  full: 'fully consistent (memory included)',
  unknown: 'unknown (found in borg only)',
};
