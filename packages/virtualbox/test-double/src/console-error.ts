import { comError } from './com-error.js';
import type { HresultName } from './hresults.js';
import type { VBoxFailure } from './vbox-failure.js';

/** Takes a message, the call expression and its line; returns an IConsole error of `controlvm`. */
export function consoleError(
  message: string,
  context: string,
  line: number,
  hresult: HresultName = 'VBOX_E_INVALID_VM_STATE',
): VBoxFailure {
  return comError(message, {
    hresult,
    component: 'ConsoleWrap',
    iface: 'IConsole',
    context,
    file: 'VBoxManageControlVM.cpp',
    line,
  });
}
