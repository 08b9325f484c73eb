//! The command line as a user runs it: exit statuses, the JSON shape, settings, projects,
//! `explain`, `init` and `fmt`.

use std::path::Path;
use std::process::Command;

fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const AGENCIES: &str = "agency mc \"Một cửa\" {\n  role cc \"Công chức\" staff 2\n}\n";
const GOOD: &str = "procedure p \"Thủ tục\" {\n  code \"1\"\n  level ward\n  limit 1d\n  online none\n  step a \"Nhận\" { by mc.cc; kind receive; takes 1h; digitize }\n  step b \"Trả\" { by mc.cc; kind deliver }\n  flow a -> b\n}\n";

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn the_city_procedures_check_without_error() {
    let (out, _, code) = run(root(), &["check", "processes/", "--today", "2024-06-01"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("23 procedures") || out.contains("23 quy trình"),
        "{out}"
    );
}

#[test]
fn exit_statuses_are_0_1_2() {
    let dir = project(&[
        ("quytrinh.toml", ""),
        ("a.proc", AGENCIES),
        ("b.proc", GOOD),
    ]);
    assert_eq!(run(dir.path(), &["check", "--today", "2023-11-01"]).2, 0);
    std::fs::write(dir.path().join("c.proc"), "procedure q \"Q\" {}\n").unwrap();
    assert_eq!(run(dir.path(), &["check", "--today", "2023-11-01"]).2, 1);
    let (_, err, code) = run(dir.path(), &["check", "missing.proc"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.proc"), "{err}");
    assert_eq!(run(dir.path(), &["check", "--format", "yaml"]).2, 2);
    assert_eq!(run(dir.path(), &["check", "--today", "2023-13-01"]).2, 2);
    assert_eq!(run(dir.path(), &["frobnicate"]).2, 2);
}

#[test]
fn json_has_the_shape_of_cli_md() {
    let dir = project(&[
        ("quytrinh.toml", ""),
        ("agencies.proc", include_str!("../examples/agencies.proc")),
        (
            "x.proc",
            include_str!("../examples/cap-giay-phep-xay-dung.proc"),
        ),
        (
            "bad.proc",
            "procedure q \"Q\" {\n  code \"1\"; level ward; limit 1d; online none\n  step a \"A\" { by mc.nobody; kind deliver }\n}\n",
        ),
    ]);
    let (out, _, code) = run(
        dir.path(),
        &["check", "--format", "json", "--today", "2023-11-01"],
    );
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The unknown role (QT101); the start step of `bad.proc` also gets QT403.
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "QT101")
        .expect("a QT101 finding");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "bad.proc");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(22))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(3), Some(28))
    );
    assert_eq!(d["procedure"], "q");
    assert_eq!(d["steps"], serde_json::json!(["a"]));
    assert!(d["message"].as_str().unwrap().contains("`nobody`"));
    let p = doc["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "cap_gpxd_nha_o")
        .unwrap();
    assert_eq!(p["name"], "Cấp giấy phép xây dựng nhà ở riêng lẻ");
    assert_eq!(p["file"], "x.proc");
    assert_eq!(p["limit_hours"], 120);
    assert_eq!(p["worst_case_hours"], 116);
    assert_eq!(p["status"], "draft");
    assert_eq!(p["approval_deadline"], "2023-12-15");
    assert_eq!(p["levels"], 3);
    assert_eq!(p["handoffs"], 4);
    assert_eq!(p["agencies"], 3);
    assert_eq!(p["worst_case_path"][0], "receive");
}

