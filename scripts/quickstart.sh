#!/usr/bin/env bash
# The README's two commands: `bash scripts/quickstart.sh demo` and `bash scripts/quickstart.sh test`.
# Each sets up whatever is missing (apt packages, pnpm through corepack, dependencies, the build) and then
# runs its job. Safe to run again: every step checks before it acts. Debian 12, Node >= 20.19, as root.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

# Debian packages the tools and tests use: qemu-img/qemu-io cross-check our VDI code, borg is the store,
# mkfs.ext4 and mkfs.btrfs make the loop-mounted filesystems of the disk-full and capture tests.
# The two-host lab (infra/lab) shapes its veth link with iptables (loss, NFQUEUE for the delay) and ethtool
# (no GSO on wifi) and moves bytes with socat; the seed-method benchmark needs rsync and `borg mount`
# (fuse3, python3-llfuse). The console's end-to-end test drives Debian's Chromium (/usr/bin/chromium) through
# playwright-core, which downloads no browser of its own.
APT_PACKAGES=(qemu-utils borgbackup e2fsprogs btrfs-progs iptables ethtool socat rsync fuse3 python3-llfuse chromium)

export COREPACK_INTEGRITY_KEYS=0 COREPACK_ENABLE_DOWNLOAD_PROMPT=0 TURBO_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
export PATH="$here/node_modules/.bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

check_node() {
  command -v node >/dev/null || { echo "Node.js >= 20.19 is required (https://nodejs.org)" >&2; exit 1; }
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
    { echo "Node.js >= 20.19 is required; this is $(node -v)" >&2; exit 1; }
}

install_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  [ "$(id -u)" -eq 0 ] || { echo "run as root to install: ${missing[*]}" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_pnpm() {
  if [ "$(pnpm --version 2>/dev/null)" != "12.4.2" ]; then
    log "enabling pnpm 12.4.2 through corepack"
    corepack enable
    corepack prepare pnpm@12.4.2 --activate >/dev/null
  fi
}

setup() {
  check_node
  install_apt
  install_pnpm
  log "installing dependencies"
  pnpm install --frozen-lockfile --reporter=append-only 2>&1 | tail -n 3
  log "building"
  pnpm exec turbo run build --output-logs=errors-only
}

run_tests() {
  mkdir -p .work
  rm -f .work/test-results.json
  local status=0
  log "lint (biome) and type check (tsc, tests included)"
  pnpm exec biome check . || status=$?
  pnpm exec turbo run typecheck --output-logs=errors-only || status=$?
  pnpm exec vitest run || status=$?
  node scripts/test-summary.mjs .work/test-results.json || status=$((status == 0 ? 1 : status))
  return "$status"
}

case "${1:-}" in
  demo) setup; log "demo: snapshot and restore a running sample VM (server, agent, VirtualBox double)"; node infra/demo/demo.mjs ;;
  test) setup; log "running every test"; run_tests ;;
  setup) setup ;;
  *) echo "usage: $0 demo|test|setup" >&2; exit 2 ;;
esac
