# The project Python: source it. Exports CIVICTAGS_PYTHON — the venv interpreter `make deps-test` and
# `make deps-bench` create in .venv (with the PyPI test oracles and benchmark peers), unless the caller set
# it — or stops the calling script saying how to make one. The Swift tests resolve the same interpreter
# (TagTestSupport's ProjectPaths.python), so scripts, tests and benchmarks all run one Python.
: "${CIVICTAGS_PYTHON:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.venv/bin/python3}"
if [ ! -x "$CIVICTAGS_PYTHON" ]; then
  echo "${0##*/}: no project Python at $CIVICTAGS_PYTHON — run \`make deps-test\` (creates .venv) or set CIVICTAGS_PYTHON" >&2
  exit 1
fi
export CIVICTAGS_PYTHON
