//! Shared by the emitter tests: every procedure the tests emit, and the outside tools
//! that `.ci/setup-tools.sh` installs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use quytrinh::analysis::analyse;
use quytrinh::diag::{Diagnostic, Severity};
use quytrinh::graph::FlowGraph;
use quytrinh::project;

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The folders whose procedures are emitted: the real corpus, the emitter fixtures, and
/// the rule fixtures (those without error-level findings; `build` refuses the others).
fn sources() -> Vec<PathBuf> {
    ["processes", "tests/emit", "tests/rules"]
        .iter()
        .map(|p| root().join(p))
        .filter(|p| p.exists())
        .collect()
}

/// Calls `f` for every procedure that `build` would emit, in a stable order.
pub fn for_each_procedure(mut f: impl FnMut(&FlowGraph)) {
    for_each_procedure_and_findings(|g, _| f(g));
}

/// [`for_each_procedure`], with the findings of the procedure's project.
pub fn for_each_procedure_and_findings(mut f: impl FnMut(&FlowGraph, &[Diagnostic])) {
    let today = chrono::NaiveDate::from_ymd_opt(2023, 11, 1).expect("a date");
    for source in sources() {
        let ws = project::load(std::slice::from_ref(&source), None).expect("the fixtures load");
        for p in &ws.projects {
            let analysis = analyse(p, today);
            for g in analysis.asked() {
                let blocked = analysis.diagnostics.iter().any(|d| {
                    d.severity == Severity::Error
                        && d.file == g.procedure.file
                        && d.procedure.as_deref().is_none_or(|id| id == g.procedure.id)
                });
                if !blocked {
                    f(g, &analysis.diagnostics);
                }
            }
        }
    }
}

/// Whether an outside tool is there. When it is not: in CI (`CI` set) the test fails,
/// elsewhere it prints a notice and the caller skips.
pub fn have(what: &str, present: bool) -> bool {
    if present {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing; run `bash .ci/setup-tools.sh` first");
    }
    eprintln!("notice: skipped, {what} is missing (run `bash .ci/setup-tools.sh`)");
    false
}

/// Whether a command runs.
pub fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The OMG BPMN 2.0 XSD shipped in the npm package `bpmn-moddle`.
pub fn bpmn_xsd() -> PathBuf {
    root().join("tools/node_modules/bpmn-moddle/resources/bpmn/xsd/BPMN20.xsd")
}

/// The bpmnlint command-line script.
pub fn bpmnlint() -> PathBuf {
    root().join("tools/node_modules/bpmnlint/bin/bpmnlint.js")
}

/// The Python of the venv holding SpiffWorkflow.
pub fn venv_python() -> PathBuf {
    root().join(".venv/bin/python")
}

/// A fresh temporary folder, removed when dropped.
pub fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a scratch folder")
}

/// Writes a file, creating nothing else.
pub fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("a written file");
}

/// Compares `actual` with the golden file, or rewrites it with `QUYTRINH_BLESS=1`.
pub fn golden(path: &Path, actual: &str) {
    if std::env::var_os("QUYTRINH_BLESS").is_some() {
        write(path, actual);
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|_| panic!("{} is missing; bless with QUYTRINH_BLESS=1", path.display()));
    assert!(
        expected == actual,
        "{} differs from what is emitted now; if the change is intended, bless with QUYTRINH_BLESS=1 and review the diff",
        path.display()
    );
}

pub fn chromium() -> Option<String> {
    let candidates = [
        std::env::var("QUYTRINH_CHROMIUM").unwrap_or_default(),
        "chromium".to_string(),
        "chromium-browser".to_string(),
        "google-chrome".to_string(),
    ];
    candidates.into_iter().filter(|c| !c.is_empty()).find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Runs headless Chromium with a fresh profile.
pub fn run_chromium(browser: &str, profile: &Path, args: &[String]) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs")
}

/// bpmn-js's modeler bundle, the BPMN editor used by Camunda's modelers.
pub fn bpmn_modeler_js() -> PathBuf {
    root().join("tools/node_modules/bpmn-js/dist/bpmn-modeler.production.min.js")
}
