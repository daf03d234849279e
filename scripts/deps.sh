#!/usr/bin/env bash
# Installs what is missing, and only that: Debian packages named after --deb, PyPI packages after --pip
# (given as import-name=package-name). Quick when everything is present.
# PyPI packages go into the project venv .venv at the repository root (created here with `python3 -m venv`;
# Debian's python3-venv provides it), never into the system Python: Debian 12's refuses (PEP 668). The tests
# and benchmarks run that venv's interpreter (scripts/python.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
debs=() pips=() mode=""
for arg in "$@"; do
  case "$arg" in
    --deb) mode=deb ;;
    --pip) mode=pip ;;
    *) if [ "$mode" = deb ]; then debs+=("$arg"); else pips+=("$arg"); fi ;;
  esac
done
missing=()
for pkg in "${debs[@]+"${debs[@]}"}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing Debian packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ ${#pips[@]} -gt 0 ] || exit 0
venv=$root/.venv
if [ ! -x "$venv/bin/python3" ]; then
  echo "deps: creating the project Python venv in $venv"
  python3 -m venv "$venv" || { echo "deps: python3 -m venv failed — apt-get install python3-venv" >&2; exit 1; }
fi
pip_missing=()
for spec in "${pips[@]}"; do
  module=${spec%%=*} package=${spec#*=}
  "$venv/bin/python3" -c "import $module" 2>/dev/null || pip_missing+=("$package")
done
if [ ${#pip_missing[@]} -gt 0 ]; then
  echo "deps: installing PyPI packages into $venv: ${pip_missing[*]}"
  "$venv/bin/python3" -m pip install -q --disable-pip-version-check "${pip_missing[@]}"
fi