#[test]
fn a_file_inside_a_project_sees_the_project_agencies_and_reports_only_its_own_findings() {
    let dir = project(&[
        ("quytrinh.toml", "lang = \"en\"\n"),
        ("agencies.proc", AGENCIES),
        ("sub/good.proc", GOOD),
        ("other.proc", "procedure q \"Q\" {}\n"),
    ]);
    let (out, _, code) = run(
        &dir.path().join("sub"),
        &["check", "good.proc", "--today", "2023-11-01"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("other.proc"), "{out}");
}

#[test]
fn settings_errors_name_the_key_and_line() {
    let dir = project(&[
        (
            "quytrinh.toml",
            "lang = \"vi\"\n\n[timing]\nmax_sharee = 0.5\n",
        ),
        ("b.proc", GOOD),
    ]);
    let (_, err, code) = run(dir.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("quytrinh.toml:4:") && err.contains("max_sharee"),
        "{err}"
    );
}

#[test]
fn rules_can_be_turned_off_or_raised_and_config_can_be_given() {
    let text = "procedure q \"Q\" {\n  code \"1\"; level ward; limit 1d; online none\n  step a \"A\" { by mc.cc; kind receive; takes 1h }\n  step b \"B\" { by mc.cc; kind deliver }\n  step c \"C\" { by mc.cc; kind reject; takes 1h }\n  flow a -> b\n}\n";
    let dir = project(&[
        ("quytrinh.toml", "[rules]\nQT103 = \"off\"\n"),
        ("a.proc", AGENCIES),
        ("b.proc", text),
        ("warn.toml", "[rules]\nQT103 = \"warning\"\n"),
    ]);
    let (out, _, code) = run(
        dir.path(),
        &["check", "--today", "2023-11-01", "--format", "json"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("QT103"));
    let (out, _, code) = run(
        dir.path(),
        &[
            "check",
            "--today",
            "2023-11-01",
            "--format",
            "json",
            "--config",
            "warn.toml",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("\"code\": \"QT103\"") && out.contains("\"severity\": \"warning\""),
        "{out}"
    );
}

#[test]
fn human_output_points_at_the_line_with_a_help_line_in_either_language() {
    let dir = project(&[(
        "a.proc",
        "procedure q \"Thủ tục\" {\n  code \"1\"; level ward; limit 1d; online none\n  step nhận \"Nhận\" { kind deliver }\n}\n",
    )]);
    let (out, _, code) = run(dir.path(), &["check", "a.proc", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("error[QT003]: identifier `nhận` holds a non-ASCII letter"),
        "{out}"
    );
    assert!(out.contains(" --> a.proc:3:8"), "{out}");
    assert!(
        out.contains("3 |   step nhận \"Nhận\" { kind deliver }"),
        "{out}"
    );
    assert!(
        out.contains("  |        ^^^^ Vietnamese letters here"),
        "{out}"
    );
    assert!(
        out.contains("= help: write the identifier without diacritics (e.g. `nhan`)"),
        "{out}"
    );
    let (out, _, _) = run(dir.path(), &["check", "a.proc", "--lang", "vi"]);
    assert!(
        out.contains("định danh `nhận` chứa chữ cái ngoài bảng ASCII"),
        "{out}"
    );
    assert!(out.contains("1 lỗi") || out.contains("lỗi,"), "{out}");
}

/// `check` has the rules make their words in the one language it prints: a rule's finding
/// (not only a finding of reading) carries its message, label, note and help in that
/// language, in the human output and in JSON.
#[test]
fn a_rule_finding_is_worded_in_the_language_check_prints() {
    let dir = project(&[(
        "a.proc",
        "agency so \"Sở\" {\n  role cv \"Chuyên viên\" staff 2\n  role pp \"Phó Trưởng phòng\" rank deputy_head staff 1\n  role tp \"Trưởng phòng\" rank head staff 1\n}\nprocedure q \"Thủ tục\" {\n  code \"1\"; level province; limit 5d; online none; status approved; decision \"1/QĐ-UBND\"\n  step nhan \"Nhận\" { by so.cv; kind receive; takes 1h; digitize }\n  step xem1 \"Phó phòng xem\" { by so.pp; kind review; takes 4h }\n  step xem2 \"Trưởng phòng xem\" { by so.tp; kind review; takes 4h }\n  step tra \"Trả\" { by so.cv; kind deliver }\n  flow nhan -> xem1 -> xem2 -> tra\n}\n",
    )]);
    let (en, _, _) = run(dir.path(), &["check", "a.proc", "--lang", "en"]);
    for words in [
        "warning[QT201]: stacked review in procedure `q`",
        "^^^^ reviewed again at `xem2`",
        "= note: removing `xem1` saves 4 working hours of allotted time",
        "= help: let one accountable person of `so` review and submit",
    ] {
        assert!(en.contains(words), "{words} is not in:\n{en}");
    }
    let (vi, _, _) = run(dir.path(), &["check", "a.proc", "--lang", "vi"]);
    for words in [
        "warning[QT201]: xem xét chồng lớp trong quy trình `q`",
        "^^^^ được xem xét lại ở `xem2`",
        "= note: bỏ bước `xem1` rút ngắn được",
        "= help: giao một người của `so` chịu trách nhiệm xem xét và trình",
    ] {
        assert!(vi.contains(words), "{words} is not in:\n{vi}");
    }
    for (lang, words) in [("en", "stacked review"), ("vi", "xem xét chồng lớp")] {
        let (json, _, _) = run(
            dir.path(),
            &["check", "a.proc", "--lang", lang, "--format", "json"],
        );
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        let message = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "QT201")
            .and_then(|d| d["message"].as_str())
            .unwrap_or_default()
            .to_string();
        assert!(message.contains(words), "{lang}: {message:?}");
    }
}

#[test]
fn explain_prints_every_rule_in_both_languages() {
    let (list, _, code) = run(root(), &["explain"]);
    assert_eq!(code, 0);
    for line in list.lines() {
        let code = line.split_whitespace().next().unwrap();
        let (doc, _, status) = run(root(), &["explain", code]);
        assert_eq!(status, 0);
        assert!(doc.contains("## vi") && doc.contains("## en"), "{code}");
        let (vi, _, _) = run(root(), &["explain", code, "--lang", "vi"]);
        assert!(
            vi.contains("### Cách sửa") && !vi.contains("### How to fix"),
            "{code}"
        );
        // The header line is Vietnamese too: no English rule name or level.
        let head = vi.lines().next().unwrap_or_default();
        assert!(head.contains("mức mặc định"), "{code}: {head}");
        assert!(
            !["warning", "error", "info"]
                .iter()
                .any(|w| head.contains(&format!("[{w}]"))),
            "{code}: {head}"
        );
        let (en, _, _) = run(root(), &["explain", &code.to_lowercase(), "--lang", "en"]);
        assert!(
            en.contains("### How to fix") && !en.contains("### Cách sửa"),
            "{code}"
        );
    }
    let (_, err, code) = run(root(), &["explain", "QT1O1"]);
    assert_eq!(code, 2);
    assert!(err.contains("QT101"), "{err}");
}

#[test]
fn init_creates_a_project_that_checks_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, code) = run(dir.path(), &["init", "moi"]);
    assert_eq!(code, 0);
    let (out, _, code) = run(
        dir.path(),
        &["check", "moi", "--today", "2023-11-01", "--lang", "en"],
    );
    assert_eq!(code, 0, "{out}");
    std::fs::write(dir.path().join("moi/vi-du.proc"), "// mine\n").unwrap();
    let (_, err, code) = run(dir.path(), &["init", "moi"]);
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("moi/vi-du.proc")).unwrap(),
        "// mine\n"
    );
}

