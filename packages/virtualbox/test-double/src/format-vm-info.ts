import { dirname, join } from 'node:path';
import { apiControllerType, busOfType } from './controller-types.js';
import type { Dialect } from './dialect.js';
import type { AccessibleMachine, DoubleState } from './double-state.js';
import { vmStateChangeTime } from './format-time.js';
import { guestAdditionsOn } from './guest-additions.js';
import type { StorageController } from './machine-config.js';
import { mrLine } from './machine-readable.js';
import { VM_PROCESS_STATES } from './machine-state.js';
import { osTypeDescription } from './os-types.js';
import { machineReadableSnapshots } from './snapshot-tree.js';

/**
 * Takes the state, a machine and the dialect; returns `showvminfo <vm> --machinereadable` output with the
 * key set and order of VBoxManageInfo.cpp (reference §1.2), including the 7.0 `Encryption:` line, storage
 * attachment keys for every port × device, snapshot keys, and the console/guest lines while a VM process
 * runs. 6.1 differences: no `Encryption:` line, raw storage paths, `<Ctl>-tempeject`/`-IsEjected` without
 * port and device, no `-nonrotational`/`-discard` keys.
 */
export function formatVmInfo(state: DoubleState, machine: AccessibleMachine, dialect: Dialect): string {
  const c = machine.config;
  const rt = machine.runtime;
  const hw = c.hardware;
  const running = VM_PROCESS_STATES.has(rt.state);
  const folder = dirname(c.settingsFile);
  let out = mrLine('name', c.name);
  if (dialect.v7) out += 'Encryption:     disabled\n';
  out += mrLine('groups', '/');
  out += mrLine('ostype', osTypeDescription(c.osType));
  out += mrLine('UUID', c.uuid);
  out += mrLine('CfgFile', c.settingsFile);
  out += mrLine('SnapFldr', c.snapshotFolder);
  out += mrLine('LogFldr', join(folder, 'Logs'));
  out += mrLine('hardwareuuid', c.uuid);
  out += `memory=${hw.memoryMB}\n`;
  out += mrLine('pagefusion', 'off');
  out += 'vram=8\ncpuexecutioncap=100\n';
  out += mrLine('hpet', 'off');
  out += mrLine('cpu-profile', 'host');
  out += mrLine('chipset', 'piix3');
  out += mrLine('firmware', hw.firmware);
  out += `cpus=${hw.cpus}\n`;
  for (const [k, v] of [
    ['pae', 'on'],
    ['longmode', 'on'],
    ['triplefaultreset', 'off'],
    ['apic', 'on'],
    ['x2apic', 'on'],
    ['nested-hw-virt', 'off'],
  ] as const)
    out += mrLine(k, v);
  out += 'cpuid-portability-level=0\n';
  out += mrLine('bootmenu', 'messageandmenu');
  out += 'boot1="floppy"\nboot2="dvd"\nboot3="disk"\nboot4="none"\n';
  out += 'acpi="on"\nioapic="on"\nbiosapic="apic"\nbiossystemtimeoffset=0\n';
  if (hw.nvramPath !== undefined && dialect.v7) out += mrLine('BIOS NVRAM File', hw.nvramPath);
  out += 'rtcuseutc="off"\nhwvirtex="on"\nnestedpaging="on"\nlargepages="off"\nvtxvpid="on"\nvtxux="on"\n';
  if (dialect.v7) out += 'virtvmsavevmload="on"\niommu="none"\n';
  out += 'paravirtprovider="default"\neffparavirtprovider="kvm"\n';
  out += `VMState="${rt.state}"\n`;
  out += `VMStateChangeTime="${vmStateChangeTime(rt.stateChangeMs)}"\n`;
  if (c.stateFile !== undefined) out += `VMStateFile="${c.stateFile}"\n`;
  out += 'graphicscontroller="vboxvga"\nmonitorcount=1\naccelerate3d="off"\n';
  if (!dialect.v7) out += 'accelerate2dvideo="off"\n';
  out += 'teleporterenabled="off"\nteleporterport=0\nteleporteraddress=""\nteleporterpassword=""\n';
  out += 'tracing-enabled="off"\ntracing-allow-vm-access="off"\ntracing-config=""\n';
  out += 'autostart-enabled="off"\nautostart-delay=0\ndefaultfrontend=""\nvmprocpriority="default"\n';
  out += formatControllers(hw.controllers);
  for (const ctl of hw.controllers) out += formatAttachments(state, ctl, dialect);
  out += formatNics(machine);
  out += 'hidpointing="ps2mouse"\nhidkeyboard="ps2kbd"\n';
  out += 'uart1="off"\nuart2="off"\nuart3="off"\nuart4="off"\nlpt1="off"\nlpt2="off"\n';
  out += 'audio="none"\naudio_out="off"\naudio_in="off"\nclipboard="disabled"\ndraganddrop="disabled"\n';
  if (rt.sessionName !== undefined) out += mrLine('SessionName', rt.sessionName);
  if (running) out += 'VideoMode="720,400,0"@0,0 1\n';
  out += 'vrde="off"\nusb="off"\nehci="off"\nxhci="off"\n';
  if (running) out += 'VRDEActiveConnection="off"\nVRDEClients==0\n';
  out += 'recording_enabled="off"\nrecording_screens=1\n rec_screen0\n';
  out += 'rec_screen_enabled="on"\nrec_screen_id=0\nrec_screen_video_enabled="on"\nrec_screen_audio_enabled="off"\n';
  out += 'rec_screen_dest="File"\n';
  out += mrLine('rec_screen_dest_filename', join(folder, `${c.name}-screen0.webm`));
  out += 'rec_screen_opts="vc_enabled=true,ac_enabled=false,ac_profile=med"\n';
  out += 'rec_screen_video_res_xy="1024x768"\nrec_screen_video_rate_kbps=512\nrec_screen_video_fps=25\n';
  if (c.description) out += mrLine('description', c.description);
  out += machineReadableSnapshots(c);
  out += 'GuestMemoryBalloon=0\n';
  if (running) out += formatGuest(machine, dialect);
  return out;
}

