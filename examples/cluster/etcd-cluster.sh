#!/usr/bin/env bash
# A 3-member etcd cluster on 127.0.0.1 for trying `dplc` on a cluster (see README.md here).
#   etcd-cluster.sh start [DIR]   start members n1..n3 (client ports 32379/32389/32399), wait until healthy
#   etcd-cluster.sh stop  [DIR]   stop them by PID (TERM, then KILL after 5 s) and remove DIR
# Loopback only; data and PID files live in DIR (default: /tmp/dplc-etcd).
set -euo pipefail
cmd=${1:-}; DIR=${2:-/tmp/dplc-etcd}
BASE=${DPLC_ETCD_BASE_PORT:-32369}
EPS=""; CLUSTER=""
for i in 1 2 3; do c=$((BASE + 10*i)); p=$((c + 1)); EPS="$EPS${EPS:+,}127.0.0.1:$c"; CLUSTER="$CLUSTER${CLUSTER:+,}n$i=http://127.0.0.1:$p"; done
case "$cmd" in
  start)
    command -v etcd >/dev/null || { echo "etcd-cluster.sh: etcd is not installed (Debian: apt-get install etcd-server etcd-client)" >&2; exit 2; }
    mkdir -p "$DIR"
    for i in 1 2 3; do
      c=$((BASE + 10*i)); p=$((c + 1))
      etcd --name n$i --data-dir "$DIR/n$i" \
        --listen-client-urls http://127.0.0.1:$c --advertise-client-urls http://127.0.0.1:$c \
        --listen-peer-urls http://127.0.0.1:$p --initial-advertise-peer-urls http://127.0.0.1:$p \
        --initial-cluster "$CLUSTER" --initial-cluster-state new --initial-cluster-token dplc \
        --heartbeat-interval 50 --election-timeout 500 \
        --logger zap --log-outputs "$DIR/n$i.log" >/dev/null 2>&1 &
      echo $! > "$DIR/n$i.pid"
    done
    for _ in $(seq 1 200); do   # at most ~20 s
      if ETCDCTL_API=3 etcdctl --endpoints "$EPS" --command-timeout=1s endpoint health >/dev/null 2>&1; then echo "$EPS"; exit 0; fi
      sleep 0.1
    done
    echo "etcd-cluster.sh: the cluster did not become healthy within 20 s (logs in $DIR)" >&2; exit 1 ;;
  stop)
    for f in "$DIR"/n*.pid; do
      [ -f "$f" ] || continue; pid=$(cat "$f"); kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$DIR" ;;
  *) echo "usage: etcd-cluster.sh start|stop [DIR]" >&2; exit 2 ;;
esac
