/** A medium in a media registry; differencing children nest inside their parent (reference §2). */
export interface MediumNode {
  uuid: string;
  /** Absolute path of the image file. */
  location: string;
  format: string;
  /** `Normal` on base media; absent on differencing ones. */
  type?: string;
  children: MediumNode[];
}

/** One device on a controller port. `imageUuid` is unset for an empty drive. */
export interface Attachment {
  type: 'HardDisk' | 'DVD';
  port: number;
  device: number;
  imageUuid?: string;
  hotpluggable: boolean;
  nonrotational: boolean;
  discard: boolean;
}

/** A storage controller with its attachments. `type` is the settings name (`AHCI`, `PIIX4`, `LsiLogic`, …). */
export interface StorageController {
  name: string;
  type: string;
  portCount: number;
  useHostIOCache: boolean;
  bootable: boolean;
  attachments: Attachment[];
}

/** A network adapter; `mac` is 12 hex digits, empty when none was generated or set. */
export interface NetworkAdapter {
  slot: number;
  enabled: boolean;
  mac: string;
  type: string;
}

/** The hardware of the current state or of a snapshot. */
export interface Hardware {
  memoryMB: number;
  cpus: number;
  firmware: 'BIOS' | 'EFI';
  /** Absolute path of the NVRAM file (EFI machines). */
  nvramPath?: string;
  adapters: NetworkAdapter[];
  controllers: StorageController[];
}

/** A snapshot with the hardware (and so the disk attachments) as of the moment it was taken. */
export interface SnapshotNode {
  uuid: string;
  name: string;
  description?: string;
  /** `YYYY-MM-DDTHH:MM:SSZ`. */
  timeStamp: string;
  /** Absolute path of the snapshot's saved state, for online snapshots. */
  stateFile?: string;
  hardware: Hardware;
  children: SnapshotNode[];
}

/** Everything a `.vbox` file holds that the double models (reference §2). All paths absolute. */
export interface MachineConfig {
  uuid: string;
  name: string;
  osType: string;
  settingsFile: string;
  snapshotFolder: string;
  currentSnapshot?: string;
  currentStateModified: boolean;
  /** `YYYY-MM-DDTHH:MM:SSZ`. */
  lastStateChange: string;
  stateFile?: string;
  aborted: boolean;
  description?: string;
  media: MediumNode[];
  extraData: [string, string][];
  snapshot?: SnapshotNode;
  hardware: Hardware;
}
