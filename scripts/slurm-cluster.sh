#!/usr/bin/env bash
# A real single-node Slurm (munged, slurmctld, slurmd) in a state folder of its own, on 127.0.0.1, for the
# tests and for trying Loom's Slurm scheduler (docs/slurm.md). Facts behind each setting: ../CLUSTER.md
# of the project notes (munge socket mode, batch_sched_delay, MailProg, slurmd -C topology, ...).
#
#   scripts/slurm-cluster.sh start DIR [--ctld-port N] [--slurmd-port N] [--nodes N [--net B]]  # prints: export SLURM_CONF=DIR/etc/slurm.conf
#   scripts/slurm-cluster.sh stop DIR                                      # stops those daemons, and nothing else
#   scripts/slurm-cluster.sh start-node DIR K                              # (--nodes N) starts nodeK's slurmd again, in its namespace
#
# `start` installs `slurm-wlm munge libpmix-dev` when missing (Debian), refuses a DIR that already runs a cluster, and
# returns once the node is idle. Ports default to 6817/6818; give others to run beside another cluster.
#
# `--nodes N` with N > 1 (root only): N hosts on this machine. Each slurmd runs in a network namespace and a UTS
# namespace of its own (hostname nodeK, `ip netns` name loomB-nK), joined by a veth pair to a bridge loomB-br that
# the script creates on the private subnet 10.B.0.0/24 (B defaults to 77): the host (slurmctld) is 10.B.0.1,
# nodeK is 10.B.0.(K+1). munged is shared (its socket is a file, reachable from every network namespace). Every
# namespace and link made is listed in DIR/run/net.txt; `stop` removes exactly those. N=1 (the default) is the
# single node on 127.0.0.1 as before.
set -euo pipefail

usage() { echo "usage: $0 start DIR [--ctld-port N] [--slurmd-port N] [--nodes N [--net B]] | stop DIR | start-node DIR K" >&2; exit 2; }
(($# >= 2)) || usage
action=$1; dir=$2; shift 2
node_k=""
if [[ $action == start-node ]]; then (($# == 1)) || usage; node_k=$1; shift; fi
ctld_port=6817; slurmd_port=6818; nodes=1; net=77
while (($#)); do
  case "$1" in
    --ctld-port) ctld_port=$2; shift 2 ;;
    --slurmd-port) slurmd_port=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --net) net=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ $nodes =~ ^[1-9][0-9]?$ ]] || { echo "$0: --nodes $nodes: expected 1 to 99" >&2; exit 2; }
[[ $net =~ ^[0-9]+$ ]] && ((net >= 1 && net <= 254)) || { echo "$0: --net $net: expected 1 to 254 (the subnet 10.B.0.0/24)" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
daemons=(slurmd slurmctld munged) # stop order: the node first, munge last

# The pid in DIR/run/NAME.pid if that process is still the daemon (Debian's slurmctld is a symlink to
# slurmctld-wlm, so compare the start of /proc/PID/comm, which is cut at 15 characters).
live_pid() {
  local pidfile="$dir/run/$1.pid" pid
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ -r /proc/$pid/comm && $(</proc/"$pid"/comm) == "$1"* ]] || return 1
  echo "$pid"
}

stop() {
  local name pid pids=()
  for name in "${daemons[@]}"; do
    if pid=$(live_pid "$name"); then kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); fi
  done
  for _ in $(seq 100); do
    local alive=0
    for pid in "${pids[@]}"; do [[ -d /proc/$pid ]] && alive=1; done
    ((alive)) || return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}

# The pids of the multi-node cluster's slurmd (one pid file per node: SlurmdPidFile=run/slurmd-%n.pid).
node_pids() {
  local f pid
  for f in "$dir"/run/slurmd-node*.pid; do
    [[ -s $f ]] || continue
    pid=$(<"$f")
    [[ -r /proc/$pid/comm && $(</proc/"$pid"/comm) == slurmd* ]] && echo "$pid"
  done
  return 0
}

