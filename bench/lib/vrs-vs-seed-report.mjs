// The targets of issue 9, judged on the figures bench/vrs-vs-seed.mjs measured, and the markdown it records.
// Every ratio is against a baseline or limit measured in the same run.

const MIB = 1024 ** 2;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const s1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const s2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const mib = (b) => (b / MIB).toFixed(1);
const pct = (c) => `${c.fraction * 100}%`;

/** Takes one case; returns its snapshot's physical limit in seconds: the larger of the cold read and the lz4 wire time. */
export const snapshotLimit = (c) => Math.max(c.physical.catCold, c.physical.snapshot.wireSeconds);

/**
 * Takes the result of bench/vrs-vs-seed.mjs; returns the targets as [{ id, what, measured, ratio, limit, met }]:
 * `ratio` is measured / baseline and `met` compares it with `limit` (the target's factor).
 */
export function evaluateTargets(r) {
  const out = [];
  const add = (id, what, measured, ratio, limit, met = ratio <= limit) =>
    out.push({ id, what, measured, ratio, limit, met });
  for (const c of r.cases) {
    const v = c.vrs;
    const seed = c.seed;
    const lim = snapshotLimit(c);
    add(
      `snapshot-limit-${pct(c)}`,
      `snapshot ${pct(c)}: wall ≤ 1.2 × max(cold read, lz4 wire)`,
      `${s1(v.snapshot.seconds)} s vs ${s1(lim)} s`,
      v.snapshot.seconds / lim,
      1.2,
    );
    if (c.fraction === 0.01)
      add(
        'snapshot-seed-1%',
        'snapshot 1%: wall ≤ 0.6 × the seed method',
        `${s1(v.snapshot.seconds)} s vs ${s1(seed.snapshot.seconds)} s`,
        v.snapshot.seconds / seed.snapshot.seconds,
        0.6,
      );
    add(
      `snapshot-cpu-${pct(c)}`,
      `snapshot ${pct(c)}: host CPU ≤ 0.2 × the seed method`,
      `${s2(v.snapshot.cpu.host)} s vs ${s2(seed.snapshot.cpu.host)} s`,
      v.snapshot.cpu.host / seed.snapshot.cpu.host,
      0.2,
    );
    const needed = c.physical.restore.lz4Bytes + c.physical.manifestBytes;
    add(
      `restore-bytes-${pct(c)}`,
      `restore ${pct(c)} (newest, from the mirror): wire ≤ 1.1 × lz4 differing blocks + manifests`,
      `${mib(v.restore.wire.total)} MiB vs ${mib(needed)} MiB`,
      v.restore.wire.total / needed,
      1.1,
    );
    add(
      `restore-seed-${pct(c)}`,
      `restore ${pct(c)} (newest, from the mirror): wall ≤ 0.33 × the seed's borg mount + rsync`,
      `${s1(v.restore.seconds)} s vs ${s1(seed.restore.seconds)} s`,
      v.restore.seconds / seed.restore.seconds,
      0.33,
    );
  }
  const first = r.cases[0];
  const { few, many } = r.scaling;
  const needed = first.physical.restore.lz4Bytes + first.physical.manifestBytes;
  add(
    'restore-bytes-older',
    `restore of an older snapshot (${r.scaling.snapshot}, borg extract): wire ≤ 1.1 × lz4 differing blocks + manifests`,
    `${mib(few.wire.total)} MiB vs ${mib(needed)} MiB`,
    few.wire.total / needed,
    1.1,
  );
  add(
    'restore-seed-older',
    `restore of an older snapshot (${r.scaling.snapshot}, borg extract): wall ≤ 0.33 × the seed's borg mount + rsync (same case)`,
    `${s1(few.seconds)} s vs ${s1(first.seed.restore.seconds)} s`,
    few.seconds / first.seed.restore.seconds,
    0.33,
  );
  const scale = many.seconds / few.seconds;
  add(
    'scaling',
    `restore with ${many.count} snapshots within 10% of with ${few.count}`,
    `${s1(many.seconds)} s vs ${s1(few.seconds)} s`,
    scale,
    1.1,
    Math.abs(scale - 1) <= 0.1,
  );
  const reflink = r.providers.rows.find((p) => p.method === 'reflink');
  const pauses = reflink.runs.map((t) => t.pausedMs);
  add(
    'reflink-pause',
    'reflink pause of a two-disk VM < 100 ms (median of the runs)',
    `${median(pauses).toFixed(0)} ms (max ${Math.max(...pauses).toFixed(0)})`,
    median(pauses) / 100,
    1,
    median(pauses) < 100,
  );
  return out;
}

