//! Re-engineering: golden before/after for each pattern, the city's procedures, and
//! properties of generated procedures.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use proptest::prelude::*;
use quytrinh::analysis::analyse;
use quytrinh::config::Config;
use quytrinh::diag::{Lang, Severity, SourceMap};
use quytrinh::graph::FlowGraph;
use quytrinh::model::{Kind, Rank};
use quytrinh::project::{Project, proc_files};
use quytrinh::reengineer::{Input, Proposal, propose};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 11, 1).unwrap()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn proposal(text: &str, others: &[(&str, &str)]) -> Proposal {
    proposal_with(text, others, false)
}

fn proposal_with(text: &str, others: &[(&str, &str)], delegate: bool) -> Proposal {
    proposal_by(text, others, delegate, propose)
}

/// The proposal made by `make` (`propose`, or `propose_one_at_a_time`).
fn proposal_by(
    text: &str,
    others: &[(&str, &str)],
    delegate: bool,
    make: fn(&Input) -> Result<Proposal, quytrinh::reengineer::Failure>,
) -> Proposal {
    let config = Config::default();
    let input = Input {
        file: ("input.proc", text),
        others: others.to_vec().into(),
        config: &config,
        procedure: None,
        today: today(),
        delegate,
    };
    make(&input).expect("a proposal")
}

/// Codes of the findings about the first file, whether each is an error, and the step it
/// flags.
fn findings(text: &str, others: &[(&str, &str)]) -> Vec<(String, Severity, String)> {
    let mut sources = SourceMap::default();
    let mut texts = vec![("input.proc", text)];
    texts.extend_from_slice(others);
    let project = Project::from_texts(&mut sources, &texts, Config::default());
    let analysis = analyse(&project, today());
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.file.0 == 0)
        .map(|d| {
            let step = d.steps.first().cloned().unwrap_or_default();
            (d.code.to_string(), d.severity, step)
        })
        .collect()
}

/// No redundancy left but the steps the proposal keeps for accountability (`kept`, as
/// code and step) and QT207, which is no redundancy (plain re-engineering keeps it).
fn no_redundancy_and_no_new_error(
    before: &str,
    after: &str,
    others: &[(&str, &str)],
    kept: &[(&str, &str)],
    what: &str,
) {
    let found = findings(after, others);
    let redundant: Vec<_> = found
        .iter()
        .filter(|(c, _, step)| {
            c.starts_with("QT2") && c != "QT207" && !kept.iter().any(|(k, s)| k == c && s == step)
        })
        .collect();
    assert!(redundant.is_empty(), "{what}: still {redundant:?}\n{after}");
    let errors = |f: &[(String, Severity, String)]| {
        let mut e: Vec<String> = f
            .iter()
            .filter(|(_, s, _)| *s == Severity::Error)
            .map(|(c, _, _)| c.clone())
            .collect();
        e.sort();
        e
    };
    let (old, new) = (errors(&findings(before, others)), errors(&found));
    assert!(
        new.iter().all(|c| old.contains(c)),
        "{what}: new errors {new:?} (before {old:?})"
    );
}

