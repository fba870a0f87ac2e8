import { errorLines } from './com-error.js';
import { HRESULTS, type HresultName } from './hresults.js';
import { VBoxFailure } from './vbox-failure.js';

/** What `showProgress()` prints to stderr for an operation that completes. */
export const PROGRESS_DONE = '0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n';

/** What a failed progress object reports. */
export interface ProgressError {
  /** The CHECK_PROGRESS_ERROR message, e.g. `Snapshot operation failed`. */
  message: string;
  /** The operation's own error text (may hold several lines). */
  errorText: string;
  hresult: HresultName;
  component: string;
  iface: string;
  /** The function named in the Context line. */
  context: string;
  file: string;
  line: number;
  /** The progress printed before the failure, e.g. `0%...`. */
  printed?: string;
}

/**
 * Takes a progress error; returns the failure VBoxManage prints for it: the partial progress,
 * `Progress state: <HRESULT>`, the message, the error info (Details without callee) and the Context line.
 */
export function progressFailure(e: ProgressError): VBoxFailure {
  const hex = `0x${HRESULTS[e.hresult].toString(16).padStart(8, '0')}`;
  return new VBoxFailure(
    1,
    `${e.printed ?? '0%...'}\nProgress state: ${e.hresult}\n` +
      errorLines(e.message) +
      errorLines(e.errorText) +
      errorLines(`Details: code ${e.hresult} (${hex}), component ${e.component}, interface ${e.iface}`) +
      errorLines(`Context: "${e.context}" at line ${e.line} of file ${e.file}`),
  );
}
