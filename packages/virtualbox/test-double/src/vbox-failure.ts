/**
 * Ends a command: what it printed so far stays printed, `stderr` is written, and the process exits with
 * `exitCode`. Thrown by command handlers, caught only by main.ts.
 */
export class VBoxFailure extends Error {
  constructor(
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(stderr.trimEnd());
    this.name = 'VBoxFailure';
  }
}
