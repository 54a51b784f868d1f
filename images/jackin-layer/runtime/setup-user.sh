#!/bin/sh
# Moves the construct's `agent` user to the host operator's UID/GID, so files the agent writes
# into bind mounts are owned by the operator. Non-unique ids are allowed (a root operator gives
# uid 0; a gid already taken by another group becomes agent's primary group).
set -eu
uid="$1"
gid="$2"

if ! id agent >/dev/null 2>&1; then
  useradd --create-home --home-dir /home/agent --shell /bin/sh agent
fi

existing_group="$(getent group "$gid" | cut -d: -f1 || true)"
if [ -n "$existing_group" ]; then
  usermod -g "$gid" agent
elif getent group agent >/dev/null 2>&1; then
  groupmod -o -g "$gid" agent
  usermod -g "$gid" agent
else
  groupadd -o -g "$gid" agent
  usermod -g "$gid" agent
fi

if [ "$(id -u agent)" != "$uid" ]; then
  usermod -o -u "$uid" agent
fi

mkdir -p /home/agent /workspace /jackin/state
chown -R "$uid:$gid" /home/agent /workspace /jackin/state
