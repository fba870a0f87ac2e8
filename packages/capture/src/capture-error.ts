import { VrsError } from '@vrs/protocol';

/** The capture boundary's error: CAPTURE_FAILED (with the step and the cause), INVALID_VM_STATE, … */
export class CaptureError extends VrsError {
  readonly step: string;

  constructor(step: string, message: string, cause?: unknown) {
    super('CAPTURE_FAILED', `capture failed while ${step}: ${message}`, { cause, details: { step } });
    this.name = 'CaptureError';
    this.step = step;
  }
}
