/** Takes ms since the epoch; returns `VMStateChangeTime`'s text: UTC, 9 fraction digits (ms × 10⁶), no `Z`. */
export function vmStateChangeTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000`;
}

/** Takes ms since the epoch; returns the `.vbox` timestamp form `YYYY-MM-DDTHH:MM:SSZ`. */
export function settingsTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * Takes ms since the epoch; returns the name VirtualBox gives saved-state and NVRAM copies
 * (`Machine::i_composeSavedStateFilename`): `YYYY-MM-DDTHH-MM-SS-NNNNNNNNNZ`.
 */
export function snapshotFileStamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  const sub = Number(process.hrtime.bigint() % 1_000_000n);
  const nanos = String(Number(iso.slice(20, 23)) * 1_000_000 + sub).padStart(9, '0');
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}-${iso.slice(14, 16)}-${iso.slice(17, 19)}-${nanos}Z`;
}