function formatControllers(controllers: StorageController[]): string {
  let out = '';
  const instances = new Map<string, number>();
  controllers.forEach((ctl, i) => {
    const bus = busOfType(ctl.type);
    const instance = instances.get(bus.bus) ?? 0;
    instances.set(bus.bus, instance + 1);
    out += mrLine(`storagecontrollername${i}`, ctl.name);
    out += mrLine(`storagecontrollertype${i}`, apiControllerType(ctl.type));
    out += `storagecontrollerinstance${i}="${instance}"\n`;
    out += `storagecontrollermaxportcount${i}="${bus.maxPorts}"\n`;
    out += `storagecontrollerportcount${i}="${ctl.portCount}"\n`;
    out += `storagecontrollerbootable${i}="${ctl.bootable ? 'on' : 'off'}"\n`;
  });
  return out;
}

function formatAttachments(state: DoubleState, ctl: StorageController, dialect: Dialect): string {
  const devices = busOfType(ctl.type).devicesPerPort;
  const hotplugKey = /^(sata|usb)$/i.test(ctl.name);
  const q = { quoteKey: true };
  const suffix = (port: number, device: number) => (dialect.v7 ? `-${port}-${device}` : '');
  let out = '';
  for (let port = 0; port < ctl.portCount; port++) {
    for (let device = 0; device < devices; device++) {
      const key = `${ctl.name}-${port}-${device}`;
      const a = ctl.attachments.find((x) => x.port === port && x.device === device);
      if (a === undefined) {
        out += mrLine(key, 'none', q);
        continue;
      }
      const medium = a.imageUuid === undefined ? undefined : state.findMedium(a.imageUuid)?.node;
      if (medium === undefined) {
        out += mrLine(key, 'emptydrive', q);
        if (a.type === 'DVD') out += mrLine(`${ctl.name}-IsEjected${suffix(port, device)}`, 'off', q);
        continue;
      }
      out += mrLine(key, medium.location, { quoteKey: true, raw: !dialect.v7 });
      out += mrLine(`${ctl.name}-ImageUUID-${port}-${device}`, medium.uuid, q);
      if (a.type === 'DVD') {
        out += mrLine(`${ctl.name}-tempeject${suffix(port, device)}`, 'off', q);
        out += mrLine(`${ctl.name}-IsEjected${suffix(port, device)}`, 'off', q);
      }
      if (hotplugKey) out += mrLine(`${ctl.name}-hot-pluggable-${port}-${device}`, a.hotpluggable ? 'on' : 'off', q);
      if (dialect.v7) {
        out += mrLine(`${ctl.name}-nonrotational-${port}-${device}`, a.nonrotational ? 'on' : 'off', q);
        out += mrLine(`${ctl.name}-discard-${port}-${device}`, a.discard ? 'on' : 'off', q);
      }
    }
  }
  return out;
}

function formatNics(machine: AccessibleMachine): string {
  let out = '';
  for (const nic of machine.config.hardware.adapters) {
    const n = nic.slot + 1;
    if (!nic.enabled) {
      out += `nic${n}="none"\n`;
      continue;
    }
    out += `natnet${n}="nat"\nmacaddress${n}="${nic.mac}"\ncableconnected${n}="on"\nnic${n}="nat"\n`;
    out += `nictype${n}="${nic.type}"\nnicspeed${n}="0"\n`;
    out += 'mtu="0"\nsockSnd="64"\nsockRcv="64"\ntcpWndSnd="64"\ntcpWndRcv="64"\n';
  }
  return out;
}

function formatGuest(machine: AccessibleMachine, dialect: Dialect): string {
  if (!guestAdditionsOn(machine.config)) return 'GuestAdditionsRunLevel=0\n';
  const at = machine.runtime.stateChangeMs;
  return (
    `GuestOSType="${machine.config.osType}"\nGuestAdditionsRunLevel=2\n` +
    `GuestAdditionsVersion="${dialect.version} r${dialect.versionString.split('r')[1]}"\n` +
    `GuestAdditionsFacility_VirtualBox Base Driver=50,${at}\n` +
    `GuestAdditionsFacility_VirtualBox System Service=50,${at}\n` +
    `GuestAdditionsFacility_Seamless Mode=0,${at}\n` +
    `GuestAdditionsFacility_Graphics Mode=0,${at}\n`
  );
}
