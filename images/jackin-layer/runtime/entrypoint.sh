#!/bin/sh
# jackin role container entrypoint (runs under tini).
# With arguments: run them (one-off commands, health checks, tests).
# Without: keep a tmux session "main" alive whose first window runs the selected runtime;
# `jackin hardline` attaches to it with `docker exec -it <container> tmux attach -t main`.
set -eu

if [ "$#" -gt 0 ]; then
  exec "$@"
fi

runtime="${JACKIN_RUNTIME:-stub}"
command -v "jackin-runtime-$runtime" >/dev/null 2>&1 || {
  echo "jackin: runtime '$runtime' is not installed in this image (have: ${JACKIN_RUNTIMES:-none})" >&2
  exit 1
}
cd "${JACKIN_WORKDIR:-$HOME}"
tmux new-session -d -s main -n "$runtime" "jackin-runtime-$runtime"
while tmux has-session -t main 2>/dev/null; do
  sleep 2
done