#[test]
fn each_pattern_matches_its_golden_before_and_after() {
    let bless = std::env::var_os("QUYTRINH_BLESS").is_some();
    let mut failures = Vec::new();
    for code in [
        "QT201", "QT202", "QT203", "QT204", "QT205", "QT206", "QT207", "QT306",
    ] {
        // QT207 is applied only when delegation is asked for.
        let delegate = code == "QT207";
        let before =
            std::fs::read_to_string(root().join(format!("tests/rules/{code}.proc"))).unwrap();
        let p = proposal_with(&before, &[], delegate);
        assert!(!p.changes.is_empty(), "{code}: nothing changed");
        assert!(
            p.changes.iter().any(|c| c.code == code),
            "{code}: {:?}",
            p.changes
        );
        let kept: Vec<(&str, &str)> = p.left.iter().map(|l| (l.code, l.step.as_str())).collect();
        no_redundancy_and_no_new_error(&before, &p.text, &[], &kept, code);
        // The report, then the sentences the approval packet shows.
        let mut report = quytrinh::cli::reengineer_report(&p, Lang::En);
        report.push_str("--- in the packet\n");
        for words in p
            .changes
            .iter()
            .map(|c| &c.words)
            .chain(p.left.iter().map(|l| &l.words))
        {
            report.push_str(&format!("{}\n", words.vi));
        }
        for (suffix, actual) in [("proc", &p.text), ("report", &report)] {
            let path = root().join(format!("tests/reengineer/{code}.{suffix}"));
            if bless {
                std::fs::write(&path, actual).unwrap();
            } else if std::fs::read_to_string(&path).unwrap_or_default() != *actual {
                failures.push(format!("{code}.{suffix} differs:\n{actual}"));
            }
        }
        // Applied twice, nothing more changes.
        let again = proposal_with(&p.text, &[], delegate);
        assert!(
            again.changes.is_empty(),
            "{code}: second pass changed {:?}",
            again.changes
        );
        assert_eq!(again.text, p.text, "{code}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn delegation_is_proposed_only_when_asked_and_never_against_the_land_law() {
    let before = std::fs::read_to_string(root().join("tests/rules/QT207.proc")).unwrap();
    // Plain re-engineering leaves both signatures.
    let plain = proposal(&before, &[]);
    assert!(plain.changes.is_empty(), "{:?}", plain.changes);
    assert!(plain.text.contains("step ky_gp") && plain.text.contains("step ky_qd"));
    // With delegation: the licence is signed by delegation by the head of the office; the
    // change of land use keeps the competent authority's signature, with the reason.
    let p = proposal_with(&before, &[], true);
    assert!(!p.text.contains("step ky_gp"), "{}", p.text);
    assert!(
        p.text
            .contains("\"Trưởng phòng ký Tờ trình (ký thừa ủy quyền Chủ tịch UBND quận)\""),
        "{}",
        p.text
    );
    assert!(p.text.contains("step ky_qd"), "{}", p.text);
    let kept = p
        .left
        .iter()
        .find(|l| l.step == "ky_qd")
        .expect("ky_qd kept");
    assert!(kept.words.vi.contains("Luật Đất đai"), "{:?}", kept.words);
    // The delegated step is named once, not again on a second pass.
    let again = proposal_with(&p.text, &[], true);
    assert!(again.changes.is_empty());
    assert_eq!(again.text.matches("thừa ủy quyền").count(), 1);
}

#[test]
fn the_land_use_change_keeps_the_heads_signature_and_drops_the_deputys_review() {
    let dir = root().join("processes/ubnd-quan-1");
    let text = std::fs::read_to_string(dir.join("chuyen-muc-dich-dat.proc")).unwrap();
    let agencies = std::fs::read_to_string(dir.join("agencies.proc")).unwrap();
    let others = [("agencies.proc", agencies.as_str())];
    for delegate in [false, true] {
        let p = proposal_with(&text, &others, delegate);
        let cut: Vec<&str> = p.changes.iter().map(|c| c.step.as_str()).collect();
        assert_eq!(cut, ["review_deputy"], "delegate {delegate}");
        assert!(p.text.contains("step sign_totrinh") && p.text.contains("step sign_qd"));
    }
}

#[test]
fn every_city_procedure_re_engineers_clean_of_redundant_levels() {
    let mut dirs: Vec<_> = std::fs::read_dir(root().join("processes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut changed = 0;
    for dir in dirs {
        let files = proc_files(&dir, false).unwrap();
        let texts: Vec<(String, String)> = files
            .iter()
            .map(|f| (f.display().to_string(), std::fs::read_to_string(f).unwrap()))
            .collect();
        for (i, (name, text)) in texts.iter().enumerate() {
            let others: Vec<(&str, &str)> = texts
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (n, t))| (n.as_str(), t.as_str()))
                .collect();
            let p = proposal(text, &others);
            assert!(p.left.is_empty(), "{name}: left {:?}", p.left);
            for delegate in [false, true] {
                let together = proposal_with(text, &others, delegate);
                let one = one_at_a_time(text, &others, delegate);
                assert_eq!(together.text, one.text, "{name}");
                assert_eq!(together.changes, one.changes, "{name}");
                assert_eq!(together.left, one.left, "{name}");
            }
            if !p.changes.is_empty() {
                changed += 1;
            }
            no_redundancy_and_no_new_error(text, &p.text, &others, &[], name);
            for c in &p.comparisons {
                assert!(c.after.worst_case <= c.before.worst_case, "{name}: {c:?}");
                assert!(c.after.levels <= c.before.levels, "{name}: {c:?}");
            }
        }
    }
    assert!(
        changed >= 5,
        "the city's procedures hold real redundancy to cut"
    );
}

#[test]
fn the_command_writes_atomically_and_reports_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.proc");
    std::fs::copy(root().join("tests/rules/QT201.proc"), &input).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_quytrinh"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = run(&["reengineer", "a.proc", "-o", "b.proc", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("levels") && report.contains("→") && report.contains("[QT201]"),
        "{report}"
    );
    assert_ne!(
        std::fs::read_to_string(dir.path().join("b.proc")).unwrap(),
        std::fs::read_to_string(&input).unwrap()
    );
    let out = run(&["reengineer", "a.proc", "--write"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.proc")).unwrap(),
        std::fs::read_to_string(&input).unwrap()
    );
    // `--delegate` is a flag of the command: the licence is signed by delegation.
    std::fs::copy(
        root().join("tests/rules/QT207.proc"),
        dir.path().join("d.proc"),
    )
    .unwrap();
    let out = run(&["reengineer", "d.proc", "--delegate", "--lang", "vi"]);
    assert_eq!(out.status.code(), Some(0));
    let proposal = String::from_utf8_lossy(&out.stdout);
    assert!(
        proposal.contains("(ký thừa ủy quyền Chủ tịch UBND quận)"),
        "{proposal}"
    );
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(report.contains("số cấp xem xét, ký"), "{report}");
    let out = run(&["reengineer", "d.proc"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("thừa ủy quyền"));
    let out = run(&["reengineer", "a.proc", "--procedure", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["reengineer", "missing.proc"]);
    assert_eq!(out.status.code(), Some(2));
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    assert_eq!(leftovers, 0);
}

// Generated procedures: a chain of steps with random kinds, agencies and times, optional
// branches out of the first processing step, a parallel block and a loop back.

const AGENCIES: &str = "agency mc \"Một cửa\" { role cc \"Công chức\" }\nagency pa \"Phòng A\" {\n  role cv \"Chuyên viên\"\n  role pp \"Phó Trưởng phòng\" rank deputy_head\n  role tp \"Trưởng phòng\" rank head\n}\nagency vp \"Văn phòng\" { role cv \"Chuyên viên\" }\nagency ub \"UBND\" {\n  role cv \"Chuyên viên UBND\"\n  role pct \"Phó Chủ tịch\" rank deputy_leader\n  role ct \"Chủ tịch\" rank leader\n}\n";

fn middle_step() -> impl Strategy<Value = (&'static str, &'static str, u32)> {
    (
        prop::sample::select(vec![
            ("pa.cv", "process"),
            ("pa.pp", "review"),
            ("pa.tp", "review"),
            ("pa.tp", "sign"),
            ("vp.cv", "review"),
            ("vp.cv", "transfer"),
            ("pa.cv", "transfer"),
            ("pa.tp", "assign"),
            ("ub.pct", "sign"),
            ("ub.ct", "sign"),
            ("ub.ct", "review"),
            ("ub.cv", "process"),
            ("pa.pp", "sign"),
            ("ub.pct", "review"),
        ]),
        1u32..16,
    )
        .prop_map(|((by, kind), hours)| (by, kind, hours))
}

prop_compose! {
    fn generated()(
        steps in prop::collection::vec(middle_step(), 2..9),
        branch in any::<bool>(),
        parallel in any::<bool>(),
        back in any::<bool>(),
        paper in any::<bool>(),
    ) -> String {
        let mut text = String::from("procedure p \"P\" {\n  code \"1\"; level district; limit 100d; online partial\n");
        text.push_str("  step s0 \"Nhận\" { by mc.cc; kind receive; takes 1h; digitize }\n");
        text.push_str("  step x \"Thẩm định\" { by pa.cv; kind process; takes 2h }\n");
        for (i, (by, kind, hours)) in steps.iter().enumerate() {
            let flag = if paper && *kind == "transfer" { "; paper" } else { "" };
            text.push_str(&format!("  step m{i} \"Bước {i}\" {{ by {by}; kind {kind}; takes {hours}h{flag} }}\n"));
        }
        text.push_str("  step y \"Xác minh\" { by pa.cv; kind inspect; takes 3h }\n");
        text.push_str("  step z \"Lấy ý kiến\" { by pa.cv; kind consult; takes 5h }\n");
        text.push_str("  step tra \"Trả\" { by mc.cc; kind deliver }\n");
        text.push_str("  step tu_choi \"Từ chối\" { by mc.cc; kind reject; takes 1h }\n");
        let mids: Vec<String> = (0..steps.len()).map(|i| format!("m{i}")).collect();
        let middle = if parallel {
            format!("{{y, z}} -> {}", mids.join(" -> "))
        } else {
            mids.join(" -> ")
        };
        if branch {
            text.push_str(&format!("  flow s0 -> x\n  flow x -> {middle} -> tra otherwise\n  flow x -> tu_choi when \"Không đủ\"\n"));
        } else {
            text.push_str(&format!("  flow s0 -> x -> {middle} -> tra\n  step unused_r \"R\" {{ by mc.cc; kind reject; takes 1h }}\n  flow x -> unused_r when \"Sai\"\n"));
        }
        if back {
            text.push_str(&format!("  flow {} -> x when \"Làm lại\"\n", mids[mids.len() - 1]));
        }
        text.push_str("}\n");
        text
    }
}

fn reachable_steps(text: &str) -> Vec<String> {
    let mut sources = SourceMap::default();
    let project = Project::from_texts(
        &mut sources,
        &[("input.proc", text), ("agencies.proc", AGENCIES)],
        Config::default(),
    );
    let p = &project.model.procedures[0];
    let g = FlowGraph::new(p);
    let mut ids: Vec<String> = p
        .steps
        .iter()
        .enumerate()
        .filter(|(i, _)| g.reachable[*i])
        .map(|(_, s)| s.id.clone())
        .collect();
    ids.sort();
    ids
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn re_engineering_never_lengthens_never_strands_and_is_idempotent(text in generated()) {
        let others = [("agencies.proc", AGENCIES)];
        let p = proposal(&text, &others);
        for c in &p.comparisons {
            prop_assert!(c.after.worst_case <= c.before.worst_case, "{:?}\n{}", c, p.text);
        }
        // Every step still there is as reachable as it was.
        let before = reachable_steps(&text);
        let after = reachable_steps(&p.text);
        let all_after: Vec<String> = {
            let mut sources = SourceMap::default();
            let project = Project::from_texts(&mut sources, &[("input.proc", p.text.as_str()), ("agencies.proc", AGENCIES)], Config::default());
            project.model.procedures[0].steps.iter().map(|s| s.id.clone()).collect()
        };
        for id in &all_after {
            prop_assert!(!before.contains(id) || after.contains(id), "{} became unreachable\n{}", id, p.text);
        }
        let again = proposal(&p.text, &others);
        prop_assert!(again.changes.is_empty(), "second pass: {:?}\n{}", again.changes, p.text);
        prop_assert_eq!(&again.text, &p.text);
    }
}

/// Per agency that has a `process` step: whether a leader-ranked (`deputy_head` or above)
/// `review` or `sign` step of that agency comes after one of its `process` steps, along the
/// flow's forward edges. Computed here from the model, independently of re-engineering.
fn accountable_agencies(text: &str) -> Vec<(String, bool)> {
    let mut sources = SourceMap::default();
    let project = Project::from_texts(
        &mut sources,
        &[("input.proc", text), ("agencies.proc", AGENCIES)],
        Config::default(),
    );
    let p = &project.model.procedures[0];
    let g = FlowGraph::new(p);
    let mut out = Vec::new();
    for (a, agency) in p.agencies.iter().enumerate() {
        let processes: Vec<usize> = (0..p.steps.len())
            .filter(|&s| p.steps[s].agency() == Some(a) && p.steps[s].kind() == Some(Kind::Process))
            .collect();
        if processes.is_empty() {
            continue;
        }
        let mut seen = vec![false; p.steps.len()];
        let mut stack = processes.clone();
        let mut found = false;
        while let Some(s) = stack.pop() {
            for &t in g.forward_successors(s) {
                if seen[t] {
                    continue;
                }
                seen[t] = true;
                stack.push(t);
                let step = &p.steps[t];
                let leader = p
                    .role_of(step)
                    .is_some_and(|(ag, r)| ag.id == agency.id && r.rank >= Rank::DeputyHead);
                if leader && matches!(step.kind(), Some(Kind::Review) | Some(Kind::Sign)) {
                    found = true;
                }
            }
        }
        out.push((agency.id.clone(), found));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_appraising_agency_keeps_a_leader_answering_for_its_appraisal(
        text in generated(),
        delegate in any::<bool>(),
    ) {
        let others = [("agencies.proc", AGENCIES)];
        let p = proposal_with(&text, &others, delegate);
        let before = accountable_agencies(&text);
        let after = accountable_agencies(&p.text);
        for (agency, had) in &before {
            let has = after.iter().any(|(a, h)| a == agency && *h);
            prop_assert!(!had || has, "{} lost its leader after its appraisal\n{}\n---\n{}", agency, text, p.text);
        }
    }
}

fn one_at_a_time(text: &str, others: &[(&str, &str)], delegate: bool) -> Proposal {
    proposal_by(
        text,
        others,
        delegate,
        quytrinh::reengineer::propose_one_at_a_time,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// A round makes every change apart from the others at once; the result is the one of
    /// making one change per round, each checked before the next is looked for.
    #[test]
    fn changes_made_together_agree_with_one_change_a_round(
        text in generated(),
        delegate in any::<bool>(),
    ) {
        let others = [("agencies.proc", AGENCIES)];
        let together = proposal_with(&text, &others, delegate);
        let one = one_at_a_time(&text, &others, delegate);
        prop_assert_eq!(&together.text, &one.text, "{}", text);
        prop_assert_eq!(&together.changes, &one.changes, "{}", text);
        prop_assert_eq!(&together.left, &one.left, "{}", text);
        prop_assert_eq!(&together.comparisons, &one.comparisons, "{}", text);
    }
}

#[test]
fn the_long_procedure_re_engineers_as_one_change_a_round_does() {
    let dir = root().join("benches/long_300");
    let text = std::fs::read_to_string(dir.join("dai_300.proc")).expect("the bench procedure");
    let agencies = std::fs::read_to_string(dir.join("agencies.proc")).expect("its agencies");
    let others = [("agencies.proc", agencies.as_str())];
    let together = proposal(&text, &others);
    let one = one_at_a_time(&text, &others, false);
    assert!(together.changes.len() > 40, "{}", together.changes.len());
    assert_eq!(together.text, one.text);
    assert_eq!(together.changes, one.changes);
    assert_eq!(together.left, one.left);
}
