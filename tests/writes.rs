//! Every write goes through one module (`cli::write`): new files get the umask's mode, a
//! replaced file keeps its mode, symbolic links are written through, read-only files are
//! refused, hard links stay linked, and stale temporary files of a killed run are removed;
//! `build` into an existing folder keeps what it does not write, a new output folder
//! appears whole, and a killed build leaves no half file under a final name.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use quytrinh::cli::write::Folder;

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

/// A project of `n` procedures, `p0` … `p{n-1}`, without findings that stop a build.
fn project_of(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("src")).unwrap();
    std::fs::write(d.join("src/quytrinh.toml"), "").unwrap();
    let mut text = String::from("agency mc \"Một cửa\" {\n  role cc \"Công chức\" staff 2\n}\n");
    for i in 0..n {
        text.push_str(&format!(
            "procedure p{i} \"Thủ tục {i}\" {{\n  code \"{i}\"; level ward; limit 1d; online none\n  step a \"Nhận\" {{ by mc.cc; kind receive; takes 1h; digitize }}\n  step b \"Trả\" {{ by mc.cc; kind deliver }}\n  flow a -> b\n}}\n"
        ));
    }
    std::fs::write(d.join("src/p.proc"), text).unwrap();
    dir
}

const TODAY: &str = "2023-11-01";

fn build(dir: &Path, out: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quytrinh"));
    command
        .args(["build", "src", "--today", TODAY, "-o", out])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// A project of `n` procedures and the files of a whole build of it.
fn project_and_build_of(n: usize) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let dir = project_of(n);
    build_ok(dir.path(), "reference");
    let reference = files(&dir.path().join("reference"));
    (dir, reference)
}

fn build_ok(dir: &Path, out: &str) {
    let done = build(dir, out).output().unwrap();
    assert_eq!(
        done.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
}

/// The names and bytes of a folder's files (links followed).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (name, bytes)
        })
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    files(dir).into_keys().collect()
}

#[test]
fn build_into_an_existing_folder_keeps_what_it_does_not_write() {
    let (dir, reference) = project_and_build_of(2);
    let d = dir.path();
    let site = d.join("site");
    std::fs::create_dir_all(d.join("elsewhere")).unwrap();
    std::fs::create_dir(&site).unwrap();
    let folder_inode = std::fs::metadata(&site).unwrap().ino();
    std::fs::write(site.join("notes.txt"), "mine").unwrap();
    for name in ["p0.html", "p0.dot", "p0.bpmn", "p0.svg"] {
        std::fs::write(site.join(name), "old").unwrap();
    }
    std::fs::set_permissions(site.join("p0.html"), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::hard_link(site.join("p0.dot"), d.join("elsewhere/p0.dot")).unwrap();
    std::fs::set_permissions(site.join("p0.bpmn"), std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::remove_file(site.join("p0.svg")).unwrap();
    std::fs::write(d.join("elsewhere/p0.svg"), "old").unwrap();
    std::os::unix::fs::symlink("../elsewhere/p0.svg", site.join("p0.svg")).unwrap();
    // Left by killed runs: a file and a folder.
    std::fs::write(site.join(".quytrinh-999999999-0.tmp"), "half").unwrap();
    std::fs::create_dir(site.join(".quytrinh-999999999-1.tmp")).unwrap();

    let done = build(d, "site").output().unwrap();
    let err = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(2), "{err}");
    assert!(
        err.contains("p0.bpmn") && err.contains("read-only"),
        "{err}"
    );

    let mut expected = reference.clone();
    expected.insert("notes.txt".into(), b"mine".to_vec());
    expected.insert("p0.bpmn".into(), b"old".to_vec());
    assert_eq!(files(&site), expected);
    assert_eq!(std::fs::metadata(&site).unwrap().ino(), folder_inode);
    assert_eq!(mode(&site.join("p0.html")), 0o600);
    assert_eq!(mode(&site.join("p0.bpmn")), 0o444);
    assert!(
        std::fs::symlink_metadata(site.join("p0.svg"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read(d.join("elsewhere/p0.svg")).unwrap(),
        reference["p0.svg"]
    );
    assert_eq!(
        std::fs::read(d.join("elsewhere/p0.dot")).unwrap(),
        reference["p0.dot"]
    );
    assert_eq!(std::fs::metadata(site.join("p0.dot")).unwrap().nlink(), 2);
}

#[test]
fn a_new_output_folder_appears_whole_and_stale_temporary_folders_beside_it_go() {
    let (dir, reference) = project_and_build_of(2);
    let d = dir.path();
    std::fs::create_dir(d.join("www")).unwrap();
    std::fs::create_dir(d.join("www/.quytrinh-999999999-0.tmp")).unwrap();
    std::fs::write(d.join("www/.quytrinh-999999999-0.tmp/p0.svg"), "half").unwrap();
    // A recent one whose writer cannot be known is left alone.
    std::fs::create_dir(d.join("www/.quytrinh-x9Y8z7.tmp")).unwrap();
    build_ok(d, "www/site/");
    assert_eq!(files(&d.join("www/site")), reference);
    assert_eq!(names(&d.join("www")), [".quytrinh-x9Y8z7.tmp", "site"]);
    // The folders above a new one are made.
    build_ok(d, "www/a/b/site");
    assert_eq!(files(&d.join("www/a/b/site")), reference);
    assert_eq!(names(&d.join("www/a/b")), ["site"]);
    // Building again goes into the folder that is there now.
    let inode = std::fs::metadata(d.join("www/site")).unwrap().ino();
    build_ok(d, "www/site");
    assert_eq!(files(&d.join("www/site")), reference);
    assert_eq!(std::fs::metadata(d.join("www/site")).unwrap().ino(), inode);
}

#[test]
fn two_builds_into_one_new_folder_at_once_both_write_it() {
    let (dir, reference) = project_and_build_of(20);
    let d = dir.path();
    for round in 0..3 {
        let out = format!("site{round}");
        let builds: Vec<Child> = (0..2).map(|_| build(d, &out).spawn().unwrap()).collect();
        for b in builds {
            let done = b.wait_with_output().unwrap();
            assert_eq!(
                done.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&done.stderr)
            );
        }
        assert_eq!(files(&d.join(&out)), reference);
    }
    assert!(temporaries(d).is_empty(), "{:?}", names(d));
}

/// Starts a build into `out` and kills it once `started` sees it writing (or it ends).
fn kill_while_writing(dir: &Path, out: &str, started: impl Fn() -> bool) {
    let mut child = build(dir, out).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !started() && child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_micros(200));
    }
    let _ = child.kill();
    // Waited for, so that its process is gone.
    child.wait().unwrap();
}