const row = (what, who, m, limit = '') =>
  `| ${what} | ${who} | ${s1(m.seconds)} | ${mib(m.wire.total)} | ${s2(m.cpu.host)} | ${s2(m.cpu.storage)} | ${limit} |`;

function sideBySide(r) {
  const lines = [row('initial snapshot (all new)', 'vrs', r.initial.vrs), row('', 'seed: borg create', r.initial.seed)];
  for (const c of r.cases) {
    const p = c.physical;
    lines.push(
      row(
        `snapshot, ${pct(c)} changed (${c.changedBlocks} blocks)`,
        'vrs',
        c.vrs.snapshot,
        `${s1(snapshotLimit(c))} s`,
      ),
      row('', 'seed: borg create', c.seed.snapshot),
      row(
        `restore, ${pct(c)} (${p.restore.blocks} blocks differ)`,
        'vrs (newest: mirror)',
        c.vrs.restore,
        `${s1(p.restore.wireSeconds)} s`,
      ),
      row('', `seed: borg mount ${s1(c.seed.restore.mountSeconds)} s + rsync`, c.seed.restore),
    );
  }
  const { few, many } = r.scaling;
  lines.push(
    row(
      `restore of ${r.scaling.snapshot}, ${few.count} snapshots`,
      'vrs (older: borg extract)',
      few,
      `${s1(r.cases[0].physical.restore.wireSeconds)} s`,
    ),
    row(`restore of ${r.scaling.snapshot}, ${many.count} snapshots`, 'vrs (older: borg extract)', many),
  );
  return lines.join('\n');
}

function providerTable(p) {
  const lines = p.rows.map((row) => {
    const pauses = row.runs.map((t) => t.pausedMs ?? Number.NaN);
    const gaps = row.runs.map((t) => t.guest?.longestMs ?? Number.NaN);
    const walls = row.runs.map((t) => t.seconds);
    const gap =
      row.method === 'offline' ? 'VM off' : `${median(gaps).toFixed(0)} (max ${Math.max(...gaps).toFixed(0)})`;
    return `| ${row.method} | ${median(pauses).toFixed(0)} (max ${Math.max(...pauses).toFixed(0)}) | ${gap} | ${s1(median(walls))} | ${mib(median(row.runs.map((t) => t.wire.total)))} |`;
  });
  return lines.join('\n');
}

