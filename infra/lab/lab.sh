#!/usr/bin/env bash
# The two-host lab: network namespaces "host" and "storage" joined by one veth pair (192.0.2.1/24 on the host,
# 192.0.2.2/24 on storage), with link profiles. Every lab has an id, so parallel runs never clash:
#   namespaces vrs-<id>-host / vrs-<id>-storage, veth ends vrs-<id>-h / vrs-<id>-s (created inside them).
#
#   lab.sh [--id ID] up [--profile wifi|lan|none] [--owner PID] [--ttl SECONDS]   prints the id
#   lab.sh [--id ID] run [--profile P] CMD…     up, run CMD (VRS_LAB_ID exported), always down
#   lab.sh  --id ID  exec host|storage CMD…     CMD in that side's network namespace
#   lab.sh  --id ID  link down|up               both veth ends down (routes go, connections fail) / back up
#   lab.sh  --id ID  profile wifi|lan|none      switch the link profile
#   lab.sh  --id ID  counters                   veth byte/packet counters of both ends, one JSON line
#   lab.sh  --id ID  show                       qdiscs, filter rules and delay listeners of both ends
#   lab.sh [--id ID] down [--stale]             remove a lab (idempotent); --stale: every lab whose owner is gone
#   lab.sh list                                 one line per lab: id, owner pid, alive|stale
#   lab.sh  --id ID  path                       the lab's state directory (removed by down): room for scratch
# The id also comes from VRS_LAB_ID. Commands run through `nsenter --net` (not `ip netns exec`), so they share
# the caller's mount namespace: a FUSE mount made on one side is visible to the other and to the caller.
#
# Profiles (this kernel has no sch_netem, see below): wifi = tbf 50 Mbit/s on each end's egress, plus 5 ms delay
# and 0.1% random loss on each end's ingress, so both directions see rate, delay and loss; lan = tbf 1 Gbit/s;
# none = the bare veth.
#
# Teardown: `up` undoes a half-made lab itself (trap on EXIT); a watchdog started by `up` runs `down` once the
# owner process (default: the caller's parent) has exited or the TTL has passed, so a SIGKILLed owner still
# leaves nothing behind; `run` downs on EXIT/INT/TERM/HUP; `down --stale` sweeps what a crashed machine left.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE_ROOT=${VRS_LAB_STATE:-/run/vrs-lab}
HOST_ADDR=192.0.2.1
STORAGE_ADDR=192.0.2.2
PREFIX=24
# The profile table. wifi's delay and loss are per direction (netem's `delay 5ms loss 0.1%` on both ends).
WIFI_RATE=50mbit
WIFI_BURST=32kb
WIFI_QUEUE_LATENCY=100ms
WIFI_DELAY_MS=5
WIFI_LOSS=0.001
LAN_RATE=1gbit
LAN_BURST=512kb
LAN_QUEUE_LATENCY=20ms
NFQUEUE_NUM=0
DEFAULT_TTL=14400
STOP_WAIT_TENTHS=30