/// The temporary folders in `dir`.
fn staging(dir: &Path) -> Vec<PathBuf> {
    temporaries(dir)
        .into_iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_dir())
        .collect()
}

#[test]
fn a_killed_build_leaves_no_half_file_under_a_final_name() {
    let (dir, reference) = project_and_build_of(150);
    let d = dir.path();

    // Into an existing folder holding older files: each file is the old one or the new one.
    let site = d.join("site");
    std::fs::create_dir(&site).unwrap();
    let old: Vec<String> = reference.keys().step_by(2).cloned().collect();
    for name in &old {
        std::fs::write(site.join(name), "old").unwrap();
    }
    kill_while_writing(d, "site", || {
        reference
            .keys()
            .any(|n| std::fs::read(site.join(n)).is_ok_and(|b| b != b"old"))
    });
    for (name, bytes) in files(&site) {
        if name.starts_with(".quytrinh-") {
            continue;
        }
        let whole = &reference[&name];
        assert!(
            bytes == *whole || (bytes == b"old" && old.contains(&name)),
            "`{name}` is neither the old file nor the new one"
        );
    }
    build_ok(d, "site");
    assert_eq!(files(&site), reference);

    // Into a new folder: it is not there, or it is whole.
    kill_while_writing(d, "new", || {
        staging(d)
            .iter()
            .any(|s| std::fs::read_dir(s).is_ok_and(|mut f| f.next().is_some()))
    });
    let new = d.join("new");
    if new.exists() {
        assert_eq!(files(&new), reference);
    }
    build_ok(d, "new");
    assert_eq!(files(&new), reference);
    assert!(temporaries(d).is_empty(), "{:?}", names(d));
}

/// A new output folder `site` being written, `a.html` in it.
fn new_folder_being_written() -> (tempfile::TempDir, PathBuf, Folder) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let folder = Folder::prepare(&out).unwrap();
    folder.write("a.html", b"new a").unwrap();
    (dir, out, folder)
}

#[test]
fn a_new_folder_whose_name_is_taken_meanwhile_gets_the_files_one_at_a_time() {
    let (dir, out, mut folder) = new_folder_being_written();
    folder.write("b.html", b"new b").unwrap();
    assert!(!out.exists());
    // Another run made the folder first, with a file of the same name and one of its own.
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("a.html"), "other a").unwrap();
    std::fs::write(out.join("c.html"), "other c").unwrap();
    let inode = std::fs::metadata(&out).unwrap().ino();
    folder.publish().unwrap();
    folder.sync().unwrap();
    assert_eq!(names(&out), ["a.html", "b.html", "c.html"]);
    assert_eq!(std::fs::read(out.join("a.html")).unwrap(), b"new a");
    assert_eq!(std::fs::read(out.join("b.html")).unwrap(), b"new b");
    assert_eq!(std::fs::read(out.join("c.html")).unwrap(), b"other c");
    assert_eq!(std::fs::metadata(&out).unwrap().ino(), inode);
    assert_eq!(names(dir.path()), ["site"]);
}

#[test]
fn an_empty_folder_made_meanwhile_is_not_replaced() {
    let (dir, out, mut folder) = new_folder_being_written();
    std::fs::create_dir(&out).unwrap();
    let inode = std::fs::metadata(&out).unwrap().ino();
    folder.publish().unwrap();
    assert_eq!(names(&out), ["a.html"]);
    assert_eq!(std::fs::metadata(&out).unwrap().ino(), inode);
    assert_eq!(names(dir.path()), ["site"]);
}

#[test]
fn a_name_written_twice_into_a_new_folder_keeps_its_first_text() {
    let (_dir, out, mut folder) = new_folder_being_written();
    // A build writes each name once; a second write of one is refused.
    assert!(folder.write("a.html", b"b").is_err());
    folder.publish().unwrap();
    assert_eq!(std::fs::read(out.join("a.html")).unwrap(), b"new a");
}

#[test]
fn writeback_runs_while_the_build_writes_and_stops_when_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut folder = Folder::prepare(&out).unwrap();
    let writeback = folder.writeback();
    folder.write("a.txt", b"a").unwrap();
    // Long enough for a few rounds of writing back.
    std::thread::sleep(std::time::Duration::from_millis(120));
    let started = std::time::Instant::now();
    drop(writeback);
    // Its thread is told to stop, and joined, at once: not after another round.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    folder.publish().unwrap();
    folder.sync().unwrap();
    assert_eq!(std::fs::read(out.join("a.txt")).unwrap(), b"a");
}
