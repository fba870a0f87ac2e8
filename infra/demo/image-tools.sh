#!/usr/bin/env bash
# The demo until the server and agent exist: vrs's image tools on sample VDIs, cross-checked with qemu.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=.work/demo
rm -rf "$dir" && mkdir -p "$dir"
vrs() { node apps/cli/dist/main.js "$@"; }

echo "--- 1. a VirtualBox-layout VDI made by vrs's writer, checked by qemu-img"
node bench/make-sample-vdi.mjs "$dir/a.vdi" 96
qemu-img check "$dir/a.vdi"
vrs image inspect "$dir/a.vdi"

echo "--- 2. the guest writes: qemu-io changes 4 KiB in virtual block 5 and fills block 200 (new)"
cp "$dir/a.vdi" "$dir/b.vdi"
qemu-io -f vdi -c "write -P 0x5a 5M 4k" -c "write -P 0x77 200M 1M" "$dir/b.vdi" >/dev/null
rc=0; vrs image diff "$dir/a.vdi" "$dir/b.vdi" || rc=$?
[ "$rc" -eq 1 ] || { echo "expected exit 1 (images differ), got $rc" >&2; exit 1; }

echo "--- 3. a QEMU-layout VDI (data area not MiB-aligned)"
qemu-img create -q -f vdi "$dir/q.vdi" 64M
qemu-io -f vdi -c "write -P 0xab 3M 4k" "$dir/q.vdi" >/dev/null
vrs image inspect "$dir/q.vdi"

echo "--- 4. a damaged header gives a clear error"
cp "$dir/a.vdi" "$dir/broken.vdi"
printf '\x00\x00\x00\x00' | dd of="$dir/broken.vdi" bs=1 seek=$((0x178)) conv=notrunc status=none
rc=0; vrs image inspect "$dir/broken.vdi" || rc=$?
[ "$rc" -eq 3 ] || { echo "expected exit 3, got $rc" >&2; exit 1; }
echo "demo finished: files are in $dir"
