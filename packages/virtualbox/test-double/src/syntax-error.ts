import { errorLines } from './com-error.js';
import type { Dialect } from './dialect.js';
import { VBoxFailure } from './vbox-failure.js';

const USAGE: Record<string, string> = {
  list: 'VBoxManage list [--long] [--sorted] vms | runningvms | hdds | ...',
  showvminfo: 'VBoxManage showvminfo <uuid|vmname> [--details] [--machinereadable]',
  showmediuminfo: 'VBoxManage showmediuminfo [disk | dvd | floppy] <uuid | filename>',
  createmedium:
    'VBoxManage createmedium [disk | dvd | floppy] <--filename=filename> [--size=megabytes | --sizebyte=bytes]\n' +
    '        [--diffparent= UUID | filename] [--format= VDI | VMDK | VHD] [--variant Standard,Fixed,...]',
  createvm:
    'VBoxManage createvm <--name=name> [--basefolder=basefolder] [--default] [--groups=group-ID,...]\n' +
    '        [--ostype=ostype] [--register] [--uuid=uuid]',
  storagectl:
    'VBoxManage storagectl <uuid | vmname> --name=controller-name [--add= floppy | ide | pcie | sas | sata | scsi | usb ]\n' +
    '        [--controller= BusLogic | I82078 | ICH6 | IntelAhci | LSILogic | LSILogicSAS | NVMe | PIIX3 | PIIX4 | USB | VirtIO ]\n' +
    '        [--bootable= on | off ] [--hostiocache= on | off ] [--portcount=count] [--remove] [--rename=new-controller-name]',
  storageattach:
    'VBoxManage storageattach <uuid | vmname> --storagectl=name [--device=number] [--discard= on | off ]\n' +
    '        [--medium= none | emptydrive | additions | uuid | filename | host:drive | iscsi ] [--port=number]\n' +
    '        [--nonrotational= on | off ] [--hotpluggable= on | off ] [--type= dvddrive | fdd | hdd ]',
  modifyvm:
    'VBoxManage modifyvm <uuid | vmname> [--name=name] [--memory=size-in-MB] [--cpus=CPU-count]\n        [--firmware= bios | efi ] [--macaddressN= auto | MAC-address ]',
  startvm:
    'VBoxManage startvm <uuid | vmname...> [--putenv=name[=value]] [--type= [ gui | headless | sdl | separate ]]',
  controlvm:
    'VBoxManage controlvm <uuid | vmname> pause | resume | reset | poweroff | savestate | acpipowerbutton | acpisleepbutton | ...',
  snapshot:
    'VBoxManage snapshot <uuid | vmname>\n' +
    'VBoxManage snapshot <uuid | vmname> take <snapshot-name> [--description=description] [--live]\n' +
    '        [--uniquename Number,Timestamp,Space,Force]\n' +
    'VBoxManage snapshot <uuid | vmname> delete <snapshot-name>\n' +
    'VBoxManage snapshot <uuid | vmname> list [[--details] | [--machinereadable]]',
  getextradata: 'VBoxManage getextradata <global | uuid | vmname> <keyword | enumerate>',
  setextradata: 'VBoxManage setextradata <global | uuid | vmname> <keyword> [value]',
  registervm: 'VBoxManage registervm <filename> [--password file]',
  unregistervm: 'VBoxManage unregistervm <uuid | vmname> [--delete] [--delete-all]',
  guestcontrol:
    'VBoxManage guestcontrol <uuid | vmname> run [--arg0=argument 0] [--domain=domainname] [--dos2unix] [--exe=filename]\n' +
    '        [--ignore-orphaned-processes] [ --no-wait-stderr | --wait-stderr ] [ --no-wait-stdout | --wait-stdout ]\n' +
    '        [ --passwordfile=password-file | --password=password ] [--putenv=var-name=[value]] [--quiet] [--timeout=msec]\n' +
    '        [--unix2dos] [--unquoted-args] [--username=username] [--verbose] <-- program-name [argument...]>',
  internalcommands: 'VBoxManage internalcommands sethduuid <filepath> [<uuid>]',
  general: 'VBoxManage [<general option>] <command>',
};

/** Takes the dialect; returns the logo VBoxManage prints before usage errors. */
export function logo(dialect: Dialect): string {
  if (dialect.v7) {
    return (
      `Oracle VM VirtualBox Command Line Management Interface Version ${dialect.version}\n` +
      'Copyright (C) 2005-2024 Oracle and/or its affiliates\n\n'
    );
  }
  return (
    `Oracle VM VirtualBox Command Line Management Interface Version ${dialect.version}\n` +
    '(C) 2005-2024 Oracle Corporation\nAll rights reserved.\n\n'
  );
}

/**
 * Takes the dialect, the command and the message; returns the exit-2 failure of `errorSyntax()`: on 7.0 the
 * logo, `VBoxManage: error: <message>`, then the command's usage; on 6.1 the logo, the usage, then
 * `Syntax error: <message>`. (`snapshot` turns this into exit 1 itself.)
 */
export function syntaxError(dialect: Dialect, command: string, message: string): VBoxFailure {
  const usage = `Usage:\n${USAGE[command] ?? USAGE.general}\n`;
  const text = dialect.v7
    ? `${logo(dialect)}${errorLines(message)}\n${usage}`
    : `${logo(dialect)}${usage}\nSyntax error: ${message}\n`;
  return new VBoxFailure(2, text);
}
