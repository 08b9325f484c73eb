// Starts `quytrinh lsp` for .proc files. Everything else (findings, hover, navigation,
// rename, completion, formatting, code actions) comes from the language server.
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("quytrinh").get("path") || "quytrinh";
  const run = { command, args: ["lsp"] };
  client = new LanguageClient(
    "quytrinh",
    "quytrinh",
    { run, debug: run },
    {
      documentSelector: [{ scheme: "file", language: "quytrinh" }],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.proc,quytrinh.toml}"),
      },
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
