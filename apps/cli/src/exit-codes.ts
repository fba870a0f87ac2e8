/** The `vrs` command's exit codes (README, "Exit codes"). */
export const EXIT = {
  /** Success; for `image diff`: the images are equal. */
  ok: 0,
  /** `image diff` only: the images differ. */
  differ: 1,
  /** The command line is wrong. */
  usage: 2,
  /** The operation failed; the message says why and what to do. */
  failed: 3,
  /** A bug in vrs. */
  internal: 4,
} as const;