#[test]
fn fmt_check_and_write() {
    let messy = "procedure p \"P\" {\n    code \"1\";level ward // c\n}\n";
    let dir = project(&[
        ("a.proc", messy),
        ("b.proc", "procedure q \"Q\" {\n  code \"1\"\n}\n"),
    ]);
    let (out, _, code) = run(dir.path(), &["fmt", "--check"]);
    assert_eq!(code, 1);
    assert!(out.contains("a.proc") && !out.contains("b.proc"), "{out}");
    let (printed, _, code) = run(dir.path(), &["fmt", "a.proc"]);
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.proc")).unwrap(),
        messy,
        "plain fmt changes no file"
    );
    let (_, _, code) = run(dir.path(), &["fmt", "--write"]);
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.proc")).unwrap(),
        printed
    );
    assert_eq!(run(dir.path(), &["fmt", "--check"]).2, 0);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");
}

#[test]
fn every_city_procedure_is_in_the_canonical_layout() {
    let (out, _, code) = run(root(), &["fmt", "--check", "processes", "examples"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_main_job_builds_every_artefact_and_the_packets_show_the_proposal() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let (stdout, _, code) = run(root(), &["build", "processes/", "-o", dir, "--lang", "en"]);
    assert_eq!(code, 0, "{stdout}");
    for ext in ["workflow.json", "bpmn", "dot", "svg", "html"] {
        assert!(
            out.path().join(format!("cap_gpxd_nha_o.{ext}")).is_file(),
            "{ext}"
        );
    }
    let index = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert_eq!(
        index.matches("href=\"").count(),
        23,
        "every procedure links its packet"
    );
    // A procedure with redundant levels: the packet compares before and after.
    let packet = std::fs::read_to_string(out.path().join("cap_gpxd_nha_o.html")).unwrap();
    assert!(packet.contains("Sau tái cấu trúc"));
    // Each change is a sentence with the step's and the role's names, not a code.
    assert!(
        packet.contains("<li>Bỏ bước “Phó Trưởng phòng xem xét” của Phó Trưởng phòng – Phòng Quản lý đô thị Quận 1")
            && !packet.contains("[QT201]"),
        "the packet tells the changes in words"
    );
    // A procedure without: no such section.
    let clean = std::fs::read_to_string(out.path().join("dang_ky_khai_sinh.html")).unwrap();
    assert!(!clean.contains("Sau tái cấu trúc"));
}

#[test]
fn messages_follow_lang_when_neither_flag_nor_settings_choose() {
    let dir = project(&[("a.proc", "procedure q \"Q\" {}\n")]);
    let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(["check", "a.proc", "--today", "2023-11-01"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("LANG", "vi_VN.UTF-8")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("quy trình `q` thiếu `code`"), "{text}");
}

#[cfg(unix)]
#[test]
fn fmt_write_keeps_the_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[("a.proc", "procedure p \"P\" {\n    code \"1\"\n}\n")]);
    let path = dir.path().join("a.proc");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(run(dir.path(), &["fmt", "--write"]).2, 0);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "procedure p \"P\" {\n  code \"1\"\n}\n"
    );
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
}

