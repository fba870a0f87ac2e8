import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  flattenSnapshots,
  parseMachineReadable,
  parseMediumInfo,
  parseVBoxVersion,
  parseVmInfo,
  parseVmList,
  vboxErrorFor,
} from '../src/index.js';

/** Every verbatim sample of reference/virtualbox.md that a parser reads, copied with its source line. */
const samples = JSON.parse(
  readFileSync(new URL('./fixtures/reference-samples.json', import.meta.url), 'utf8'),
) as Record<string, { source: string; text: string }>;
const text = (name: string) => (samples[name] as { text: string }).text;
const failure = (name: string, exitCode = 1) => ({
  argv: ['VBoxManage'],
  exitCode,
  stdout: '',
  stderrLines: text(name).split('\n').filter(Boolean),
});

describe('list vms', () => {
  it('reads the koding and Windows samples, names with spaces included', () => {
    expect(parseVmList(text('listVmsKoding'))).toEqual([
      { name: 'boot2docker-vm', uuid: 'd4d92435-7863-43ab-9a4a-1b24654abcd8' },
      { name: 'urfv96068ead_default_1456788305661_75135', uuid: '54017b76-d33c-4206-98f6-9325cde08e48' },
    ]);
    expect(parseVmList(text('listRunningWindows'))).toEqual([
      { name: 'Alpine39', uuid: '143fc8d2-8e84-4778-a58e-ae4ad83c41cc' },
      { name: 'Xubuntu 22.04', uuid: '7e261a39-d356-4eb1-a8ed-75675b149241' },
    ]);
  });

  it('keeps quotes inside names (VBoxManage does not escape them) and skips other lines', () => {
    expect(
      parseVmList('"say "hi"" {7e261a39-d356-4eb1-a8ed-75675b149241}\nThis machine does not have any snapshots\n'),
    ).toEqual([{ name: 'say "hi"', uuid: '7e261a39-d356-4eb1-a8ed-75675b149241' }]);
    expect(parseVmList(text('listVmsNoSnapshots'))).toEqual([
      { name: 'p2v-imac5-ubuntu1804firewire', uuid: '39d78e39-3d04-486e-a61d-10a7e4755657' },
    ]);
  });
});

