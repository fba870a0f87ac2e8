import { describe, expect, it } from 'vitest';
import {
  controlVm,
  decodeGuestExitCode,
  getExtraData,
  guestRun,
  listSnapshots,
  makeControlVmArgv,
  makeCreateMediumArgv,
  makeCreateVmArgv,
  makeDeleteSnapshotArgv,
  makeGetExtraDataArgv,
  makeGuestRunArgv,
  makeListArgv,
  makeListSnapshotsArgv,
  makeRegisterVmArgv,
  makeRenameVmArgv,
  makeSetExtraDataArgv,
  makeSetHdUuidArgv,
  makeSetMacArgv,
  makeShowMediumInfoArgv,
  makeShowVmInfoArgv,
  makeStartVmArgv,
  makeStorageAttachArgv,
  makeStorageCtlArgv,
  makeTakeSnapshotArgv,
  makeUnregisterVmArgv,
  maskVBoxArgv,
  takeSnapshot,
  VBoxError,
  type VBoxRunner,
  VirtualBox,
} from '../src/index.js';

/** A runner that records argv and answers from a table, as unit tests may (integration tests use the double). */
function recording(answers: Record<string, string | VBoxError> = {}) {
  const calls: string[][] = [];
  const run: VBoxRunner = async (args) => {
    calls.push([...args]);
    const answer = answers[args.join(' ')] ?? answers[args[0] as string] ?? '';
    if (answer instanceof VBoxError) throw answer;
    return { stdout: answer, stderr: '' };
  };
  return { run, calls };
}

describe('argv builders', () => {
  it('list', () => expect(makeListArgv('runningvms')).toEqual(['list', 'runningvms']));
  it('showvminfo', () =>
    expect(makeShowVmInfoArgv('Fedora 41')).toEqual(['showvminfo', 'Fedora 41', '--machinereadable']));
  it('showmediuminfo', () => expect(makeShowMediumInfoArgv('u')).toEqual(['showmediuminfo', 'disk', 'u']));
  it('snapshot take', () => expect(makeTakeSnapshotArgv('vm', 's')).toEqual(['snapshot', 'vm', 'take', 's']));
  it('snapshot take --live', () =>
    expect(makeTakeSnapshotArgv('vm', 's', { live: true })).toEqual(['snapshot', 'vm', 'take', 's', '--live']));
  it('snapshot take --description', () =>
    expect(makeTakeSnapshotArgv('vm', 's', { description: 'd' })).toEqual([
      'snapshot',
      'vm',
      'take',
      's',
      '--description',
      'd',
    ]));
  it('snapshot delete', () => expect(makeDeleteSnapshotArgv('vm', 'u')).toEqual(['snapshot', 'vm', 'delete', 'u']));
  it('snapshot list', () =>
    expect(makeListSnapshotsArgv('vm')).toEqual(['snapshot', 'vm', 'list', '--machinereadable']));
  it.each(['pause', 'resume', 'savestate', 'poweroff', 'acpipowerbutton'] as const)('controlvm %s', (a) =>
    expect(makeControlVmArgv('vm', a)).toEqual(['controlvm', 'vm', a]),
  );
  it('startvm', () => expect(makeStartVmArgv('vm')).toEqual(['startvm', 'vm', '--type', 'headless']));
  it('getextradata', () =>
    expect(makeGetExtraDataArgv('vm', 'vrs/restore')).toEqual(['getextradata', 'vm', 'vrs/restore']));
  it('setextradata', () => expect(makeSetExtraDataArgv('vm', 'k', 'v')).toEqual(['setextradata', 'vm', 'k', 'v']));
  it('setextradata without a value deletes', () =>
    expect(makeSetExtraDataArgv('vm', 'k', null)).toEqual(['setextradata', 'vm', 'k']));
  it('registervm', () => expect(makeRegisterVmArgv('/a.vbox')).toEqual(['registervm', '/a.vbox']));
  it('unregistervm', () => expect(makeUnregisterVmArgv('vm')).toEqual(['unregistervm', 'vm']));
  it('unregistervm --delete', () =>
    expect(makeUnregisterVmArgv('vm', { delete: true })).toEqual(['unregistervm', 'vm', '--delete']));
  it('sethduuid', () =>
    expect(makeSetHdUuidArgv('/d.vdi', 'u')).toEqual(['internalcommands', 'sethduuid', '/d.vdi', 'u']));
  it('sethduuid with a random UUID', () =>
    expect(makeSetHdUuidArgv('/d.vdi')).toEqual(['internalcommands', 'sethduuid', '/d.vdi']));
  it('modifyvm --macaddressN', () =>
    expect(makeSetMacArgv('vm', 2, 'auto')).toEqual(['modifyvm', 'vm', '--macaddress2', 'auto']));
  it('modifyvm --name', () => expect(makeRenameVmArgv('vm', 'n')).toEqual(['modifyvm', 'vm', '--name', 'n']));
  it('createvm', () =>
    expect(makeCreateVmArgv({ name: 'n', ostype: 'Fedora_64', basefolder: '/b', uuid: 'u' })).toEqual([
      'createvm',
      '--name',
      'n',
      '--ostype',
      'Fedora_64',
      '--basefolder',
      '/b',
      '--uuid',
      'u',
      '--register',
    ]));
  it('storagectl', () =>
    expect(makeStorageCtlArgv('vm', { name: 'SATA', add: 'sata', controller: 'IntelAhci', portcount: 2 })).toEqual([
      'storagectl',
      'vm',
      '--name',
      'SATA',
      '--add',
      'sata',
      '--controller',
      'IntelAhci',
      '--portcount',
      '2',
    ]));
  it('storageattach', () =>
    expect(
      makeStorageAttachArgv('vm', { storagectl: 'SATA', port: 0, device: 0, type: 'hdd', medium: '/d.vdi' }),
    ).toEqual([
      'storageattach',
      'vm',
      '--storagectl',
      'SATA',
      '--port',
      '0',
      '--device',
      '0',
      '--type',
      'hdd',
      '--medium',
      '/d.vdi',
    ]));
  it('createmedium', () =>
    expect(makeCreateMediumArgv({ filename: '/d.vdi', sizeMiB: 64, format: 'VDI', variant: 'Fixed' })).toEqual([
      'createmedium',
      'disk',
      '--filename',
      '/d.vdi',
      '--size',
      '64',
      '--format',
      'VDI',
      '--variant',
      'Fixed',
    ]));
  it('guestcontrol run: the program first, no --exe, the password only as a file', () =>
    expect(
      makeGuestRunArgv('vm', {
        username: 'root',
        passwordFile: '/p',
        timeoutMs: 5000,
        command: ['/sbin/fsfreeze', '--freeze', '/'],
      }),
    ).toEqual([
      'guestcontrol',
      'vm',
      'run',
      '--username',
      'root',
      '--passwordfile',
      '/p',
      '--timeout',
      '5000',
      '--',
      '/sbin/fsfreeze',
      '--freeze',
      '/',
    ]));
  it('masks a password given on the command line in logs', () =>
    expect(maskVBoxArgv(['guestcontrol', 'vm', 'run', '--password', 'hunter2'])).toEqual([
      'guestcontrol',
      'vm',
      'run',
      '--password',
      '***',
    ]));
});

