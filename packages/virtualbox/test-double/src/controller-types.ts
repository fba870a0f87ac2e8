/** What the double knows about a storage bus. */
export interface BusInfo {
  bus: 'ide' | 'sata' | 'scsi' | 'sas';
  /** Default controller type (settings name). */
  defaultType: string;
  defaultPorts: number;
  maxPorts: number;
  devicesPerPort: number;
}

const BUSES: BusInfo[] = [
  { bus: 'ide', defaultType: 'PIIX4', defaultPorts: 2, maxPorts: 2, devicesPerPort: 2 },
  { bus: 'sata', defaultType: 'AHCI', defaultPorts: 30, maxPorts: 30, devicesPerPort: 1 },
  { bus: 'scsi', defaultType: 'LsiLogic', defaultPorts: 16, maxPorts: 16, devicesPerPort: 1 },
  { bus: 'sas', defaultType: 'LsiLogicSas', defaultPorts: 8, maxPorts: 255, devicesPerPort: 1 },
];

/** Settings controller type → [bus, API name `storagecontrollertype` prints]. */
const TYPES: Record<string, [BusInfo['bus'], string]> = {
  PIIX3: ['ide', 'PIIX3'],
  PIIX4: ['ide', 'PIIX4'],
  ICH6: ['ide', 'ICH6'],
  AHCI: ['sata', 'IntelAhci'],
  LsiLogic: ['scsi', 'LsiLogic'],
  BusLogic: ['scsi', 'BusLogic'],
  LsiLogicSas: ['sas', 'LsiLogicSas'],
};

/** `storagectl --controller` values (case-insensitive) → settings type. */
const CONTROLLER_ARGS: Record<string, string> = {
  piix3: 'PIIX3',
  piix4: 'PIIX4',
  ich6: 'ICH6',
  intelahci: 'AHCI',
  lsilogic: 'LsiLogic',
  buslogic: 'BusLogic',
  lsilogicsas: 'LsiLogicSas',
};

/** Takes an `--add` value; returns its bus, or undefined for one the double does not model. */
export function busByName(name: string): BusInfo | undefined {
  return BUSES.find((b) => b.bus === name.toLowerCase());
}

/** Takes a settings controller type; returns its bus. */
export function busOfType(type: string): BusInfo {
  const bus = TYPES[type]?.[0] ?? 'sata';
  return BUSES.find((b) => b.bus === bus) as BusInfo;
}

/** Takes a settings controller type; returns the name `showvminfo` prints. */
export function apiControllerType(type: string): string {
  return TYPES[type]?.[1] ?? 'unknown';
}

/** Takes a `--controller` value; returns the settings type, or undefined. */
export function controllerTypeByArg(arg: string): string | undefined {
  return CONTROLLER_ARGS[arg.toLowerCase()];
}
