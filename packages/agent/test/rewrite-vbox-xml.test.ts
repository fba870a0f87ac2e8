import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planVboxPaths } from '../src/restore/plan-vbox-paths.js';
import { rewriteVboxXml } from '../src/restore/rewrite-vbox-xml.js';
import { makeTempDir } from './support/temp-dir.js';

const M = '11111111-1111-4111-8111-111111111111';
const BASE = '22222222-2222-4222-8222-222222222222';
const DIFF = '33333333-3333-4333-8333-333333333333';
const SNAP = '44444444-4444-4444-8444-444444444444';
const ISO = '55555555-5555-4555-8555-555555555555';
const n = (c: string) => c.repeat(8).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5');

/** A settings 1.19 file with everything the rewrite must change and some things it must not. */
const vbox = (
  machine: string,
  base: string,
  diff: string,
  snap: string,
  name: string,
  mac: string,
  paths: string[],
) => `<?xml version="1.0"?>
<!-- <Machine uuid="{${M}}" name="in a comment"> stays -->
<VirtualBox xmlns="http://www.virtualbox.org/" version="1.19-linux">
  <Machine uuid="{${machine}}" name="${name}" OSType="Ubuntu_64" currentSnapshot="{${snap}}" snapshotFolder="${paths[0]}" lastStateChange="2026-01-01T00:00:00Z">
    <MediaRegistry>
      <HardDisks>
        <HardDisk uuid="{${base}}" location="${paths[1]}" format="VDI" type="Normal">
          <HardDisk uuid='{${diff}}' location="Snapshots/{${DIFF}}.vdi" format="VDI"/>
        </HardDisk>
      </HardDisks>
      <DVDImages>
        <Image uuid="{${ISO}}" location="/usr/share/virtualbox/VBoxGuestAdditions.iso"/>
      </DVDImages>
    </MediaRegistry>
    <Snapshot uuid="{${snap}}" name="first &amp; only" timeStamp="2026-01-01T00:00:00Z"${paths[2] ? ` stateFile="${paths[2]}"` : ''}>
      <Hardware>
        <HardwareUUID>{${machine}}</HardwareUUID>
        <Network>
          <Adapter slot="0" enabled="true" MACAddress="${mac}" type="82540EM"/>
        </Network>
        <StorageControllers>
          <StorageController name="SATA" type="AHCI" PortCount="1">
            <AttachedDevice type="HardDisk" port="0" device="0">
              <Image uuid="{${base}}"/>
            </AttachedDevice>
          </StorageController>
        </StorageControllers>
      </Hardware>
    </Snapshot>
    <Hardware>
      <HardwareUUID>{${machine}}</HardwareUUID>
      <BIOS>
        <NVRAM path="web.nvram"/>
      </BIOS>
      <Network>
        <Adapter slot="0" enabled="true" MACAddress="${mac}" type="82540EM"/>
      </Network>
      <StorageControllers>
        <StorageController name="SATA" type="AHCI" PortCount="1">
          <AttachedDevice type="HardDisk" port="0" device="0">
            <Image uuid="{${diff}}"/>
          </AttachedDevice>
          <AttachedDevice type="DVD" port="1" device="0">
            <Image uuid="{${ISO}}"/>
          </AttachedDevice>
        </StorageController>
      </StorageControllers>
    </Hardware>
  </Machine>
</VirtualBox>
`;

describe('rewriting a .vbox for a new VM', () => {
  it('changes the machine, media, snapshot and hardware UUIDs, the name, the MACs and the paths, and nothing else', () => {
    const [m, b, d, s] = [n('a'), n('b'), n('c'), n('d')];
    const input = vbox(M, BASE, DIFF, SNAP, 'web', '080027000001', [
      'Snapshots',
      '/old/web/web.vdi',
      'Snapshots/x.sav',
    ]);
    const uuids = new Map([
      [M, m],
      [BASE, b],
      [DIFF, d],
      [SNAP, s],
    ]);
    const paths = new Map<string, string | null>([
      ['/old/web/web.vdi', 'web.vdi'],
      ['Snapshots/x.sav', null],
    ]);
    const output = rewriteVboxXml(input, {
      name: 'web "copy" <2> & co',
      machineUuid: m,
      uuids,
      macs: new Map([['080027000001', '080027ABCDEF']]),
      path: (_kind, stored) => (paths.has(stored) ? (paths.get(stored) ?? null) : stored),
    });
    const expected = vbox(m, b, d, s, 'web &quot;copy&quot; &lt;2&gt; &amp; co', '080027ABCDEF', [
      'Snapshots',
      'web.vdi',
      '',
    ])
      // The comment is not XML to rewrite; the diff image keeps its file name (and so its old UUID in it).
      .replace(`<!-- <Machine uuid="{${m}}"`, `<!-- <Machine uuid="{${M}}"`)
      // A rewritten attribute is written double-quoted.
      .replace(`<HardDisk uuid='{${d}}'`, `<HardDisk uuid="{${d}}"`);
    expect(output).toBe(expected);
  });
});

describe('planning the paths of a restored .vbox', () => {
  const root = makeTempDir('vbox-paths');
  const folder = join(root, 'new', 'web');
  mkdirSync(join(folder, 'Snapshots'), { recursive: true });
  writeFileSync(join(folder, 'web.vdi'), '');
  writeFileSync(join(folder, 'Snapshots', `{${DIFF}}.vdi`), '');
  const xml = (paths: string[]) => vbox(M, BASE, DIFF, SNAP, 'web', '080027000001', paths);

  it('moves absolute paths into the original folder to the new one, relative, and drops saved states not restored', async () => {
    const plan = await planVboxPaths(xml(['Snapshots', '/old/web/web.vdi', 'Snapshots/gone.sav']), folder, '/old/web');
    expect(plan.stored).toEqual(
      new Map([
        ['Snapshots', 'Snapshots'],
        ['/old/web/web.vdi', 'web.vdi'],
        [`Snapshots/{${DIFF}}.vdi`, `Snapshots/{${DIFF}}.vdi`],
        ['Snapshots/gone.sav', null],
        ['web.nvram', 'web.nvram'],
      ]),
    );
    expect(plan.droppedStateFiles).toEqual([join(folder, 'Snapshots', 'gone.sav')]);
  });

  it('refuses a path outside the new folder (the VMs would share the file)', async () => {
    await expect(planVboxPaths(xml(['Snapshots', '/old/web/web.vdi', '']), folder)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      path: '/old/web/web.vdi',
    });
    await expect(planVboxPaths(xml(['/elsewhere/Snapshots', 'web.vdi', '']), folder)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(planVboxPaths(xml(['Snapshots', '../web.vdi', '']), folder)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
