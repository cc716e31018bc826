# apt.sh: ensure_packages PACKAGE... installs the Debian packages that are
# missing (as root, or with sudo), quietly; apt's output is shown only when
# it fails. Sourced by the scripts that install what they need; the caller
# defines log and die.

ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} with apt-get"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  local out
  out=$(mktemp)
  "${sudo[@]}" apt-get update -qq >"$out" 2>&1 || { cat "$out" >&2; rm -f "$out"; die "apt-get update failed"; }
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$out" 2>&1 \
    || { cat "$out" >&2; rm -f "$out"; die "apt-get install ${missing[*]} failed"; }
  rm -f "$out"
}