describe('commands over an injected runner', () => {
  it('take a snapshot and return its UUID', async () => {
    const { run, calls } = recording({ snapshot: 'Snapshot taken. UUID: 947AD21D-2cad-4e64-80cc-2ff819d1be4e\n' });
    expect(await takeSnapshot(run, 'vm', 'vrs-transient-1', { live: true })).toBe(
      '947ad21d-2cad-4e64-80cc-2ff819d1be4e',
    );
    expect(calls).toEqual([['snapshot', 'vm', 'take', 'vrs-transient-1', '--live']]);
  });

  it('read extradata, and no value as null', async () => {
    const { run } = recording({ 'getextradata vm a': 'Value: job-1\n', 'getextradata vm b': 'No value set!\n' });
    expect(await getExtraData(run, 'vm', 'a')).toBe('job-1');
    expect(await getExtraData(run, 'vm', 'b')).toBeNull();
  });

  it('treat "no snapshots" as an empty tree', async () => {
    const none = new VBoxError(
      'SNAPSHOT_NOT_FOUND',
      'VBoxManage snapshot list failed: This machine does not have any snapshots',
      { argv: [], exitCode: 1, stdout: '', stderrLines: [] },
    );
    const { run } = recording({ snapshot: none });
    expect(await listSnapshots(run, 'vm', '7.0')).toEqual({ snapshots: [], current: null });
  });

  it('decode guest exit codes (reference §1.12)', async () => {
    expect(decodeGuestExitCode(0)).toMatchObject({ kind: 'exited', guestExitCode: 0 });
    expect(decodeGuestExitCode(33)).toMatchObject({ kind: 'exited', guestExitCode: 1 });
    expect(decodeGuestExitCode(125)).toMatchObject({ kind: 'exited', guestExitCode: 93 });
    expect(decodeGuestExitCode(126)).toMatchObject({ kind: 'exited', guestExitCode: null });
    expect(decodeGuestExitCode(20)).toEqual({ kind: 'timeout', hostExitCode: 20 });
    expect(decodeGuestExitCode(18)).toEqual({ kind: 'signal', hostExitCode: 18 });
    const exit33 = new VBoxError('VBOXMANAGE_FAILED', 'x', { argv: [], exitCode: 33, stdout: '', stderrLines: [] });
    expect(
      await guestRun(recording({ guestcontrol: exit33 }).run, 'vm', { username: 'root', command: ['/bin/false'] }),
    ).toMatchObject({ guestExitCode: 1 });
    const logon = new VBoxError('GUEST_EXEC_FAILED', 'logon', { argv: [], exitCode: 1, stdout: '', stderrLines: [] });
    await expect(
      guestRun(recording({ guestcontrol: logon }).run, 'vm', { username: 'root', command: ['/bin/true'] }),
    ).rejects.toMatchObject({ code: 'GUEST_EXEC_FAILED' });
  });

  it('refuse VirtualBox older than 6.1 and pick the dialect from the version', async () => {
    await expect(
      VirtualBox.connect({ runner: recording({ '--version': '6.0.24r139119\n' }).run }),
    ).rejects.toMatchObject({ code: 'VBOX_UNAVAILABLE' });
    expect((await VirtualBox.connect({ runner: recording({ '--version': '6.1.50r161033\n' }).run })).dialect).toBe(
      '6.1',
    );
    expect((await VirtualBox.connect({ runner: recording({ '--version': '7.1.4r165100\n' }).run })).dialect).toBe(
      '7.0',
    );
    const { run, calls } = recording();
    await controlVm(run, 'vm', 'pause');
    expect(calls).toEqual([['controlvm', 'vm', 'pause']]);
  });
});
