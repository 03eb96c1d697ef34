#!/usr/bin/env bash
# Installs what the real-editor tests need (docs/dev/design.md §8), offline except for npm and Debian apt.
# Idempotent: a second run finds everything in place and returns in about a second.
#
#   scripts/provision-e2e.sh           install what is missing (root on Debian for the apt part)
#   scripts/provision-e2e.sh --check   install nothing; list what is missing; exit 1 if anything is
#
# What it provides:
#   - Debian packages (listed explicitly below): Chromium for the VS Code workbench, Neovim 0.7 as
#     a headless LSP client, and what code-server's native modules need to build.
#   - code-server (a real VS Code 1.100 workbench + Node extension host) from npm, into the ignored
#     .cache/ folder, with the offline workarounds of shared/recipes/real-editor. A marker file is
#     written only after `code-server --version` works.
# Logs go to .cache/e2e-logs/; on failure the tail of the failing step's log is printed.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CS_VERSION="4.100.3"
CACHE="$ROOT/.cache"
CS_PREFIX="$CACHE/code-server-$CS_VERSION"
CS_MARKER="$CS_PREFIX/.provisioned"
LOGS="$CACHE/e2e-logs"
# Chromium drives the workbench; neovim is the second LSP client; ripgrep, libkrb5-dev, pkg-config,
# build-essential and python3 are needed to install code-server's native modules without downloads;
# fonts-dejavu-core gives the screenshots readable glyphs.
APT_PACKAGES=(chromium neovim ripgrep libkrb5-dev pkg-config build-essential python3 fonts-dejavu-core)
MIN_FREE_MB=2048

log() { echo "[provision-e2e] $*"; }

missing_packages() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then echo "$p"; fi
  done
}

# run_logged NAME CMD...: runs CMD with output in $LOGS/NAME.log; on failure prints the tail and fails.
run_logged() {
  local name=$1
  shift
  local file="$LOGS/$name.log"
  if ! "$@" >"$file" 2>&1; then
    log "FAILED: $name (last lines of $file):"
    tail -n 60 "$file" | sed 's/^/    /'
    return 1
  fi
}

# retry N CMD...: bounded retries with a short back-off, for network-dependent steps.
retry() {
  local tries=$1
  shift
  local i
  for ((i = 1; i <= tries; i++)); do
    if "$@"; then return 0; fi
    if ((i < tries)); then
      log "attempt $i of $tries failed; retrying in $((i * 5)) s"
      sleep $((i * 5))
    fi
  done
  return 1
}

if [ "${1:-}" = "--check" ]; then
  missing=()
  if command -v dpkg-query >/dev/null 2>&1; then
    while read -r p; do [ -n "$p" ] && missing+=("apt:$p"); done < <(missing_packages)
  else
    for b in chromium nvim; do command -v "$b" >/dev/null 2>&1 || missing+=("$b"); done
  fi
  [ -f "$CS_MARKER" ] || missing+=("code-server-$CS_VERSION")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]}"
    exit 1
  fi
  echo "real-editor tools present (code-server $CS_VERSION, chromium, neovim)"
  exit 0
fi

mkdir -p "$LOGS"

# 1) Free disk first: Chromium (~360 MB) and code-server (~300 MB) plus build room.
free_mb=$(df -Pm "$ROOT" | awk 'NR == 2 { print $4 }')
if [ "${free_mb:-0}" -lt "$MIN_FREE_MB" ]; then
  log "only ${free_mb} MB free on the disk holding $ROOT; need at least $MIN_FREE_MB MB"
  exit 1
fi

# 2) Debian packages, only those missing.
mapfile -t need < <(missing_packages)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "missing Debian packages: ${need[*]}"
    log "install them as root: apt-get install -y --no-install-recommends ${need[*]}"
    exit 1
  fi
  log "apt: installing ${need[*]}"
  # Another apt run (unattended-upgrades on a fresh machine, a second checkout provisioning) may hold
  # the dpkg lock for minutes: wait for it rather than fail.
  retry 3 run_logged apt-update env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update
  retry 3 run_logged apt-install env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}"
  still=$(missing_packages | tr '\n' ' ')
  if [ -n "${still// /}" ]; then
    log "apt finished but these are still missing: $still"
    exit 1
  fi
else
  log "apt: all ${#APT_PACKAGES[@]} packages present"
fi

# 3) code-server from npm with the recipe's workarounds:
#    - install with --ignore-scripts (its postinstall downloads ripgrep from GitHub), then
#    - rebuild argon2 (prebuilt download fails, node-gyp fallback works offline),
#    - in lib/vscode: npm install --ignore-scripts, copy Debian's rg into @vscode/ripgrep/bin so its
#      postinstall skips the download, then npm rebuild with npm_config_yes=true (node-pty runs npx
#      node-gyp) and unsafe-perm (root),
#    - finish postinstall.sh's remaining steps (node_modules.asar link, helper links, extensions).
install_code_server() {
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  cd "$CS_PREFIX"
  printf '{ "name": "kube-reach-e2e-code-server", "private": true }\n' >package.json
  export npm_config_unsafe_perm=true npm_config_yes=true npm_config_audit=false npm_config_fund=false
  retry 2 run_logged cs-npm-install npm install "code-server@$CS_VERSION" --ignore-scripts --no-save
  run_logged cs-rebuild-argon2 npm rebuild argon2 --foreground-scripts
  local cs="$CS_PREFIX/node_modules/code-server"
  cd "$cs/lib/vscode"
  retry 2 run_logged cs-vscode-install npm install --omit=dev --ignore-scripts
  local rg_dir=node_modules/@vscode/ripgrep
  if [ -f "$rg_dir/lib/postinstall.js" ] && grep -q 'bin/ folder already exists' "$rg_dir/lib/postinstall.js"; then
    mkdir -p "$rg_dir/bin"
    cp "$(command -v rg)" "$rg_dir/bin/rg"
  fi
  run_logged cs-vscode-rebuild npm rebuild --foreground-scripts
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  cd extensions
  retry 2 run_logged cs-extensions-install npm install --omit=dev
  cd "$ROOT"
}

verify_code_server() {
  local xdg
  xdg="$(mktemp -d)"
  local out
  out=$(XDG_CONFIG_HOME="$xdg" XDG_DATA_HOME="$xdg" node "$CS_PREFIX/node_modules/code-server/out/node/entry.js" --version 2>&1 || true)
  rm -rf "$xdg"
  echo "$out" >"$LOGS/cs-version.log"
  echo "$out" | grep -q "^$CS_VERSION "
}

if [ -f "$CS_MARKER" ] && verify_code_server; then
  log "code-server $CS_VERSION present"
else
  log "code-server $CS_VERSION: installing into ${CS_PREFIX#"$ROOT"/} (about 40 s with a warm npm cache)"
  if ! (install_code_server); then
    log "code-server install failed; logs in $LOGS"
    exit 1
  fi
  if ! verify_code_server; then
    log "code-server --version did not report $CS_VERSION:"
    tail -n 30 "$LOGS/cs-version.log" | sed 's/^/    /'
    exit 1
  fi
  date -u +%Y-%m-%dT%H:%M:%SZ >"$CS_MARKER"
  log "code-server $CS_VERSION installed: $(grep "^$CS_VERSION " "$LOGS/cs-version.log")"
fi
log "done"
