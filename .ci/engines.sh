#!/usr/bin/env bash
# The database, cache and load balancer lesson 13 starts itself (PostgreSQL, Redis, HAProxy).
# Installs only what is missing; safe to run again. Called by .ci/run when present.
set -euo pipefail

missing=()
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
# PostgreSQL's server programs live in /usr/lib/postgresql/<major>/bin, not on PATH.
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || command -v postgres >/dev/null 2>&1 || missing+=(postgresql)

if [ ${#missing[@]} -eq 0 ]; then
  echo "engines: haproxy, redis-server and postgresql already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "engines: missing ${missing[*]} and no apt-get here; install them (Homebrew: brew install postgresql@17 redis haproxy)" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "engines: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: the packages must not start system-wide services; the lesson starts its own.
policy_added=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  policy_added=1
fi
trap '[ -n "$policy_added" ] && $sudo rm -f /usr/sbin/policy-rc.d' EXIT
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "engines: installed ${missing[*]}"
