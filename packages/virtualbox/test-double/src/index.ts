/**
 * The VirtualBox test double, for tests of the driver and of capture providers: a fresh double home with
 * its runner, the guest writer's log, a virtual-block reader for VDI chains, and the consistency checker.
 */
export { type CutDisk, type CutVerdict, checkConsistentCut } from './check-consistent-cut.js';
export { DOUBLE_HOME_VAR, DOUBLE_VERSION_VAR, type DoubleVersion } from './double-env.js';
export { GUEST_ADDITIONS_KEY } from './guest-additions.js';
export { GUEST_BLOCK_HEADER, type ParsedGuestBlock, parseGuestBlock } from './guest-block.js';
export { ACPI_DELAY_KEY } from './guest-writer-process.js';
export { GUEST_CREDENTIALS_KEY } from './handle-guestcontrol.js';
export { type DoubleHome, type DoubleRun, doubleBinDir, makeDoubleHome } from './make-double-home.js';
export { OPERATION_DELAY_KEY, OPERATION_GATE_KEY } from './operation-delay.js';
export { openChainReader, readVirtualBlock } from './read-virtual-block.js';
export { parseWriterLog, readWriterLog, type WriterLogEntry } from './writer-log.js';
export {
  DEFAULT_WRITER_SETTINGS,
  parseWriterSettings,
  WRITER_SETTINGS_KEY,
  type WriterSettings,
} from './writer-settings.js';
