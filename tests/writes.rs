//! Every write goes through one helper (`cli::write`): new files get the umask's mode, a
//! replaced file keeps its mode, symbolic links are written through, read-only files are
//! refused, hard links stay linked, and stale temporary files of a killed run are removed.
#![cfg(unix)]

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

const MESSY: &str = "agency mc \"Một cửa\" {\n    role cc \"Công chức\" staff 2\n}\nprocedure p \"Thủ tục\" {\n  code \"1\"; level ward; limit 1d; online none\n  step a \"Nhận\" { by mc.cc; kind receive; takes 1h; digitize }\n  step b \"Trả\" { by mc.cc; kind deliver }\n  flow a -> b\n}\n";

/// Runs quytrinh under a given umask.
fn run(dir: &Path, umask: &str, args: &[&str]) -> (String, String, i32) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_quytrinh"))
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

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".quytrinh-"))
        .collect()
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("quytrinh.toml"), "").unwrap();
    std::fs::write(dir.path().join("p.proc"), MESSY).unwrap();
    dir
}

#[test]
fn new_files_get_the_mode_of_the_umask_from_every_command() {
    let dir = project();
    let d = dir.path();
    std::fs::write(
        d.join("lltp.csv"),
        "Bước;Nội dung công việc;Trách nhiệm thực hiện;Thời gian\nB1;Tiếp nhận hồ sơ;Bộ phận Một cửa;1 ngày\nB2;Trả kết quả;Bộ phận Một cửa;\n",
    )
    .unwrap();
    // Build before the import adds a second file to the project.
    let commands: [&[&str]; 4] = [
        &[
            "render",
            "p.proc",
            "--format",
            "svg",
            "-o",
            "out.svg",
            "--today",
            "2023-11-01",
        ],
        &["build", "--out", "site", "--today", "2023-11-01", "p.proc"],
        &[
            "reengineer",
            "p.proc",
            "-o",
            "proposal.proc",
            "--today",
            "2023-11-01",
        ],
        &["import", "lltp.csv", "-o", "imported.proc"],
    ];
    for args in commands {
        let (out, err, code) = run(d, "027", args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
    for file in [
        "out.svg",
        "site/p.html",
        "site/p.bpmn",
        "site/index.html",
        "imported.proc",
        "proposal.proc",
    ] {
        assert_eq!(mode(&d.join(file)), 0o640, "{file}");
    }
    let (_, _, code) = run(
        d,
        "022",
        &["render", "p.proc", "--format", "dot", "-o", "out.dot"],
    );
    assert_eq!(code, 0);
    assert_eq!(mode(&d.join("out.dot")), 0o644);
    assert!(temporaries(d).is_empty() && temporaries(&d.join("site")).is_empty());
}

#[test]
fn a_replaced_file_keeps_its_mode_whatever_the_umask() {
    let dir = project();
    let path = dir.path().join("p.proc");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
    let (_, err, code) = run(dir.path(), "077", &["fmt", "--write", "p.proc"]);
    assert_eq!(code, 0, "{err}");
    assert_ne!(std::fs::read_to_string(&path).unwrap(), MESSY);
    assert_eq!(mode(&path), 0o664);
}

#[test]
fn fmt_write_goes_through_a_symbolic_link_to_its_target() {
    let dir = project();
    let d = dir.path();
    std::fs::create_dir(d.join("real")).unwrap();
    std::fs::rename(d.join("p.proc"), d.join("real/p.proc")).unwrap();
    std::os::unix::fs::symlink("real/p.proc", d.join("p.proc")).unwrap();
    let (_, err, code) = run(d, "022", &["fmt", "--write", "p.proc"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::symlink_metadata(d.join("p.proc"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    let formatted = std::fs::read_to_string(d.join("real/p.proc")).unwrap();
    assert_ne!(formatted, MESSY);
    assert!(formatted.contains("\n  role cc \"Công chức\" staff 2\n"));
    let (_, _, code) = run(d, "022", &["fmt", "--check", "real/p.proc"]);
    assert_eq!(code, 0);
}

#[test]
fn a_read_only_file_is_refused_with_a_message_and_exit_2() {
    let dir = project();
    let path = dir.path().join("p.proc");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    for args in [
        &["fmt", "--write", "p.proc"][..],
        &["reengineer", "p.proc", "--write", "--today", "2024-06-03"][..],
    ] {
        let (_, err, code) = run(dir.path(), "022", args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("read-only"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), MESSY);
        assert_eq!(mode(&path), 0o444);
    }
    assert!(temporaries(dir.path()).is_empty());
}

#[test]
fn hard_links_keep_sharing_the_formatted_text() {
    let dir = project();
    let d = dir.path();
    std::fs::hard_link(d.join("p.proc"), d.join("other-name.proc")).unwrap();
    let inode = std::fs::metadata(d.join("p.proc")).unwrap().ino();
    let (_, err, code) = run(d, "022", &["fmt", "--write", "p.proc"]);
    assert_eq!(code, 0, "{err}");
    let a = std::fs::read_to_string(d.join("p.proc")).unwrap();
    assert_ne!(a, MESSY);
    assert_eq!(
        std::fs::read_to_string(d.join("other-name.proc")).unwrap(),
        a
    );
    assert_eq!(std::fs::metadata(d.join("p.proc")).unwrap().ino(), inode);
    assert_eq!(std::fs::metadata(d.join("p.proc")).unwrap().nlink(), 2);
    assert!(temporaries(d).is_empty());
}

#[test]
fn stale_temporary_files_of_a_killed_run_are_removed_on_the_next_write() {
    let dir = project();
    let d = dir.path();
    // No process has this id (Linux allows at most 4 194 304).
    std::fs::write(d.join(".quytrinh-999999999-0.tmp"), "half").unwrap();
    // The naming of earlier versions, left over an hour ago.
    let old = d.join(".quytrinh-a1B2c3.tmp");
    std::fs::write(&old, "half").unwrap();
    let hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(hours_ago)
        .unwrap();
    // A recent one whose writer cannot be known, and other files, are left alone.
    std::fs::write(d.join(".quytrinh-x9Y8z7.tmp"), "being written").unwrap();
    std::fs::write(d.join("notes.tmp"), "mine").unwrap();
    let (_, err, code) = run(d, "022", &["fmt", "--write", "p.proc"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(temporaries(d), [".quytrinh-x9Y8z7.tmp"]);
    assert!(d.join("notes.tmp").exists());
}
