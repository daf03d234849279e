#!/usr/bin/env bash
# Installs what is missing, and only that: Debian packages named after --deb, PyPI packages after --pip
# (given as import-name=package-name). Quick when everything is present.
set -euo pipefail
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
pip_missing=()
for spec in "${pips[@]+"${pips[@]}"}"; do
  module=${spec%%=*} package=${spec#*=}
  python3 -c "import $module" 2>/dev/null || pip_missing+=("$package")
done
if [ ${#pip_missing[@]} -gt 0 ]; then
  echo "deps: installing PyPI packages: ${pip_missing[*]}"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "${pip_missing[@]}"
fi