describe('showvminfo --machinereadable', () => {
  it('reads a 5.0-era running VM: state, time, session, disks and the junk lines', () => {
    const map = parseMachineReadable(text('showvminfoKoding50'), '7.0');
    expect(map.get('VideoMode')).toBe('720,400,0');
    expect(map.get('GuestAdditionsFacility_VirtualBox Base Driver')).toBe('50,1458910695598');
    const info = parseVmInfo(map);
    expect(info).toMatchObject({
      name: 'urfve6cb85a2_default_1458910687825_39001',
      uuid: '295e77c3-d922-4849-93de-4422b8c08880',
      state: 'running',
      stateChangeTime: '2016-03-25T12:58:09.499000000',
      sessionName: 'headless',
      firmware: 'BIOS',
    });
    expect(info.disks).toEqual([
      {
        controller: 'SATAController',
        port: 0,
        device: 0,
        mediumUuid: '876696e5-e452-4091-997e-9285d968fc1b',
        path: '/Users/rjeczalik/VirtualBox VMs/urfve6cb85a2_default_1458910687825_39001/box-disk1.vmdk',
      },
    ]);
  });

  it('reads the current (differencing) image and the snapshot of a VM with one snapshot', () => {
    const info = parseVmInfo(parseMachineReadable(text('showvminfoOhaiSnapshot'), '7.0'));
    expect(info.state).toBe('poweroff');
    expect(info.disks.map((d) => [d.controller, d.mediumUuid])).toEqual([
      ['SATA Controller', '1c182745-4b09-41a1-a147-d3ced46f72f6'],
    ]);
    expect(info.disks[0]?.path).toMatch(/Snapshots\/\{1c182745-4b09-41a1-a147-d3ced46f72f6\}\.vmdk$/);
    expect(info.snapshots).toEqual([
      { uuid: '085cbbec-70cd-4864-9208-5d938dcabb71', name: 'base', description: null, children: [] },
    ]);
    expect(info.currentSnapshotUuid).toBe('085cbbec-70cd-4864-9208-5d938dcabb71');
  });

  it('reads 6.1 output: escaped CfgFile, raw storage paths, DVD left out', () => {
    const info = parseVmInfo(parseMachineReadable(text('showvminfo61Windows'), '6.1'));
    expect(info.configFile).toBe('C:\\Users\\kouzm\\VirtualBox VMs\\Xubuntu 22.04\\Xubuntu 22.04.vbox');
    expect(info.disks).toEqual([
      {
        controller: 'SATA',
        port: 0,
        device: 0,
        mediumUuid: 'e31692be-ff5c-424f-818d-07a377758041',
        path: 'C:\\Virtual Machines\\xubuntu22.04-3.vdi',
      },
    ]);
    expect(info.sessionName).toBe('GUI/Qt');
  });

  it('skips the 7.0 Encryption line and reads the NVRAM key with spaces', () => {
    expect(parseVmInfo(parseMachineReadable(text('showvminfo70Encryption'), '7.0')).name).toBe(
      'vagrant-test_default_1665781960041_56631',
    );
    const info = parseVmInfo(parseMachineReadable(text('showvminfo70Nvram'), '7.0'));
    expect(info.nvramFile).toBe('/home/david/.xtec/xtec-1/xtec-1.nvram');
    expect(info.stateChangeTime).toBe('2022-12-17T09:55:20.000000000');
  });

  it('unescapes 7.0 values and keys, and keeps 6.1 attachment paths raw', () => {
    const seven = parseMachineReadable(
      'name="a \\"quoted\\" \\\\ name"\n"SATA-0-0"="C:\\\\VMs\\\\x.vdi"\n"a=b"="c"\n',
      '7.0',
    );
    expect(seven.get('name')).toBe('a "quoted" \\ name');
    expect(seven.get('SATA-0-0')).toBe('C:\\VMs\\x.vdi');
    expect(seven.get('a=b')).toBe('c');
    const six = parseMachineReadable('"SATA-0-0"="\\\\server\\share\\x.vdi"\n', '6.1');
    expect(six.get('SATA-0-0')).toBe('\\\\server\\share\\x.vdi');
  });

  it('builds the snapshot tree of the reference, with the current snapshot a leaf', () => {
    const info = parseVmInfo(parseMachineReadable(text('snapshotTree'), '7.0'));
    const names = flattenSnapshots(info.snapshots).map((s) => s.name);
    expect(names).toEqual([
      'Imported',
      'Snapshot 1',
      'Snapshot 2',
      'Snapshot 3',
      'Snapshot 4',
      'Snapshot-Export',
      'Snapshot 5',
    ]);
    expect(info.snapshots[0]?.children.map((c) => c.name)).toEqual(['Snapshot 1', 'Snapshot 5']);
    expect(info.currentSnapshotUuid).toBe('c857d1b8-4fd6-4044-9d2c-c6e465b3cdd4');
  });
});