die() {
  echo "lab.sh: $*" >&2
  exit 2
}
usage() {
  sed -n '6,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

id=${VRS_LAB_ID:-}
if [ "${1:-}" = --id ]; then
  [ $# -ge 2 ] || usage
  id=$2
  shift 2
fi
[ $# -ge 1 ] || usage
cmd=$1
shift

check_id() {
  [[ $1 =~ ^[a-z0-9]{1,8}$ ]] || die "a lab id is 1–8 of [a-z0-9] (veth names are at most 15 bytes), got '$1'"
}
need_id() {
  [ -n "$id" ] || die "$cmd needs --id ID (or VRS_LAB_ID)"
  check_id "$id"
}
ns_of() { echo "vrs-$1-$2"; }
dev_of() { [ "$2" = host ] && echo "vrs-$1-h" || echo "vrs-$1-s"; }
side_ns() { ns_of "$id" "$1"; }
side_dev() { dev_of "$id" "$1"; }
in_ns() {
  local ns=$1
  shift
  nsenter --net="/run/netns/$ns" -- "$@"
}
check_side() { [ "$1" = host ] || [ "$1" = storage ] || die "a side is host or storage, got '$1'"; }

# Start time (clock ticks since boot) of a pid, so a reused pid is not taken for the owner.
# Empty for a pid that is gone or a zombie.
start_of() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  # shellcheck disable=SC2086 # split into fields on purpose, after the command name (which may hold spaces)
  set -- ${stat##*) }
  [ "$1" = Z ] || echo "${20}"
}
owner_alive() {
  local dir=$1 pid start
  pid=$(cat "$dir/owner" 2>/dev/null || true)
  start=$(cat "$dir/owner-start" 2>/dev/null || true)
  [ -n "$pid" ] && [ -n "$start" ] && [ "$(start_of "$pid")" = "$start" ]
}

# Signals pids, then waits (bounded) for them to go and SIGKILLs the rest.
stop_pids() {
  local pids=("$@") left i
  [ ${#pids[@]} -gt 0 ] || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < STOP_WAIT_TENTHS; i++)); do
    left=()
    for p in "${pids[@]}"; do [ -e "/proc/$p" ] && left+=("$p"); done
    [ ${#left[@]} -eq 0 ] && return 0
    sleep 0.1
  done
  kill -KILL "${left[@]}" 2>/dev/null || true
}

stop_delay() {
  local dir=$STATE_ROOT/$id pid
  pid=$(cat "$dir/delay-$1.pid" 2>/dev/null || true)
  # Only our own listener: its command line names delay-queue.py.
  if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q delay-queue.py; then stop_pids "$pid"; fi
  rm -f "$dir/delay-$1.pid" "$dir/delay-$1.ready"
}

start_delay() {
  local side=$1 dir=$STATE_ROOT/$id i rt=()
  rm -f "$dir/delay-$side.ready"
  # The listener stands in for the link itself: with real-time priority it does not queue behind the workload
  # on a loaded machine (it sleeps in select and uses a few % of a core at 50 Mbit/s).
  if chrt --fifo 10 true 2>/dev/null; then rt=(chrt --fifo 10); fi
  in_ns "$(side_ns "$side")" setsid "${rt[@]}" /usr/bin/python3 "$LAB_DIR/delay-queue.py" "$NFQUEUE_NUM" \
    "$WIFI_DELAY_MS" "$dir/delay-$side.ready" "$DEFAULT_TTL" </dev/null >>"$dir/delay-$side.log" 2>&1 &
  for ((i = 0; i < 100; i++)); do
    [ -s "$dir/delay-$side.ready" ] && break
    sleep 0.05
  done
  [ -s "$dir/delay-$side.ready" ] || die "the delay listener on $side did not start: $(tail -n 5 "$dir/delay-$side.log")"
  cp "$dir/delay-$side.ready" "$dir/delay-$side.pid"
}

# Puts one end into a profile, from whatever state it is in.
apply_side() {
  local side=$1 profile=$2 ns dev
  ns=$(side_ns "$side")
  dev=$(side_dev "$side")
  in_ns "$ns" tc qdisc del dev "$dev" root 2>/dev/null || true
  in_ns "$ns" iptables -t mangle -F PREROUTING
  stop_delay "$side"
  case $profile in
  wifi)
    # Frames of at most one MTU, as on a radio link: the loss hits single frames, not 64 KiB GSO bursts.
    in_ns "$ns" ethtool -K "$dev" tso off gso off gro off
    in_ns "$ns" tc qdisc replace dev "$dev" root tbf rate "$WIFI_RATE" burst "$WIFI_BURST" latency "$WIFI_QUEUE_LATENCY"
    # sch_netem is not built into this kernel (CONFIG_NET_SCH_NETEM unset: "Specified qdisc kind is unknown"),
    # so delay and loss are applied on ingress: a random DROP, then NFQUEUE to delay-queue.py, which accepts
    # each packet WIFI_DELAY_MS later. On ingress, not egress: packets held on the sender would count against
    # TCP Small Queues and throttle the sender to a fifth of the rate (netem avoids that with skb_orphan_partial).
    start_delay "$side"
    in_ns "$ns" iptables -t mangle -A PREROUTING -i "$dev" -m statistic --mode random --probability "$WIFI_LOSS" \
      -j DROP
    in_ns "$ns" iptables -t mangle -A PREROUTING -i "$dev" -j NFQUEUE --queue-num "$NFQUEUE_NUM" --queue-bypass
    ;;
  lan)
    in_ns "$ns" ethtool -K "$dev" tso on gso on gro on
    in_ns "$ns" tc qdisc replace dev "$dev" root tbf rate "$LAN_RATE" burst "$LAN_BURST" latency "$LAN_QUEUE_LATENCY"
    ;;
  none) in_ns "$ns" ethtool -K "$dev" tso on gso on gro on ;;
  *) die "a profile is wifi, lan or none, got '$profile'" ;;
  esac
}

apply_profile() {
  apply_side host "$1"
  apply_side storage "$1"
  echo "$1" >"$STATE_ROOT/$id/profile"
}

# Removes one lab: its watchdog, every process left in its namespaces, the namespaces (and so the veth pair),
# a stray veth end in the caller's namespace, and its state. Never fails; safe to repeat.
down_lab() {
  local lab=$1 dir=$STATE_ROOT/$1 pid side ns pids
  pid=$(cat "$dir/watch.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && [ "$pid" != "$$" ] && [ "$pid" != "${WATCHDOG_SELF:-}" ] &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "_watch $lab"; then
    stop_pids "$pid"
  fi
  for side in host storage; do
    ns=$(ns_of "$lab" "$side")
    if [ -e "/run/netns/$ns" ]; then
      mapfile -t pids < <(ip netns pids "$ns" 2>/dev/null || true)
      [ ${#pids[@]} -eq 0 ] || stop_pids "${pids[@]}"
      ip netns del "$ns" 2>/dev/null || true
    fi
    ip link del "$(dev_of "$lab" "$side")" 2>/dev/null || true
  done
  rm -rf "$dir" "$STATE_ROOT/.new-$lab"
}

# Every lab id that has a namespace or a state directory.
all_labs() {
  {
    ip netns list 2>/dev/null | awk '{ print $1 }' | sed -n 's/^vrs-\([a-z0-9]\{1,8\}\)-\(host\|storage\)$/\1/p'
    [ -d "$STATE_ROOT" ] && find "$STATE_ROOT" -mindepth 1 -maxdepth 1 -type d -printf '%f\n'
  } | grep -E '^[a-z0-9]{1,8}$' | sort -u || true
}

up_lab() {
  local profile=wifi owner=$PPID ttl=$DEFAULT_TTL dir
  while [ $# -gt 0 ]; do
    case $1 in
    --profile)
      profile=${2:-}
      shift 2
      ;;
    --owner)
      owner=${2:-}
      shift 2
      ;;
    --ttl)
      ttl=${2:-}
      shift 2
      ;;
    *) die "up: unknown option $1" ;;
    esac
  done
  [[ $ttl =~ ^[0-9]+$ ]] || die "--ttl takes whole seconds"
  [ -n "$id" ] || id=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
  check_id "$id"
  dir=$STATE_ROOT/$id
  if [ -e "/run/netns/$(side_ns host)" ] || [ -e "/run/netns/$(side_ns storage)" ] || [ -d "$dir" ]; then
    if owner_alive "$dir"; then die "lab $id exists and its owner $(cat "$dir/owner") is alive"; fi
    down_lab "$id" # what a crashed run of the same id left
  fi
  [ -n "$(start_of "$owner")" ] || die "owner pid $owner is not running"
  trap 'down_lab "$id"' EXIT
  # The state appears whole (owner included), so a concurrent `down --stale` never takes it for a dead lab.
  mkdir -p "$STATE_ROOT/.new-$id"
  echo "$owner" >"$STATE_ROOT/.new-$id/owner"
  start_of "$owner" >"$STATE_ROOT/.new-$id/owner-start"
  mv -T "$STATE_ROOT/.new-$id" "$dir"
  ip netns add "$(side_ns host)"
  ip netns add "$(side_ns storage)"
  ip link add "$(side_dev host)" netns "$(side_ns host)" type veth peer name "$(side_dev storage)" \
    netns "$(side_ns storage)"
  in_ns "$(side_ns host)" ip addr add "$HOST_ADDR/$PREFIX" dev "$(side_dev host)"
  in_ns "$(side_ns storage)" ip addr add "$STORAGE_ADDR/$PREFIX" dev "$(side_dev storage)"
  for side in host storage; do
    in_ns "$(side_ns "$side")" ip link set lo up
    in_ns "$(side_ns "$side")" ip link set "$(side_dev "$side")" up
  done
  apply_profile "$profile"
  setsid bash "${BASH_SOURCE[0]}" _watch "$id" "$ttl" </dev/null >>"$dir/watch.log" 2>&1 &
  echo $! >"$dir/watch.pid"
  trap - EXIT
  echo "$id"
}

# The watchdog: downs the lab when its owner is gone or after TTL seconds, whichever is first.
watch_lab() {
  local ttl=$1 i
  WATCHDOG_SELF=$$
  for ((i = 0; i < ttl; i++)); do
    owner_alive "$STATE_ROOT/$id" || break
    sleep 1
  done
  [ -d "$STATE_ROOT/$id" ] && down_lab "$id"
  return 0
}

counters_of() {
  local loss
  # Packets the emulated loss dropped on this end's ingress (they were on the wire: rx counts them).
  loss=$(in_ns "$(side_ns "$1")" iptables -t mangle -L PREROUTING -v -n -x | awk '$3 == "DROP" { n += $1 } END { print n + 0 }')
  # /proc/net/dev is per network namespace: bytes and packets the veth end received (rx) and sent (tx).
  in_ns "$(side_ns "$1")" cat /proc/net/dev | awk -v dev="$(side_dev "$1")" -v side="$1" -v loss="$loss" '
    { sub(/^ +/, "") }
    $1 == dev ":" {
      printf "\"%s\":{\"rxBytes\":%s,\"rxPackets\":%s,\"txBytes\":%s,\"txPackets\":%s,\"lossPackets\":%s}",
        side, $2, $3, $10, $11, loss
    }'
}

case $cmd in
up) up_lab "$@" ;;
run)
  profile=wifi
  if [ "${1:-}" = --profile ]; then
    profile=$2
    shift 2
  fi
  [ $# -ge 1 ] || die "run needs a command"
  id=$(up_lab --profile "$profile" --owner $$)
  child=
  trap 'down_lab "$id"' EXIT
  for signal in INT:130 TERM:143 HUP:129; do
    # shellcheck disable=SC2064 # the code is fixed now, the child's pid is read when the signal comes
    trap "[ -z \"\$child\" ] || kill -TERM \"\$child\" 2>/dev/null; exit ${signal#*:}" "${signal%%:*}"
  done
  # In the background (stdin kept) so that a signal is handled at once, not after CMD ends.
  VRS_LAB_ID=$id "$@" <&0 &
  child=$!
  status=0
  wait "$child" || status=$?
  child=
  exit "$status"
  ;;
exec)
  need_id
  [ $# -ge 2 ] || die "exec needs a side and a command"
  check_side "$1"
  ns=$(side_ns "$1")
  shift
  [ -e "/run/netns/$ns" ] || die "no lab $id (namespace $ns is missing)"
  exec nsenter --net="/run/netns/$ns" -- "$@"
  ;;
link)
  need_id
  case ${1:-} in
  down | up)
    in_ns "$(side_ns host)" ip link set "$(side_dev host)" "$1"
    in_ns "$(side_ns storage)" ip link set "$(side_dev storage)" "$1"
    ;;
  *) die "link takes down or up" ;;
  esac
  ;;
