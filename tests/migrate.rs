//! `quytrinh migrate`: the 2025 shape of the city in `processes/2025/` is exactly what the
//! committed maps produce from the 2023 projects; an identity map changes nothing; dropping
//! an abolished agency keeps a path from receipt to delivery; a bad map is refused at its line.
//! Re-bless the report goldens with `QUYTRINH_BLESS=1 cargo test --test migrate`.

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use quytrinh::config::Config;
use quytrinh::graph::FlowGraph;
use quytrinh::migrate::{Input, Source, migrate, read};
use quytrinh::model::Kind;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn quytrinh(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("quytrinh runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn golden(path: &Path, actual: &str) {
    if std::env::var_os("QUYTRINH_BLESS").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(
        expected,
        actual,
        "{} differs (re-bless with QUYTRINH_BLESS=1)",
        path.display()
    );
}

/// Runs the README's commands into a fresh folder and compares with `processes/2025/`.
#[test]
fn the_committed_maps_produce_the_2025_projects() {
    let tmp = tempfile::tempdir().unwrap();
    let ward = tmp.path().join("ubnd-phuong-sai-gon");
    let dept = tmp.path().join("so-noi-vu");
    for (dir, name) in [(&ward, "ubnd-phuong-sai-gon"), (&dept, "so-noi-vu")] {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::copy(
            root()
                .join("processes/2025")
                .join(name)
                .join("quytrinh.toml"),
            dir.join("quytrinh.toml"),
        )
        .unwrap();
    }
    let w = ward.to_str().unwrap();
    let d = dept.to_str().unwrap();
    let runs: [(&str, Vec<&str>); 3] = [
        (
            "phuong-ben-nghe",
            vec![
                "processes/ubnd-phuong-ben-nghe",
                "--map",
                "processes/maps/phuong-ben-nghe-sang-phuong-sai-gon.toml",
                "-o",
                w,
            ],
        ),
        (
            "quan-1",
            vec![
                w,
                "processes/ubnd-quan-1/agencies.proc",
                "processes/ubnd-quan-1/ho-kinh-doanh.proc",
                "--map",
                "processes/maps/quan-1-sang-phuong-sai-gon.toml",
                "-o",
                w,
            ],
        ),
        (
            "so-lao-dong",
            vec![
                "processes/so-lao-dong-tbxh",
                "--map",
                "processes/maps/so-lao-dong-sang-so-noi-vu.toml",
                "-o",
                d,
            ],
        ),
    ];
    for (name, args) in runs {
        let mut all = vec!["migrate"];
        all.extend(args);
        all.extend(["--today", "2026-12-01", "--lang", "en"]);
        let (stdout, stderr, code) = quytrinh(&all);
        assert_eq!(code, 0, "{name}: {stderr}");
        // The report without the "written to" lines (they name the temporary folder).
        let report: String = stdout
            .lines()
            .filter(|l| !l.starts_with("written to"))
            .map(|l| format!("{}\n", l.replace(w, "WARD")))
            .collect();
        golden(
            &root().join(format!("tests/migrate/{name}.stdout")),
            &report,
        );
    }
    for (made, committed) in [
        (&ward, root().join("processes/2025/ubnd-phuong-sai-gon")),
        (&dept, root().join("processes/2025/so-noi-vu")),
    ] {
        assert_eq!(files_under(made), files_under(&committed));
        for rel in files_under(made) {
            let a = std::fs::read_to_string(made.join(&rel)).unwrap();
            let b = std::fs::read_to_string(committed.join(&rel)).unwrap();
            assert_eq!(a, b, "{} differs from what the map produces", rel.display());
        }
    }
}

#[test]
fn the_district_procedure_moved_to_the_ward_and_lost_no_step() {
    let text = std::fs::read_to_string(
        root().join("processes/2025/ubnd-phuong-sai-gon/ubnd-quan-1/ho-kinh-doanh.proc"),
    )
    .unwrap();
    assert!(text.contains("level commune") && !text.contains("level district"));
    assert!(text.contains("procedure sai_gon_dang_ky_ho_kinh_doanh "));
    assert!(text.contains("by kinh_te.head") && !text.contains("tckh."));
    // Every comment of the 2023 file is still there.
    let old =
        std::fs::read_to_string(root().join("processes/ubnd-quan-1/ho-kinh-doanh.proc")).unwrap();
    for line in old.lines().filter(|l| l.trim_start().starts_with("//")) {
        assert!(text.contains(line.trim()), "comment lost: {line}");
    }
    let (out, _, code) = quytrinh(&[
        "check",
        "processes/2025",
        "--today",
        "2026-12-01",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "QT110" && d["severity"] != "error")
    );
}

fn refused(map: &str, paths: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("map.toml");
    std::fs::write(&file, map).unwrap();
    let mut args = vec!["migrate"];
    args.extend(paths);
    args.extend(["--map", file.to_str().unwrap(), "--lang", "en"]);
    let (_, stderr, code) = quytrinh(&args);
    assert_eq!(code, 2, "{stderr}");
    stderr.replace(file.to_str().unwrap(), "map.toml")
}

#[test]
fn a_bad_map_is_refused_at_its_line() {
    let quan = ["processes/ubnd-quan-1"];
    let e = refused("\n[agencies.tckhh]\nto = \"x\"\nname = \"X\"\n", &quan);
    assert!(
        e.contains("map.toml:2:") && e.contains("`tckhh`") && e.contains("`tckh`"),
        "{e}"
    );
    let e = refused(
        "[agencies.tckh]\nto = \"x\"\nname = \"X\"\nroles = { boss = \"head\" }\n",
        &quan,
    );
    assert!(
        e.contains("map.toml:4:") && e.contains("no role `boss`"),
        "{e}"
    );
    let e = refused("[procedures.khong_co]\nlevel = \"commune\"\n", &quan);
    assert!(e.contains("map.toml:1:") && e.contains("`khong_co`"), "{e}");
    let e = refused("[agencies.tckh]\nto = \"x\"\n", &quan);
    assert!(e.contains("map.toml:2:") && e.contains("`name"), "{e}");
    let e = refused("[agencies.tckh]\nto = \"x\"\ndrop = true\n", &quan);
    assert!(e.contains("map.toml:3:"), "{e}");
    // Two agencies into one successor, each with a `specialist` of another name.
    let e = refused(
        "[agencies.tckh]\nto = \"x\"\nname = \"X\"\n\n[agencies.kt]\nto = \"x\"\nname = \"X\"\n",
        &quan,
    );
    assert!(
        e.contains("map.toml:5:") && e.contains("different names"),
        "{e}"
    );
    // A successor that is itself mapped away.
    let e = refused(
        "[agencies.tckh]\nto = \"kt\"\n\n[agencies.kt]\ndrop = true\n",
        &quan,
    );
    assert!(
        e.contains("map.toml:2:") && e.contains("final agency"),
        "{e}"
    );
    // The one-stop unit receives every dossier: dropping it removes first steps.
    let e = refused("[agencies.mc]\ndrop = true\n", &quan);
    assert!(e.contains("map.toml:2:") && e.contains("first step"), "{e}");
    // Nothing was written.
    let (_, _, code) = quytrinh(&["check", "processes/ubnd-quan-1", "--today", "2023-11-01"]);
    assert!(code == 0 || code == 1);
}

fn sources_of(dir: &str) -> Vec<Source> {
    let mut files: Vec<PathBuf> = walk(&root().join(dir))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "proc"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| Source {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            text: std::fs::read_to_string(p).unwrap(),
            migrated: true,
            project: 0,
        })
        .collect()
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// An empty map, or one mapping agencies to themselves under their own names, changes
    /// no byte of any file.
    #[test]
    fn an_identity_map_changes_nothing(project in 0usize..6, picks in proptest::collection::vec(any::<bool>(), 12)) {
        let dirs = [
            "processes/ubnd-quan-1", "processes/ubnd-phuong-ben-nghe", "processes/so-tu-phap",
            "processes/so-ke-hoach-dau-tu", "processes/so-lao-dong-tbxh", "processes/ban-quan-ly-attp",
        ];
        let files = sources_of(dirs[project]);
        let mut map_text = String::new();
        let (tree_names, names): (Vec<String>, Vec<String>) = files
            .iter()
            .flat_map(|f| {
                let (tree, _) = quytrinh::syntax::parse(quytrinh::diag::FileId(0), &f.text);
                tree.items.into_iter().filter_map(|i| match i {
                    quytrinh::syntax::ast::Item::Agency(a) => Some((a.id.name, a.name.value)),
                    _ => None,
                }).collect::<Vec<_>>()
            })
            .unzip();
        for (i, (id, name)) in tree_names.iter().zip(&names).enumerate() {
            if picks.get(i).copied().unwrap_or(false) {
                map_text.push_str(&format!("[agencies.{id}]\nto = \"{id}\"\nname = {:?}\n\n", name));
            }
        }
        let map = read(&map_text).unwrap();
        let config = Config::default();
        let m = migrate(&Input {
            files: &files,
            configs: std::slice::from_ref(&config),
            after_config: &config,
            map: &map,
            today: today(),
        }).unwrap();
        for (f, t) in files.iter().zip(&m.texts) {
            prop_assert_eq!(Some(&f.text), t.as_ref(), "{} changed", &f.name);
        }
        prop_assert!(m.new_findings.is_empty());
    }

    /// A chain of steps, some by the district office that is abolished: after the drop, none
    /// of its steps is left and the receipt still leads to the delivery.
    #[test]
    fn dropping_the_district_keeps_a_path_from_receipt_to_delivery(
        middle in proptest::collection::vec((any::<bool>(), 0usize..3), 1..8),
        with_choice in any::<bool>(),
    ) {
        let kinds = ["process", "review", "sign"];
        let mut steps = String::new();
        let mut ids = vec!["nhan".to_string()];
        steps.push_str("  step nhan \"Tiếp nhận\" { by xa.cc; kind receive; takes 1h; digitize }\n");
        for (i, (district, kind)) in middle.iter().enumerate() {
            let by = if *district { "huyen.cv" } else { "xa.cv" };
            steps.push_str(&format!("  step s{i} \"Bước {i}\" {{ by {by}; kind {}; takes 1h }}\n", kinds[*kind]));
            ids.push(format!("s{i}"));
        }
        steps.push_str("  step tra \"Trả kết quả\" { by xa.cc; kind deliver }\n");
        steps.push_str("  step tu_choi \"Từ chối\" { by xa.cc; kind reject; takes 1h }\n");
        ids.push("tra".into());
        let mut flows = format!("  flow {}\n", ids.join(" -> "));
        if with_choice && ids.len() > 3 {
            // The second step chooses: on, or refuse.
            flows = format!(
                "  flow {} -> {}\n  flow {} -> {} otherwise\n  flow {} -> tu_choi when \"Không đủ điều kiện\"\n",
                ids[0], ids[1], ids[1], ids[2..].join(" -> "), ids[1]
            );
        }
        let text = format!(
            "agency xa \"UBND xã\" {{\n  role cc \"Công chức một cửa\"\n  role cv \"Công chức\"\n}}\n\nagency huyen \"Phòng chuyên môn huyện\" {{\n  role cv \"Chuyên viên\"\n}}\n\nprocedure p \"Thủ tục\" {{\n  code \"1\"\n  level district\n  limit 10d\n  online none\n{steps}{flows}}}\n"
        );
        let files = vec![Source { name: "p.proc".into(), text, migrated: true, project: 0 }];
        let map = read("[agencies.huyen]\ndrop = true\n\n[procedures.p]\nlevel = \"commune\"\n").unwrap();
        let config = Config::default();
        let result = migrate(&Input {
            files: &files,
            configs: std::slice::from_ref(&config),
            after_config: &config,
            map: &map,
            today: today(),
        });
        let m = match result {
            Ok(m) => m,
            // A refusal is allowed only when the choosing step itself is the district's.
            Err(r) => {
                prop_assert!(with_choice && middle[0].0, "{r:?}");
                return Ok(());
            }
        };
        let after = m.texts[0].clone().unwrap();
        prop_assert!(!after.contains("huyen."), "{after}");
        prop_assert!(after.contains("level commune"));
        let (tree, diags) = quytrinh::syntax::parse(quytrinh::diag::FileId(0), &after);
        prop_assert!(diags.is_empty());
        let (model, _) = quytrinh::model::lower(&[(quytrinh::diag::FileId(0), &tree)]);
        let p = &model.procedures[0];
        let g = FlowGraph::new(p);
        let delivered = (0..p.steps.len()).any(|s| g.reachable[s] && g.is_terminal(s) && p.steps[s].kind() == Some(Kind::Deliver));
        prop_assert!(delivered, "{after}");
        prop_assert_eq!(p.steps.len(), 3 + middle.iter().filter(|(d, _)| !d).count());
    }
}