describe('showmediuminfo and list hdds', () => {
  it('reads a chain from list hdds: base then its differencing child', () => {
    const media = parseMediumInfo(text('listHddsOhai'));
    expect(media.map((m) => [m.uuid, m.parentUuid, m.state, m.type])).toEqual([
      ['ebb6dca0-879f-480b-a50e-9efe330bd021', null, 'locked read', 'normal (base)'],
      [
        '1c182745-4b09-41a1-a147-d3ced46f72f6',
        'ebb6dca0-879f-480b-a50e-9efe330bd021',
        'created',
        'normal (differencing)',
      ],
    ]);
    expect(media[0]?.capacityMiB).toBe(65536);
  });

  it('reads long mode: children on continuation lines, users, sizes and Windows paths', () => {
    const [base] = parseMediumInfo(text('showmediuminfoBaseWithChildren'));
    expect(base).toMatchObject({
      uuid: '08b51f97-43b2-4b3b-964d-89c829988f19',
      location: 'D:\\VirtualBox_VMs\\win7x86-32bit\\win7x86\\win7x86.vdi',
      format: 'VDI',
      variant: 'dynamic default',
      sizeOnDiskMiB: 5385,
    });
    expect(base?.childUuids).toEqual(['e33c82fb-8f81-4f65-a001-d3bc18569009', '8c71e5fc-e760-4b65-a688-d65c026132dc']);
    expect(base?.inUseBy[0]).toMatch(/^win7x86 \(UUID: 3338da73/);
    const [fixed] = parseMediumInfo(text('showmediuminfoFixedRunning'));
    expect(fixed).toMatchObject({ state: 'locked write', variant: 'fixed default', capacityMiB: 22528 });
    const vagrant = parseMediumInfo(text('listHddsVagrant'));
    expect(vagrant[1]).toMatchObject({
      parentUuid: 'e1246c7c-05dd-48c5-aa5b-5ad44ce0c13e',
      type: 'normal (differencing)',
      inUseBy: [expect.stringMatching(/^vagrant_test02/)],
    });
  });
});

describe('errors', () => {
  it.each([
    [
      'errorNotFoundWindows',
      'VM_NOT_FOUND',
      "Could not find a registered machine named 'Mojave'",
      'VBOX_E_OBJECT_NOT_FOUND',
    ],
    ['errorNotFoundNamed', 'VM_NOT_FOUND', "Could not find a registered machine named ''", 'VBOX_E_OBJECT_NOT_FOUND'],
    ['errorStartvmLocked', 'VM_LOCKED', 'is already locked by a session', 'VBOX_E_INVALID_OBJECT_STATE'],
    [
      'errorModifyvmLocked',
      'VM_LOCKED',
      "The machine 'registry' is already locked for a session",
      'VBOX_E_INVALID_OBJECT_STATE',
    ],
    ['errorNotRunning5x', 'INVALID_VM_STATE', 'is not currently running', undefined],
    ['errorSnapshotDeleteFailed', 'VBOXMANAGE_FAILED', 'Snapshot operation failed', 'E_FAIL'],
    ['errorSameUuidCopy', 'VBOXMANAGE_FAILED', 'Cannot register the hard disk', 'NS_ERROR_INVALID_ARG'],
    ['errorGuestLogon', 'GUEST_EXEC_FAILED', 'The specified user was not able to logon on guest', 'VBOX_E_IPRT_ERROR'],
  ])('map the %s sample to %s, keeping every line', (name, code, message, hresult) => {
    const error = vboxErrorFor(failure(name), 'test');
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(error.hresult).toBe(hresult);
    expect(error.stderrLines.length).toBeGreaterThan(0);
  });

  it('read a snapshot list with none as SNAPSHOT_NOT_FOUND from stdout', () => {
    const error = vboxErrorFor(
      { argv: [], exitCode: 1, stdout: 'This machine does not have any snapshots\n', stderrLines: [] },
      'snapshot list',
    );
    expect(error.code).toBe('SNAPSHOT_NOT_FOUND');
  });
});

describe('output the driver reads after a command', () => {
  it('finds the UUID of a snapshot taken, and parses versions', () => {
    expect(/Snapshot taken\. UUID: (\S+)/.exec(text('snapshotTaken'))?.[1]).toBe(
      '947ad21d-2cad-4e64-80cc-2ff819d1be4e',
    );
    expect(parseVBoxVersion('7.0.14r161095\n')).toEqual({
      major: 7,
      minor: 0,
      patch: 14,
      revision: 161095,
      text: '7.0.14r161095',
    });
    expect(parseVBoxVersion('6.1.50_Debianr161033')).toMatchObject({ major: 6, minor: 1, patch: 50, revision: 161033 });
    expect(() => parseVBoxVersion('Oracle VM VirtualBox Command Line Management Interface')).toThrow(/not a version/);
  });
});