#[test]
fn a_file_over_the_size_limit_is_qt002() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.proc");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(quytrinh::project::MAX_FILE_SIZE + 1).unwrap();
    let (out, _, code) = run(dir.path(), &["check", "huge.proc", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("error[QT002]") && out.contains("larger than the 64 MiB"),
        "{out}"
    );
}

#[test]
fn colour_only_on_a_terminal() {
    let dir = project(&[("a.proc", "procedure q \"Q\" {}\n")]);
    let bin = env!("CARGO_BIN_EXE_quytrinh");
    // Through a pipe: no colour.
    let (piped, _, _) = run(dir.path(), &["check", "a.proc"]);
    assert!(!piped.contains('\u{1b}'));
    // On a terminal (`script` gives the command one): colour, unless NO_COLOR.
    let on_terminal = |no_colour: bool| {
        let mut cmd = Command::new("script");
        cmd.args([
            "-qec",
            &format!("{bin} check a.proc --lang en"),
            "/dev/null",
        ])
        .current_dir(dir.path())
        .env_remove("NO_COLOR");
        if no_colour {
            cmd.env("NO_COLOR", "1");
        }
        cmd.output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let Some(coloured) = on_terminal(false) else {
        eprintln!("notice: `script` is missing; terminal colour not checked");
        return;
    };
    assert!(coloured.contains("\u{1b}[1;31merror[QT107]"), "{coloured}");
    assert!(!on_terminal(true).unwrap_or_default().contains('\u{1b}'));
}

/// A fresh project is written for today's organisation: checked today (the system date) or
/// on any later date, it greets nobody with a deadline that passed years ago, nor with the
/// abolished district level. Declaring `organisation = "2023"` brings back the 2023 deadlines.
#[test]
fn a_fresh_init_checks_clean_today_and_2023_projects_keep_their_deadlines() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, code) = run(dir.path(), &["init", "moi"]);
    assert_eq!(code, 0);
    for today in [None, Some("2026-12-01"), Some("2030-06-01")] {
        let mut args = vec!["check", "moi", "--format", "json"];
        if let Some(t) = today {
            args.extend(["--today", t]);
        }
        let (out, _, code) = run(dir.path(), &args);
        assert_eq!(code, 0, "{today:?}: {out}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        for d in doc["diagnostics"].as_array().unwrap() {
            assert!(
                d["code"] != "QT404" && d["code"] != "QT110",
                "{today:?}: {d}"
            );
        }
        assert!(doc["procedures"][0]["approval_deadline"].is_null());
    }
    // The same project declaring the 2023 organisation gets the letter's deadlines.
    let toml = dir.path().join("moi/quytrinh.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("organisation = \"2025\"", "organisation = \"2023\""),
    )
    .unwrap();
    let (out, _, code) = run(
        dir.path(),
        &["check", "moi", "--format", "json", "--today", "2026-12-01"],
    );
    assert_eq!(code, 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["procedures"][0]["approval_deadline"], "2023-12-15");
    // And deadlines written in `[approval]` are used whatever the organisation.
    std::fs::write(
        &toml,
        "organisation = \"2025\"\n[approval]\npartial = 2027-03-31\n",
    )
    .unwrap();
    let (out, _, code) = run(
        dir.path(),
        &["check", "moi", "--format", "json", "--today", "2027-03-28"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("\"QT404\"") && out.contains("2027-03-31"),
        "{out}"
    );
    // A bad value names the key.
    std::fs::write(&toml, "organisation = \"2024\"\n").unwrap();
    let (_, err, code) = run(dir.path(), &["check", "moi"]);
    assert_eq!(code, 2);
    assert!(err.contains("organisation"), "{err}");
}

