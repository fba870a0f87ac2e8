import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { doubleHome, ok, vmInfo } from './helpers/double.js';

// reference/virtualbox.md §1.11, §1.5: registering, unregistering, and snapshot names.
describe.concurrent('the machine registry', () => {
  it('unregisters a VM leaving its files, registers it again, and deletes it with --delete', async (t) => {
    const h = await doubleHome(t);
    const base = join(h.home, 'elsewhere');
    const created = await ok(h, 'createvm', '--name', 'reg', '--basefolder', base, '--register');
    const vbox = join(base, 'reg', 'reg.vbox');
    expect(created).toContain(`Settings file: '${vbox}'`);
    const disk = join(base, 'reg', 'reg.vdi');
    await ok(h, 'createmedium', 'disk', '--filename', disk, '--size', '8', '--variant', 'Fixed');
    await ok(h, 'storagectl', 'reg', '--name', 'SATA', '--add', 'sata', '--portcount', '1');
    await ok(
      h,
      'storageattach',
      'reg',
      '--storagectl',
      'SATA',
      '--port',
      '0',
      '--device',
      '0',
      '--type',
      'hdd',
      '--medium',
      disk,
    );
    await ok(h, 'snapshot', 'reg', 'take', 'keep');
    const diff = (await vmInfo(h, 'reg')).get('SATA-0-0') as string;
    expect(await h.run(['unregistervm', 'reg'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await ok(h, 'list', 'vms')).toBe('');
    expect(await ok(h, 'list', 'hdds')).toBe('');
    expect([vbox, disk, diff].map(existsSync)).toEqual([true, true, true]);

    expect(await h.run(['registervm', vbox])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    const info = await vmInfo(h, 'reg');
    expect([info.get('SATA-0-0'), info.get('SnapshotName'), info.get('VMState')]).toEqual([diff, 'keep', 'poweroff']);
    expect(await ok(h, 'showmediuminfo', disk)).toMatch(/^Format variant: fixed default$/m);
    await ok(h, 'startvm', 'reg', '--type', 'headless');
    await ok(h, 'controlvm', 'reg', 'poweroff');

    const gone = await h.run(['unregistervm', 'reg', '--delete']);
    expect(gone).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: '0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n',
    });
    expect([vbox, disk, diff].map(existsSync)).toEqual([false, false, false]);
    expect(readdirSync(base)).toEqual([]);
  });

  it('makes snapshot names unique on request', async (t) => {
    const h = await doubleHome(t);
    await ok(h, 'createvm', '--name', 'names', '--register');
    await ok(h, 'snapshot', 'names', 'take', 'daily');
    await ok(h, 'snapshot', 'names', 'take', 'daily', '--uniquename', 'Number');
    await ok(h, 'snapshot', 'names', 'take', 'daily', '--uniquename', 'Timestamp,Space');
    const list = await ok(h, 'snapshot', 'names', 'list', '--machinereadable');
    expect(list).toMatch(/^SnapshotName="daily"$/m);
    expect(list).toMatch(/^SnapshotName-1="daily2"$/m);
    expect(list).toMatch(/^SnapshotName-1-1="daily \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$/m);
    const bad = await h.run(['snapshot', 'names', 'take', 'x', '--uniquename', 'Sometimes']);
    expect(bad).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: "VBoxManage: error: Invalid unique name description 'Sometimes'\n",
    });
  });
});