/// Without `-o` or `--write` nothing is written; `--write` replaces the files in place,
/// keeping comments, and leaves no temporary file behind.
#[test]
fn table_only_then_write_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("quytrinh.toml"), "lang = \"en\"\n").unwrap();
    let agencies = "// the district's offices\nagency mc \"Một cửa quận\" {\n  role cc \"Công chức\" staff 2\n}\n\n// abolished in 2025\nagency vp \"Văn phòng quận\" {\n  role cv \"Chuyên viên\"\n}\n";
    let procedure = "procedure p \"Thủ tục\" {\n  code \"1\"\n  level district\n  limit 2d\n  online none\n  status approved\n  decision \"QĐ 1\"\n\n  step a \"Nhận\" { by mc.cc; kind receive; takes 1h; digitize }\n  // the office forwards the file\n  step b \"Chuyển\" { by vp.cv; kind transfer; takes 2h }\n  step c \"Trả\" { by mc.cc; kind deliver }\n\n  flow a -> b -> c\n}\n";
    std::fs::write(p.join("agencies.proc"), agencies).unwrap();
    std::fs::write(p.join("p.proc"), procedure).unwrap();
    std::fs::write(
        p.join("map.toml"),
        "[agencies.mc]\nto = \"mot_cua\"\nname = \"Bộ phận Một cửa phường\"\nlevel = \"commune\"\n\n[agencies.vp]\ndrop = true\n\n[procedures.p]\nlevel = \"commune\"\nlimit = \"1d\"\n",
    )
    .unwrap();
    let dir_s = p.to_str().unwrap();
    let map = p.join("map.toml");
    let map_s = map.to_str().unwrap();
    let (out, err, code) = quytrinh(&[
        "migrate",
        dir_s,
        "--map",
        map_s,
        "--today",
        "2026-12-01",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("level of government") && out.contains("district → commune"),
        "{out}"
    );
    assert!(out.contains("3h → 1h"), "{out}");
    assert_eq!(
        std::fs::read_to_string(p.join("p.proc")).unwrap(),
        procedure
    );
    let (out, err, code) = quytrinh(&[
        "migrate",
        dir_s,
        "--map",
        map_s,
        "--write",
        "--today",
        "2026-12-01",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("written to"), "{out}");
    let after = std::fs::read_to_string(p.join("p.proc")).unwrap();
    assert!(
        after.contains("level commune") && after.contains("limit 1d"),
        "{after}"
    );
    assert!(
        after.contains("flow a -> c") && !after.contains("vp.cv"),
        "{after}"
    );
    assert!(after.contains("by mot_cua.cc"), "{after}");
    let agencies_after = std::fs::read_to_string(p.join("agencies.proc")).unwrap();
    assert!(
        agencies_after.contains("// the district's offices"),
        "{agencies_after}"
    );
    assert!(agencies_after.contains("agency mot_cua \"Bộ phận Một cửa phường\""));
    assert!(!agencies_after.contains("vp"), "{agencies_after}");
    let leftovers = std::fs::read_dir(p)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".tmp")
        })
        .count();
    assert_eq!(leftovers, 0);
    let (out, _, code) = quytrinh(&["check", dir_s, "--today", "2026-12-01", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    // A map that is not TOML is refused at its line.
    std::fs::write(&map, "[agencies.mc]\nto = \n").unwrap();
    let (_, err, code) = quytrinh(&["migrate", dir_s, "--map", map_s]);
    assert_eq!(code, 2);
    assert!(err.contains("map.toml:2"), "{err}");
}

/// Each deletion reads the file again, so the number of steps dropped in one run is bounded:
/// beyond it the map is refused at the drop's line, before any work.
#[test]
fn too_many_dropped_steps_are_refused_up_front() {
    let n = quytrinh::migrate::MAX_DROPPED_STEPS + 1;
    let mut text = String::from(
        "agency xa \"Xã\" {\n  role cc \"CC\"\n}\nagency huyen \"Huyện\" {\n  role cv \"CV\"\n}\nprocedure p \"P\" {\n  code \"1\"\n  level district\n  limit 1000d\n  online none\n  step a \"Nhận\" { by xa.cc; kind receive; takes 1h; digitize }\n",
    );
    let mut chain = vec!["a".to_string()];
    for i in 0..n {
        text.push_str(&format!(
            "  step s{i} \"B\" {{ by huyen.cv; kind process; takes 1h }}\n"
        ));
        chain.push(format!("s{i}"));
    }
    text.push_str("  step z \"Trả\" { by xa.cc; kind deliver }\n");
    chain.push("z".into());
    text.push_str(&format!("  flow {}\n}}\n", chain.join(" -> ")));
    let files = vec![Source {
        name: "p.proc".into(),
        text,
        migrated: true,
        project: 0,
    }];
    let map = read("\n[agencies.huyen]\ndrop = true\n").unwrap();
    let config = Config::default();
    let started = std::time::Instant::now();
    let Err(refusals) = migrate(&Input {
        files: &files,
        configs: std::slice::from_ref(&config),
        after_config: &config,
        map: &map,
        today: today(),
    }) else {
        panic!("refused");
    };
    assert_eq!(refusals[0].line, 3);
    assert!(refusals[0].message.en.contains("at most"));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
