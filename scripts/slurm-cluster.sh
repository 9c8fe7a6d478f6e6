#!/usr/bin/env bash
# A real single-node Slurm (munged, slurmctld, slurmd) in a state folder of its own, on 127.0.0.1, for the
# tests and for trying Loom's Slurm scheduler (docs/slurm.md). Facts behind each setting: ../CLUSTER.md
# of the project notes (munge socket mode, batch_sched_delay, MailProg, slurmd -C topology, ...).
#
#   scripts/slurm-cluster.sh start DIR [--ctld-port N] [--slurmd-port N]   # prints: export SLURM_CONF=DIR/etc/slurm.conf
#   scripts/slurm-cluster.sh stop DIR                                      # stops those daemons, and nothing else
#
# `start` installs `slurm-wlm munge libpmix-dev` when missing (Debian), refuses a DIR that already runs a cluster, and
# returns once the node is idle. Ports default to 6817/6818; give others to run beside another cluster.
set -euo pipefail

usage() { echo "usage: $0 start DIR [--ctld-port N] [--slurmd-port N] | stop DIR" >&2; exit 2; }
(($# >= 2)) || usage
action=$1; dir=$2; shift 2
ctld_port=6817; slurmd_port=6818
while (($#)); do
  case "$1" in
    --ctld-port) ctld_port=$2; shift 2 ;;
    --slurmd-port) slurmd_port=$2; shift 2 ;;
    *) usage ;;
  esac
done
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
  cat >"$dir/etc/slurm.conf" <<EOF
ClusterName=loom
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
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
NodeName=$host NodeAddr=127.0.0.1 $topo State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$dir/etc/slurm.conf
  slurmctld
  slurmd
  # Ready when the node reports idle (a few tenths of a second here).
  for _ in $(seq 150); do
    [[ $(sinfo -h -o %t 2>/dev/null) == idle ]] && { echo "export SLURM_CONF=$SLURM_CONF"; return 0; }
    sleep 0.2
  done
  echo "$0: the node did not become idle in 30 s; see $dir/log/" >&2
  stop
  exit 1
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
