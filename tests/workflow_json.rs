//! The workflow spec: the committed schema is the generated one, every spec validates
//! against it, the figures are those of the language's time semantics, and the `build`
//! and `render` commands write what the emitters produce.

mod support;

use std::path::Path;
use std::process::Command;

use quytrinh::emit::workflow_json::{NodeId, TerminalOutcome, WorkflowSpec};
use quytrinh::emit::{schema_json, workflow_json, workflow_spec};

fn schema_path() -> std::path::PathBuf {
    support::root().join("schema/workflow.schema.json")
}

#[test]
fn committed_schema_is_the_generated_one() {
    support::golden(&schema_path(), &schema_json());
}

#[test]
fn every_spec_validates_against_the_committed_schema_and_reads_back() {
    let text = std::fs::read_to_string(schema_path()).expect("the committed schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let mut count = 0;
    support::for_each_procedure(|g| {
        count += 1;
        let text = workflow_json(g);
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", g.procedure.id);
        let back: WorkflowSpec = serde_json::from_str(&text).expect("reads back");
        assert_eq!(back, workflow_spec(g));
        // Names and documents come back exactly.
        for (task, step) in back.tasks.iter().zip(&g.procedure.steps) {
            assert_eq!(task.name, step.name);
            let requires: Vec<&str> = step.requires.iter().map(|d| d.value.as_str()).collect();
            assert_eq!(task.requires, requires);
        }
    });
    assert!(count >= 19);

    // The schema rejects what is not a spec.
    let mut bad: serde_json::Value =
        serde_json::from_str(&workflow_json_of_fixture("loops")).expect("JSON");
    bad["tasks"][0]["kind"] = serde_json::json!("dance");
    assert!(!validator.is_valid(&bad));
    let mut bad: serde_json::Value =
        serde_json::from_str(&workflow_json_of_fixture("loops")).expect("JSON");
    bad["transitions"][0]["extra"] = serde_json::json!(1);
    assert!(!validator.is_valid(&bad));
}

fn workflow_json_of_fixture(id: &str) -> String {
    let mut found = None;
    support::for_each_procedure(|g| {
        if g.procedure.id == id {
            found = Some(workflow_json(g));
        }
    });
    found.expect("the fixture")
}

fn spec_of_fixture(id: &str) -> WorkflowSpec {
    serde_json::from_str(&workflow_json_of_fixture(id)).expect("a spec")
}

#[test]
fn due_offsets_follow_the_worst_case_path() {
    let spec = spec_of_fixture("loops");
    let due = |id: &str| {
        spec.tasks
            .iter()
            .find(|t| t.id == id)
            .and_then(|t| t.due_offset_minutes)
    };
    // receive 2h; appraise 3d; review 1d; pay by the citizen, not counted; issue 1d;
    // deliver 1h.
    assert_eq!(due("receive"), Some(120));
    assert_eq!(due("appraise"), Some(120 + 1440));
    assert_eq!(due("review"), Some(120 + 1440 + 480));
    assert_eq!(due("pay"), Some(120 + 1440 + 480));
    assert_eq!(due("issue"), Some(120 + 1440 + 480 + 480));
    assert_eq!(due("deliver"), Some(120 + 1440 + 480 + 480 + 60));
    // Off the worst-case path: the longest way to the end of the step.
    assert_eq!(due("ask_more"), Some(120 + 1440 + 240));
    assert_eq!(due("supplement"), Some(120 + 1440 + 240));
    assert_eq!(due("refuse"), Some(120 + 1440 + 240));
    assert_eq!(spec.procedure.worst_case_minutes, Some(2580));
    assert_eq!(
        spec.procedure.worst_case_path,
        ["receive", "appraise", "review", "pay", "issue", "deliver"]
    );
    assert_eq!(spec.procedure.limit_minutes, Some(7 * 480));

    // The choice after `appraise`: its variable, values and default.
    let choice = spec
        .gateways
        .iter()
        .find(|g| g.after.as_deref() == Some("appraise"))
        .expect("a choice");
    assert_eq!(choice.variable.as_deref(), Some("appraise_outcome"));
    let out: Vec<(String, bool, Option<String>)> = spec
        .transitions
        .iter()
        .filter(|t| t.from == NodeId::Gateway(choice.id.clone()))
        .map(|t| {
            let c = t.condition.as_ref().expect("a condition");
            assert_eq!(c.variable, "appraise_outcome");
            (c.value.clone(), c.default, t.label.clone())
        })
        .collect();
    assert_eq!(
        out,
        [
            ("review".to_string(), true, None),
            (
                "ask_more".to_string(),
                false,
                Some("Hồ sơ chưa đầy đủ".to_string())
            ),
            (
                "refuse".to_string(),
                false,
                Some("Không đủ điều kiện".to_string())
            ),
        ]
    );
    let default = spec
        .transitions
        .iter()
        .find(|t| Some(&t.id) == choice.default.as_ref())
        .expect("the default transition");
    assert_eq!(default.to, NodeId::Task("review".into()));
    // The loops are back edges.
    let back: Vec<(NodeId, NodeId)> = spec
        .transitions
        .iter()
        .filter(|t| t.back_edge)
        .map(|t| (t.from.clone(), t.to.clone()))
        .collect();
    assert_eq!(
        back,
        [
            (
                NodeId::Task("supplement".into()),
                NodeId::Task("receive".into())
            ),
            (
                NodeId::Gateway("choice_review".into()),
                NodeId::Task("appraise".into())
            ),
        ]
    );
    let terminals: Vec<(&str, TerminalOutcome)> = spec
        .terminals
        .iter()
        .map(|t| (t.task.as_str(), t.outcome))
        .collect();
    assert_eq!(
        terminals,
        [
            ("deliver", TerminalOutcome::Deliver),
            ("refuse", TerminalOutcome::Reject)
        ]
    );
    let pay = spec.tasks.iter().find(|t| t.id == "pay").expect("pay");
    assert!(pay.assignee.is_none() && !pay.counted && pay.lane == "citizen");
    let review = spec
        .tasks
        .iter()
        .find(|t| t.id == "review")
        .expect("review");
    let who = review.assignee.as_ref().expect("an assignee");
    assert_eq!(who.candidate_group, "kt.head");
}

#[test]
fn parallel_blocks_become_forks_and_joins() {
    let spec = spec_of_fixture("nested_parallel");
    let kinds: Vec<(String, String)> = spec
        .gateways
        .iter()
        .map(|g| (g.id.clone(), format!("{:?}", g.kind)))
        .collect();
    assert_eq!(
        kinds,
        [
            ("fork_1".to_string(), "Fork".to_string()),
            ("fork_2".to_string(), "Fork".to_string()),
            ("join_3".to_string(), "Join".to_string()),
            ("choice_triage".to_string(), "Exclusive".to_string()),
        ]
    );
    let due = |id: &str| {
        spec.tasks
            .iter()
            .find(|t| t.id == id)
            .and_then(|t| t.due_offset_minutes)
    };
    // receive 0.5d + triage 2h, then the slowest branch: c1 3d.
    assert_eq!(due("merge"), Some(240 + 120 + 3 * 480 + 240));
    // A hop into a parallel block is chosen by the block's first step.
    let into_block = spec
        .transitions
        .iter()
        .find(|t| t.to == NodeId::Gateway("fork_1".into()))
        .and_then(|t| t.condition.as_ref())
        .expect("a condition");
    assert_eq!(into_block.value, "a1");
}

#[test]
fn goldens_of_the_emitter_fixtures() {
    let dir = support::root().join("tests/emit");
    let mut seen = 0;
    support::for_each_procedure(|g| {
        let case = dir.join(&g.procedure.id);
        if !case.join("input.proc").exists() {
            return;
        }
        seen += 1;
        support::golden(
            &case.join(format!("{}.workflow.json", g.procedure.id)),
            &workflow_json(g),
        );
    });
    assert_eq!(seen, 3);
}

fn quytrinh(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .current_dir(cwd)
        .env("LANG", "C")
        .output()
        .expect("the binary runs")
}

#[test]
fn build_writes_both_files_and_refuses_procedures_with_errors() {
    let dir = support::scratch();
    let good = std::fs::read_to_string(support::root().join("tests/emit/loops/input.proc"))
        .expect("the fixture");
    support::write(&dir.path().join("good.proc"), &good);
    // A terminal step that is neither deliver nor reject: an error-level finding.
    support::write(
        &dir.path().join("bad.proc"),
        "procedure bad \"B\" {\n  code \"1\"; level ward; limit 1d; online none\n  agency a \"A\" { role r \"R\" }\n  step s \"S\" { by a.r; kind process; takes 1h }\n}\n",
    );
    let out = dir.path().join("out");
    let run = quytrinh(
        &["build", ".", "-o", "out", "--today", "2023-11-01"],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("not built `bad`"), "{stdout}");
    assert!(out.join("loops.bpmn").is_file() && out.join("loops.workflow.json").is_file());
    assert!(!out.join("bad.bpmn").exists() && !out.join("bad.workflow.json").exists());
    let written = std::fs::read_to_string(out.join("loops.workflow.json")).expect("written");
    assert_eq!(written, workflow_json_of_fixture("loops"));

    let run = quytrinh(
        &[
            "build",
            "--today",
            "2023-11-01",
            "bad.proc",
            "-o",
            "out",
            "--allow-errors",
            "--bpmn-engine",
            "spiffworkflow",
        ],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(1));
    let bpmn = std::fs::read_to_string(out.join("bad.bpmn")).expect("built anyway");
    assert!(!bpmn.contains("zeebe:") && bpmn.contains("<bpmn:endEvent"));

    let run = quytrinh(
        &["build", "good.proc", "-o", "out", "--today", "2023-11-01"],
        dir.path(),
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
}

#[test]
fn render_writes_one_artefact() {
    let fixture = support::root().join("tests/emit/loops/input.proc");
    let fixture = fixture.to_str().expect("a UTF-8 path");
    let dir = support::scratch();
    let run = quytrinh(&["render", fixture, "--format", "json"], dir.path());
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        workflow_json_of_fixture("loops")
    );

    let run = quytrinh(
        &[
            "render",
            fixture,
            "--procedure",
            "loops",
            "--format",
            "bpmn",
            "-o",
            "x.bpmn",
        ],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(0));
    let xml = std::fs::read_to_string(dir.path().join("x.bpmn")).expect("written");
    assert!(xml.contains("zeebe:userTask") && xml.contains("candidateGroups=\"kt.head\""));

    let run = quytrinh(
        &["render", fixture, "--procedure", "nope", "--format", "bpmn"],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("`loops`"));

    let run = quytrinh(&["render", fixture, "--format", "dot"], dir.path());
    assert_eq!(run.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&run.stdout).starts_with("digraph"));
    let run = quytrinh(&["render", fixture, "--format", "svg"], dir.path());
    assert_eq!(run.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&run.stdout).contains("<svg"));
    let run = quytrinh(&["render", fixture, "--format", "mermaid"], dir.path());
    assert_eq!(run.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&run.stdout).contains("flowchart LR"));
}

#[test]
fn png_and_pdf_need_graphviz_and_say_which_package_to_install() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let fixture = support::root().join("tests/emit/loops/input.proc");
    let fixture = fixture.to_str().expect("a UTF-8 path");
    // With no `dot` on the path: a clear message and exit 2.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(["render", fixture, "--format", "png", "--lang", "en"])
        .current_dir(dir.path())
        .env("PATH", dir.path())
        .output()
        .expect("quytrinh runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("graphviz"), "{err}");
    // With Graphviz installed (CI installs it), real PNG and PDF bytes.
    if std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_err()
    {
        assert!(std::env::var_os("CI").is_none(), "CI must install graphviz");
        eprintln!("notice: Graphviz is not installed; PNG and PDF were not rendered");
        return;
    }
    for (format, magic) in [("png", &b"\x89PNG"[..]), ("pdf", &b"%PDF"[..])] {
        let out = quytrinh(
            &[
                "render",
                fixture,
                "--format",
                format,
                "-o",
                &format!("x.{format}"),
            ],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(0), "{format}");
        let bytes = std::fs::read(dir.path().join(format!("x.{format}"))).expect("written");
        assert!(bytes.starts_with(magic), "{format}");
    }
}
