#!/usr/bin/env bash
# Installs the outside tools the tests check quytrinh's outputs with, each only when it is
# missing. Safe to run again: it changes nothing when everything is there.
#   - xmllint (Debian libxml2-utils): BPMN against the OMG BPMN 2.0 XSD;
#   - node and npm (Debian), and tools/node_modules from tools/package-lock.json:
#     bpmn-moddle (which ships the XSD), bpmnlint, bpmnlint-plugin-camunda-compat,
#     zeebe-bpmn-moddle, and bpmn-js, the modeler that opens the diagrams in Chromium;
#     vscode-textmate and vscode-oniguruma, which tokenise .proc files with the TextMate
#     grammar of editors/vscode as VS Code does;
#   - .venv, a Python venv with SpiffWorkflow, which runs tools/spiff_run.py;
#   - Graphviz (`dot`) renders the DOT diagrams; Chromium opens the approval packets;
#     DejaVu fonts are the ones the diagrams are measured for;
#   - LibreOffice Writer (`soffice`) opens the Word packets, poppler-utils (`pdfinfo`,
#     `pdftotext`) reads the PDFs printed from them and from Chromium.
#   - Neovim, the editor whose LSP client tests `quytrinh lsp` (tests/lsp.rs);
#   - Info-ZIP's `unzip`, which tests the Word files' archives.
set -euo pipefail
cd "$(dirname "$0")/.."

SPIFF_VERSION=3.2.0

packages=()
need_command() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }
need_file() { [ -e "$1" ] || packages+=("$2"); }

need_command xmllint libxml2-utils
need_command node nodejs
need_command npm npm
need_command dot graphviz
need_command chromium chromium
need_command soffice libreoffice-writer
need_command pdfinfo poppler-utils
need_command unzip unzip
need_command nvim neovim
need_file /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core
python3 -c "import ensurepip" >/dev/null 2>&1 || packages+=(python3-venv)

if [ ${#packages[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then sudo=sudo; fi
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${packages[@]}"
fi

if [ ! -f tools/node_modules/bpmnlint/bin/bpmnlint.js ] \
  || [ ! -f tools/node_modules/bpmn-moddle/resources/bpmn/xsd/BPMN20.xsd ] \
  || [ ! -d tools/node_modules/bpmnlint-plugin-camunda-compat ] \
  || [ ! -d tools/node_modules/zeebe-bpmn-moddle ] \
  || [ ! -f tools/node_modules/bpmn-js/dist/bpmn-modeler.production.min.js ] \
  || [ ! -d tools/node_modules/vscode-textmate ] \
  || [ ! -d tools/node_modules/vscode-oniguruma ]; then
  (cd tools && npm ci --no-audit --no-fund)
fi

if ! .venv/bin/python -c "import SpiffWorkflow" >/dev/null 2>&1; then
  python3 -m venv .venv
  .venv/bin/pip install -q "spiffworkflow==${SPIFF_VERSION}"
fi

echo "setup-tools: xmllint $(xmllint --version 2>&1 | head -n1 | awk '{print $NF}'), node $(node --version), SpiffWorkflow $(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("spiffworkflow"))'), $(dot -V 2>&1), $(chromium --version 2>/dev/null)"
