# Installs missing system packages with apt-get (Debian/Ubuntu) or dnf (Fedora). Sourced by
# scripts/run and scripts/test so that both work on a fresh machine.

# as_root CMD...: runs CMD as root (directly when we are root, else through sudo)
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# need DEBIAN_NAME:FEDORA_NAME:CHECK ... — CHECK is a command or an absolute file that shows the
# package is there; only missing packages are installed, with one package-manager call.
need() {
  local missing_deb=() missing_rpm=() spec deb rpm check
  for spec in "$@"; do
    IFS=: read -r deb rpm check <<<"$spec"
    if [[ "$check" == /* ]]; then
      [ -e "$check" ] && continue
    else
      command -v "$check" >/dev/null 2>&1 && continue
    fi
    missing_deb+=("$deb")
    missing_rpm+=("$rpm")
  done
  [ ${#missing_deb[@]} -eq 0 ] && return 0
  if command -v apt-get >/dev/null 2>&1; then
    echo "installing: ${missing_deb[*]}" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_deb[@]}" >/dev/null
  elif command -v dnf >/dev/null 2>&1; then
    echo "installing: ${missing_rpm[*]}" >&2
    as_root dnf install -y -q "${missing_rpm[@]}"
  else
    echo "cannot install ${missing_deb[*]}: neither apt-get nor dnf is available" >&2
    return 1
  fi
}

# what the engine itself needs to run workflows
need_engine_prereqs() {
  need "openjdk-17-jdk-headless:java-17-openjdk-devel:javac" \
       "ansible-core:ansible-core:ansible-playbook"
}
