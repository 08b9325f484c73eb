#!/usr/bin/env bash
# Installs the outside tools that the emitter tests (tests/bpmn.rs) check BPMN with, each
# only when it is missing:
#   - xmllint (Debian libxml2-utils), to validate against the OMG BPMN 2.0 XSD;
#   - node and npm (Debian), and tools/node_modules from tools/package-lock.json:
#     bpmn-moddle (which ships the XSD), bpmnlint, bpmnlint-plugin-camunda-compat,
#     zeebe-bpmn-moddle;
#   - .venv, a Python venv with SpiffWorkflow, which runs tools/spiff_run.py.
# Safe to run again: it changes nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

SPIFF_VERSION=3.2.0

apt_install() {
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then
    sudo apt-get update -q && sudo apt-get install -y -q "$@"
  else
    apt-get update -q && apt-get install -y -q "$@"
  fi
}

if ! command -v xmllint >/dev/null; then
  apt_install libxml2-utils
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi

if [ ! -f tools/node_modules/bpmnlint/bin/bpmnlint.js ] \
  || [ ! -f tools/node_modules/bpmn-moddle/resources/bpmn/xsd/BPMN20.xsd ] \
  || [ ! -d tools/node_modules/bpmnlint-plugin-camunda-compat ] \
  || [ ! -d tools/node_modules/zeebe-bpmn-moddle ]; then
  (cd tools && npm ci --no-audit --no-fund)
fi

if ! .venv/bin/python -c "import SpiffWorkflow" >/dev/null 2>&1; then
  if ! python3 -m venv .venv >/dev/null 2>&1; then
    apt_install python3-venv
    python3 -m venv .venv
  fi
  .venv/bin/pip install -q "spiffworkflow==${SPIFF_VERSION}"
fi

echo "setup-tools: xmllint $(xmllint --version 2>&1 | head -n1 | awk '{print $NF}'), node $(node --version), SpiffWorkflow $(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("spiffworkflow"))')"