# Stops every daemon, then removes the namespaces and links listed in run/net.txt (in reverse order), nothing else.
stop_all() {
  local pid pids=()
  for pid in $(node_pids); do kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); done
  for _ in $(seq 100); do
    local alive=0
    for pid in "${pids[@]}"; do [[ -d /proc/$pid ]] && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  stop
  local made="$dir/run/net.txt" kind name
  [[ -s $made ]] || return 0
  tac "$made" | while read -r kind name; do
    case "$kind" in
      netns) ip netns pids "$name" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true; ip netns del "$name" 2>/dev/null || true ;;
      link) ip link del "$name" 2>/dev/null || true ;;
    esac
  done
  rm -f "$made"
}

# Records a namespace or link in run/net.txt before making it, so that `stop` removes it even after a failed start.
made() { echo "$1 $2" >>"$dir/run/net.txt"; }

# The bridge 10.B.0.1/24 and, per node, a namespace with its veth end 10.B.0.(K+1); lo up inside.
make_network() {
  local bridge="loom$net-br" k ns host_end node_end
  if ip link show "$bridge" >/dev/null 2>&1; then echo "$0: $bridge already exists (another cluster on --net $net?)" >&2; exit 1; fi
  if ip -4 route show 10."$net".0.0/24 2>/dev/null | grep -q .; then echo "$0: 10.$net.0.0/24 is already routed here: choose another --net" >&2; exit 1; fi
  made link "$bridge"; ip link add "$bridge" type bridge
  ip addr add "10.$net.0.1/24" dev "$bridge"
  ip link set "$bridge" up
  for k in $(seq "$nodes"); do
    ns="loom$net-n$k"; host_end="l$net-n${k}h"; node_end="l$net-n${k}c"
    if ip netns list | grep -qw "$ns"; then echo "$0: namespace $ns already exists" >&2; exit 1; fi
    made netns "$ns"; ip netns add "$ns"
    made link "$host_end"; ip link add "$host_end" type veth peer name "$node_end"
    ip link set "$node_end" netns "$ns"
    ip link set "$host_end" master "$bridge" up
    in_ns "$ns" ip addr add "10.$net.0.$((k + 1))/24" dev "$node_end"
    in_ns "$ns" ip link set "$node_end" up
    in_ns "$ns" ip link set lo up
  done
}

# nodeK's slurmd in its network namespace NS and a fresh UTS namespace named nodeK (SLURM_CONF set).
# A command in namespace $1's network. nsenter, not `ip -n`: that one also unshares the mount namespace and makes /
# a slave mount, which fails where / is not a mount point (a chroot, as on the fresh-machine check: "mount
# --make-rslave / failed: Invalid argument").
in_ns() { local ns=$1; shift; nsenter --net=/run/netns/"$ns" "$@"; }
# nsenter, not `ip netns exec`: that one mounts a fresh /sys without /sys/fs/cgroup, and slurmd then fails
# ("No filesystem mounted on /sys/fs/cgroup", "Unable to initialize cgroup plugin"). A new UTS namespace
# (unshare -u) gives the node its own hostname, which the ranks see (gethostname).
start_node() { in_ns "$1" unshare -u sh -c "hostname node$2 && exec slurmd -N node$2"; }

# `start-node DIR K`: nodeK's slurmd again (after it died or was killed), in the namespace `start` made for it.
restart_node() {
  [[ $node_k =~ ^[1-9][0-9]?$ ]] || { echo "$0: start-node $node_k: expected a node number" >&2; exit 2; }
  local ns; ns=$(awk -v k="$node_k" '$1 == "netns" && $2 ~ ("-n" k "$") { print $2 }' "$dir/run/net.txt" 2>/dev/null)
  [[ -n $ns ]] || { echo "$0: $dir has no namespace for node$node_k (not started with --nodes?)" >&2; exit 1; }
  local f=$dir/run/slurmd-node$node_k.pid
  if [[ -s $f && -r /proc/$(<"$f")/comm && $(</proc/"$(<"$f")"/comm) == slurmd* ]]; then echo "$0: node$node_k's slurmd still runs" >&2; exit 1; fi
  export SLURM_CONF=$dir/etc/slurm.conf
  start_node "$ns" "$node_k"
}