#[test]
fn every_finding_inside_a_procedure_names_it_in_json() {
    // QT102 (a step defined twice), QT107 (a step with no `by`), QT108 (a bad `level`):
    // each is located inside `q` and must carry `"procedure": "q"`, while a finding
    // outside any procedure (a duplicate shared agency) carries none.
    let dir = project(&[
        ("quytrinh.toml", ""),
        ("a.proc", AGENCIES),
        ("a2.proc", AGENCIES),
        (
            "bad.proc",
            "procedure q \"Q\" {\n  code \"1\"; level planet; limit 1d; online none\n  \
             step a \"A\" { by mc.cc; kind receive; takes 1h }\n  \
             step a \"A2\" { by mc.cc; kind receive; takes 1h }\n  \
             step b \"B\" { kind deliver }\n  flow a -> b\n}\n",
        ),
    ]);
    let (out, _, code) = run(
        dir.path(),
        &["check", "--format", "json", "--today", "2023-11-01"],
    );
    assert_eq!(code, 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let all = doc["diagnostics"].as_array().unwrap();
    let in_bad: Vec<_> = all.iter().filter(|d| d["file"] == "bad.proc").collect();
    for code in ["QT102", "QT107", "QT108"] {
        let d = in_bad
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("a {code} finding in {out}"));
        assert_eq!(d["procedure"], "q", "{code}: {d}");
    }
    let shared = all
        .iter()
        .find(|d| d["code"] == "QT102" && d["file"] != "bad.proc")
        .expect("the duplicate agency");
    assert!(shared["procedure"].is_null(), "{shared}");
}

/// `quytrinh fmt FILE | head`: a reader that stops early ends the program without a panic
/// (the output is far larger than a pipe's buffer).
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::fmt::Write as _;
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "procedure dai \"Dài\" {\n  code \"1\"; level commune; limit 900d; online none\n  \
         agency ub \"UBND\" { role cb \"Công chức\" }\n",
    );
    for i in 0..4000 {
        let _ = writeln!(
            text,
            "  step s{i} \"Bước {i}\" {{ by ub.cb; kind process; takes 1h }}"
        );
    }
    text.push_str("  step xong \"Trả kết quả\" { by ub.cb; kind deliver }\n}\n");
    let file = dir.path().join("dai.proc");
    std::fs::write(&file, text).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .arg("fmt")
        .arg(&file)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 8];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is closed here, long before the program has printed everything.
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}
