/** VBoxManage's short machine state names (`machineStateToName(state, true)`, reference/virtualbox.md §1.2). */
export type MachineStateName =
  | 'poweroff'
  | 'saved'
  | 'teleported'
  | 'aborted'
  | 'aborted-saved'
  | 'running'
  | 'paused'
  | 'gurumeditation'
  | 'teleporting'
  | 'livesnapshotting'
  | 'starting'
  | 'stopping'
  | 'saving'
  | 'restoring'
  | 'teleportingpausedvm'
  | 'teleportingin'
  | 'deletingsnapshotlive'
  | 'deletingsnapshotlivepaused'
  | 'onlinesnapshotting'
  | 'restoringsnapshot'
  | 'deletingsnapshot'
  | 'settingup'
  | 'snapshotting';

interface StateInfo {
  /** MachineState_T value (7.0 numbering, with AbortedSaved = 5). */
  code: number;
  /** `Global::stringifyMachineState`, used in `Invalid machine state: %s`. */
  api: string;
  /** `machineStateToName(state, false)`, used in human messages. */
  long: string;
}

const STATES: Record<MachineStateName, StateInfo> = {
  poweroff: { code: 1, api: 'PoweredOff', long: 'powered off' },
  saved: { code: 2, api: 'Saved', long: 'saved' },
  teleported: { code: 3, api: 'Teleported', long: 'teleported' },
  aborted: { code: 4, api: 'Aborted', long: 'aborted' },
  'aborted-saved': { code: 5, api: 'Aborted-Saved', long: 'aborted-saved' },
  running: { code: 6, api: 'Running', long: 'running' },
  paused: { code: 7, api: 'Paused', long: 'paused' },
  gurumeditation: { code: 8, api: 'GuruMeditation', long: 'guru meditation' },
  teleporting: { code: 9, api: 'Teleporting', long: 'teleporting' },
  livesnapshotting: { code: 10, api: 'LiveSnapshotting', long: 'live snapshotting' },
  starting: { code: 11, api: 'Starting', long: 'starting' },
  stopping: { code: 12, api: 'Stopping', long: 'stopping' },
  saving: { code: 13, api: 'Saving', long: 'saving' },
  restoring: { code: 14, api: 'Restoring', long: 'restoring' },
  teleportingpausedvm: { code: 15, api: 'TeleportingPausedVM', long: 'teleporting paused vm' },
  teleportingin: { code: 16, api: 'TeleportingIn', long: 'teleporting (incoming)' },
  deletingsnapshotlive: { code: 17, api: 'DeletingSnapshotOnline', long: 'deleting snapshot live' },
  deletingsnapshotlivepaused: { code: 18, api: 'DeletingSnapshotPaused', long: 'deleting snapshot live paused' },
  onlinesnapshotting: { code: 19, api: 'OnlineSnapshotting', long: 'online snapshotting' },
  restoringsnapshot: { code: 20, api: 'RestoringSnapshot', long: 'restoring snapshot' },
  deletingsnapshot: { code: 21, api: 'DeletingSnapshot', long: 'deleting snapshot' },
  settingup: { code: 22, api: 'SettingUp', long: 'setting up' },
  snapshotting: { code: 23, api: 'Snapshotting', long: 'offline snapshotting' },
};

/** Takes a state; returns `Global::stringifyMachineState` (e.g. `PoweredOff`, `LiveSnapshotting`). */
export function apiStateName(state: MachineStateName): string {
  return STATES[state].api;
}

/** Takes a state; returns the long human name (e.g. `powered off`, `live snapshotting`). */
export function longStateName(state: MachineStateName): string {
  return STATES[state].long;
}

/** Takes a state; returns its MachineState_T number. */
export function stateCode(state: MachineStateName): number {
  return STATES[state].code;
}

/** States in which a VM process (the guest writer) exists and holds the session lock. */
export const VM_PROCESS_STATES: ReadonlySet<MachineStateName> = new Set([
  'running',
  'paused',
  'gurumeditation',
  'teleporting',
  'livesnapshotting',
  'starting',
  'stopping',
  'saving',
  'restoring',
  'teleportingpausedvm',
  'teleportingin',
  'deletingsnapshotlive',
  'deletingsnapshotlivepaused',
  'onlinesnapshotting',
]);

/** States `list runningvms` prints (VBoxManageList.cpp, reference §1.1). */
export const RUNNINGVMS_STATES: ReadonlySet<MachineStateName> = new Set([
  'running',
  'teleporting',
  'livesnapshotting',
  'paused',
  'teleportingpausedvm',
]);

/** Transient states (`Global::IsTransient`). */
export const TRANSIENT_STATES: ReadonlySet<MachineStateName> = new Set([
  'teleporting',
  'livesnapshotting',
  'starting',
  'stopping',
  'saving',
  'restoring',
  'teleportingpausedvm',
  'teleportingin',
  'deletingsnapshotlive',
  'deletingsnapshotlivepaused',
  'onlinesnapshotting',
  'restoringsnapshot',
  'deletingsnapshot',
  'settingup',
  'snapshotting',
]);