/** Takes { result, targets, command, canDropCaches }; returns the markdown section. */
export function renderReport({ result: r, targets, command, canDropCaches }) {
  const targetRows = targets
    .map(
      (t) =>
        `| ${t.what} | ${t.measured} | ${s2(t.ratio)}× | ${t.id === 'scaling' ? '1 ± 0.1' : `${t.id === 'reflink-pause' ? '<' : '≤'} ${t.limit}`} | **${t.met ? 'met' : 'missed'}** |`,
    )
    .join('\n');
  const phys = r.cases
    .map(
      (c) =>
        `${pct(c)}: cat ${s1(c.physical.catCold)} s cold / ${s2(c.physical.catWarm)} s warm; changed blocks ${mib(c.physical.snapshot.lz4Bytes)} MiB after lz4, ${s1(c.physical.snapshot.wireSeconds)} s on the link; restore: ${mib(c.physical.restore.lz4Bytes)} MiB + ${(c.physical.manifestBytes / 1024).toFixed(0)} KiB of manifests, ${s1(c.physical.restore.wireSeconds)} s`,
    )
    .join('; ');
  const idle = r.idleCpuPerSecond;
  const split = r.cases
    .map((c) => `${pct(c)}: agent ${s2(c.vrs.snapshot.cpu.agent)} s + double ${s2(c.vrs.snapshot.cpu.double)} s`)
    .join('; ');
  return `## vrs against the seed's method (\`node bench/vrs-vs-seed.mjs\`)

Command: \`${command}\`: an 8 GiB VDI with ${(r.fileSize / 1024 ** 3).toFixed(2)} GiB in its file (mixed content), the VM's
folder a btrfs subvolume on a loop mount, over the lab's \`wifi\` link (50 Mbit/s, 5 ms, 0.1% loss each way). vrs-server
on storage, vrs-agent on the host with the VM on the VirtualBox test double; \`vrs snapshot|restore … --wait\` from the
CLI. The seed's method on the same file in the same state and the same link (bench/lib/seed.mjs). Blocks were changed
with the VDI writer while the VM was powered off (offline captures): 1%, then 5% more on top; each restore starts from
the first image. Every timed step starts cold${canDropCaches ? ' (drop_caches, then `borg --version` and `vrs --version`)' : ' (not here: drop_caches was not writable)'}; restores are checked with cmp.
Wire = both directions of the veth, headers included. CPU = user + system seconds of every process of that side (cgroups):
host = vrs-agent and the double's VBoxManage processes (or the seed's borg/rsync/socat), storage = vrs-server and borg.

| case | method | wall s | wire MiB | host CPU s | storage CPU s | physical limit |
|---|---|---|---|---|---|---|
${sideBySide(r)}

Physical limits in the same run: ${phys}. The link's time is a socat copy of exactly those lz4'd bytes.
vrs's host CPU splits into ${split}. At rest the agent used ${s2(idle.agent + idle.double)} CPU s/s and the server ${s2(idle.server)}
(inventory polls), which the figures above include.

| target (issue 9) | measured | ratio | target | |
|---|---|---|---|---|
${targetRows}

Capture providers on the two-disk VM (guest writer ${r.providers.writerRate} writes/s over blocks 0-15 of each disk), ${r.providers.rows[0].runs.length} snapshots each:

| provider | pause reported, ms (median) | longest guest write gap, ms | snapshot wall s | wire MiB |
|---|---|---|---|---|
${providerTable(r.providers)}

The guest's longest gap between two writes with no capture running was ${r.providers.baselineGuestGapMs.toFixed(0)} ms (one write every
${(1000 / r.providers.writerRate).toFixed(0)} ms). One VBoxManage round trip of the double (\`--version\`, a Node start) took
${r.providers.vboxRoundTripMs.toFixed(0)} ms in this run; the reflink and btrfs-snapshot pauses hold one (\`controlvm resume\`). vbox-transient reports no pause: a live VirtualBox snapshot does not pause the VM; the
guest gap shows what the double's snapshot switch and merge hold. The restores of ${r.scaling.snapshot} are medians of
${r.scaling.few.runs.length} runs each (${r.scaling.few.runs.map((m) => s1(m.seconds)).join(', ')} s with ${r.scaling.few.count} snapshots; ${r.scaling.many.runs.map((m) => s1(m.seconds)).join(', ')} s with ${r.scaling.many.count}),
each followed by an unmeasured restore of the newest snapshot so that every run rebases the mirror back; the
${r.scaling.many.count - r.scaling.few.count} extra snapshots changed 0.2% each (${s1(r.scaling.extraSnapshotSeconds.median)} s median, ${s1(r.scaling.extraSnapshotSeconds.max)} s max, caches warm).
The machine is shared: its load average (1, 5, 15 min) was ${r.load.start.map((x) => x.toFixed(1)).join(', ')} at the start and ${r.load.end.map((x) => x.toFixed(1)).join(', ')} at the end.`;
}