profile)
  need_id
  [ -d "$STATE_ROOT/$id" ] || die "no lab $id"
  apply_profile "${1:-}"
  ;;
path)
  need_id
  [ -d "$STATE_ROOT/$id" ] || die "no lab $id"
  echo "$STATE_ROOT/$id"
  ;;
counters)
  need_id
  echo "{$(counters_of host),$(counters_of storage)}"
  ;;
show)
  need_id
  echo "profile: $(cat "$STATE_ROOT/$id/profile" 2>/dev/null || echo unknown)"
  for side in host storage; do
    echo "== $side ($(side_ns "$side"), $(side_dev "$side"))"
    in_ns "$(side_ns "$side")" ip -brief addr show dev "$(side_dev "$side")"
    in_ns "$(side_ns "$side")" tc qdisc show dev "$(side_dev "$side")"
    in_ns "$(side_ns "$side")" iptables -t mangle -S PREROUTING | grep -- '-A' || true
    pid=$(cat "$STATE_ROOT/$id/delay-$side.pid" 2>/dev/null || true)
    [ -z "$pid" ] || echo "delay: ${WIFI_DELAY_MS}ms by delay-queue.py pid $pid on nfqueue $NFQUEUE_NUM"
  done
  ;;
down)
  if [ "${1:-}" = --stale ]; then
    for lab in $(all_labs); do owner_alive "$STATE_ROOT/$lab" || down_lab "$lab"; done
  else
    need_id
    down_lab "$id"
  fi
  ;;
list)
  for lab in $(all_labs); do
    if owner_alive "$STATE_ROOT/$lab"; then state=alive; else state=stale; fi
    echo "$lab $(cat "$STATE_ROOT/$lab/owner" 2>/dev/null || echo -) $state"
  done
  ;;
_watch)
  id=$1
  watch_lab "$2"
  ;;
*) usage ;;
esac; exit # on one line: a running lab.sh (the watchdog) has read it whole, so an edit cannot feed it more
