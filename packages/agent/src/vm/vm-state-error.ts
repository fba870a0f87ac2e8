import { type ErrorCode, VrsError } from '@vrs/protocol';

/**
 * A VM is in a state the agent's operation cannot start from: VM_RUNNING (it holds state that the operation
 * would destroy, e.g. a saved state) or INVALID_VM_STATE (a transient state). Carries the VM and its state.
 */
export class VmStateError extends VrsError {
  readonly vm: string;
  readonly state: string;

  constructor(code: ErrorCode, vm: string, state: string, message: string, hint?: string) {
    super(code, message, { details: { vm, state }, ...(hint === undefined ? {} : { hint }) });
    this.name = 'VmStateError';
    this.vm = vm;
    this.state = state;
  }
}