install_missing() {
  local missing=() p
  for p in slurm-wlm munge libpmix-dev; do # libpmix-dev: srun --mpi=pmix dlopens pmix2/lib/libpmix.so
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

start() {
  for name in "${daemons[@]}"; do
    if live_pid "$name" >/dev/null; then echo "$0: $dir already runs $name: stop it first" >&2; exit 1; fi
  done
  if [[ -n $(node_pids) ]]; then echo "$0: $dir already runs slurmd: stop it first" >&2; exit 1; fi
  install_missing
  local host; host=$(hostname -s)
  mkdir -p "$dir"/{etc,run,log,state,spool,munge}
  chmod 0711 "$dir/munge" # munged refuses a socket folder that others cannot traverse
  [[ -s $dir/munge/munge.key ]] || mungekey --create --keyfile="$dir/munge/munge.key"
  chmod 0600 "$dir/munge/munge.key"
  munged --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" --pid-file="$dir/run/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munge.seed" --force

  # The node's real topology and memory (slurmd drains a node that claims more than it has).
  local topo; topo=$(slurmd -C | head -n 1 | sed -E 's/^NodeName=[^ ]+ //; s/ UpTime=.*//')
  # One node on 127.0.0.1, or N nodes in namespaces: nodeK at 10.B.0.(K+1), each with its own spool, pid and log (%n).
  local ctld_addr=127.0.0.1 node_lines="NodeName=$host NodeAddr=127.0.0.1 $topo State=UNKNOWN" node_names=$host
  local spool=$dir/spool slurmd_pid=$dir/run/slurmd.pid slurmd_log=$dir/log/slurmd.log tmpfs=/tmp node_timeout="" k
  if ((nodes > 1)); then
    [[ $(id -u) == 0 ]] || { echo "$0: --nodes $nodes needs root (network namespaces)" >&2; exit 1; }
    trap 'stop_all' ERR
    make_network
    ctld_addr=10.$net.0.1; node_lines=""; node_names="node[1-$nodes]"
    # TmpFS per node: PMIx makes its client folder there (/tmp/spmix_appdir_<uid>_<step>), and two nodes sharing
    # /tmp collide on it ("Cannot create client cli tmpdir ... File exists"), failing the step's launch.
    # A node that stops answering (its link down) is declared DOWN after SlurmdTimeout and its jobs end (default
    # 300 s; Open MPI's TCP alone waits far longer): 20 s ends such a job in about 30 s.
    node_timeout="SlurmdTimeout=20"
    tmpfs=$dir/tmp/%n; spool=$dir/spool/%n; slurmd_pid=$dir/run/slurmd-%n.pid; slurmd_log=$dir/log/slurmd-%n.log
    for k in $(seq "$nodes"); do
      mkdir -p "$dir/spool/node$k" "$dir/tmp/node$k"
      node_lines+="NodeName=node$k NodeAddr=10.$net.0.$((k + 1)) $topo State=UNKNOWN"$'\n'
    done
    node_lines=${node_lines%$'\n'}
  fi
  cat >"$dir/etc/slurm.conf" <<EOF
ClusterName=loom
SlurmctldHost=$host($ctld_addr)
SlurmUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$spool
TmpFS=$tmpfs
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$slurmd_pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$slurmd_log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=batch_sched_delay=0
MpiDefault=pmix
MailProg=/bin/true
ReturnToService=2
JobRequeue=1
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
MinJobAge=3600
KillWait=5
$node_timeout
$node_lines
PartitionName=debug Nodes=$node_names Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$dir/etc/slurm.conf
  slurmctld
  if ((nodes == 1)); then
    slurmd
  else
    for k in $(seq "$nodes"); do start_node "loom$net-n$k" "$k"; done
  fi
  # Ready when every node reports idle (a few tenths of a second here).
  for _ in $(seq 150); do
    [[ $(sinfo -h -N -o %t 2>/dev/null | grep -c '^idle$') == "$nodes" ]] && { echo "export SLURM_CONF=$SLURM_CONF"; return 0; }
    sleep 0.2
  done
  echo "$0: the $nodes node(s) did not become idle in 30 s; see $dir/log/" >&2
  stop_all
  exit 1
}

case "$action" in
  start) start ;;
  stop) stop_all ;;
  start-node) restart_node ;;
  *) usage ;;
esac
