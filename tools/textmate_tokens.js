// Tokenises files with a TextMate grammar, as VS Code does (vscode-textmate on the
// Oniguruma regular expressions of vscode-oniguruma), and prints the tokens as JSON:
// [{ "file": PATH, "lines": [[[start, end, [scope, …]], …], …] }], columns in UTF-16
// code units of each line (JavaScript string indices).
//   node tools/textmate_tokens.js GRAMMAR.tmLanguage.json FILE…
"use strict";
const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

async function main() {
  const [grammarPath, ...files] = process.argv.slice(2);
  const wasm = fs.readFileSync(
    path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm")
  );
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath),
  });
  const grammar = await registry.loadGrammar("source.quytrinh");
  if (!grammar) throw new Error("the grammar did not load");
  const out = [];
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
    let state = vsctm.INITIAL;
    const lines = [];
    for (const line of text.split(/\r?\n/)) {
      const r = grammar.tokenizeLine(line, state);
      lines.push(r.tokens.map((t) => [t.startIndex, Math.min(t.endIndex, line.length), t.scopes]));
      state = r.ruleStack;
    }
    out.push({ file, lines });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
