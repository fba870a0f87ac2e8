import { HRESULTS, type HresultName } from './hresults.js';
import { VBoxFailure } from './vbox-failure.js';

/** The program name VBoxManage prefixes its messages with on Linux and macOS. */
export const PROGRAM = 'VBoxManage';

/** Where a COM error came from, as the `Details:` and `Context:` lines name it. */
export interface ComErrorSource {
  hresult: HresultName;
  component: string;
  iface: string;
  /** The C++ call expression VBoxManage printed for the failing call. */
  context: string;
  /** The VBoxManage source file of the call, e.g. `VBoxManageMisc.cpp`. */
  file: string;
  line: number;
}

/** Takes message text (may hold several lines); returns it as `VBoxManage: error: ` lines. */
export function errorLines(message: string): string {
  return message
    .split('\n')
    .map((line) => `${PROGRAM}: error: ${line}\n`)
    .join('');
}

/**
 * Takes a message and its source; returns the standard three-line COM error block of glue/errorprint.cpp
 * (reference/virtualbox.md §1.0): message, `Details: code NAME (0x…), component …, interface …, callee
 * nsISupports`, `Context: "…" at line N of file F`.
 */
export function comErrorText(message: string, source: ComErrorSource): string {
  const hex = `0x${HRESULTS[source.hresult].toString(16).padStart(8, '0')}`;
  return (
    errorLines(message) +
    errorLines(
      `Details: code ${source.hresult} (${hex}), component ${source.component}, interface ${source.iface}, callee nsISupports`,
    ) +
    errorLines(`Context: "${source.context}" at line ${source.line} of file ${source.file}`)
  );
}

/** Takes a message and its source; returns the failure (exit code 1) printing the COM error block. */
export function comError(message: string, source: ComErrorSource): VBoxFailure {
  return new VBoxFailure(1, comErrorText(message, source));
}

/** Takes a message; returns a failure printing just `VBoxManage: error: <message>` (RTMsgErrorExit). */
export function plainError(message: string, exitCode = 1): VBoxFailure {
  return new VBoxFailure(exitCode, errorLines(message));
}
