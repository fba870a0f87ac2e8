/** VM states in which nothing runs and nothing is lost by replacing the files (the agent's own rule). */
export const OFF_STATES: ReadonlySet<string> = new Set(['poweroff', 'aborted', 'teleported']);
/** States whose saved memory a power-off would throw away: the agent refuses to power these off. */
export const SAVED_STATES: ReadonlySet<string> = new Set(['saved', 'aborted-saved']);
