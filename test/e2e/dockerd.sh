#!/usr/bin/env bash
# Starts or stops a private Docker engine (its own data root, exec root, socket and pidfile), so
# tests never touch a system daemon and two engines on one host do not share state.
#   test/e2e/dockerd.sh start [dir]   prints `export DOCKER_HOST=unix://<dir>/docker.sock`
#   test/e2e/dockerd.sh stop [dir]
#   test/e2e/dockerd.sh purge [dir]   stop, then delete dir (images, containers) once nothing is mounted there
#   test/e2e/dockerd.sh env [dir]     prints the export line again
# dir defaults to $PLEXARR_DOCKERD_DIR or /tmp/plexarr-dockerd.
set -euo pipefail

cmd=${1:-}
dir=${2:-${PLEXARR_DOCKERD_DIR:-/tmp/plexarr-dockerd}}
sock="unix://$dir/docker.sock"

engine_up() { DOCKER_HOST=$sock docker info >/dev/null 2>&1; }

start() {
  mkdir -p "$dir"
  if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null && engine_up; then
    echo "export DOCKER_HOST=$sock"
    return 0
  fi
  command -v dockerd >/dev/null || { echo "dockerd is not installed (apt-get install docker.io)" >&2; exit 1; }
  # setsid: the engine outlives the caller's process group (jest workers, CI steps) until `stop`.
  # The default bridge stays off: compose creates its own network, and a second engine on the
  # same host would otherwise fight over docker0. Each engine draws its networks from its own
  # 172.(24-31).0.0/16, so two engines (two CI runs on one machine) rarely route the same subnet.
  pool="base=172.$((24 + RANDOM % 8)).0.0/16,size=24"
  setsid dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "$sock" \
    --pidfile "$dir/pid" --bridge none --default-address-pool "$pool" >"$dir/log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    if engine_up; then
      echo "export DOCKER_HOST=$sock"
      return 0
    fi
    sleep 0.5
  done
  echo "dockerd did not answer within 60 s; last lines of $dir/log:" >&2
  tail -n 20 "$dir/log" >&2 || true
  exit 1
}

stop() {
  [ -f "$dir/pid" ] || return 0
  pid=$(cat "$dir/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$dir/pid"
}

purge() {
  stop
  if grep -q " $dir/" /proc/mounts; then
    echo "not removing $dir: something is still mounted below it" >&2
    return 1
  fi
  rm -rf "$dir"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  purge) purge ;;
  env) echo "export DOCKER_HOST=$sock" ;;
  *) echo "usage: $0 start|stop|purge|env [dir]" >&2; exit 2 ;;
esac
