//! Every file quytrinh writes goes through this module: one file at a time with
//! [`write_atomically`] (`import -o`, `reengineer -o` and `--write`, `fmt --write`, `render -o`,
//! `migrate --write`, `audit` and `report` outputs), the many files of `build` through a
//! [`Folder`].
//!
//! - **Atomic.** A file's text goes to a temporary file `.quytrinh-PID-N.tmp` in the target's
//!   folder, which is then renamed over the target: a reader, or a run killed half-way,
//!   sees the old file or the new one, never a mix. `build` into a folder that does not exist
//!   yet writes the files under their own names into a temporary folder `.quytrinh-PID-N.tmp`
//!   beside it, which is renamed to the output folder's name once every file is written: the
//!   output folder appears whole, or not at all. Should the name be taken by then (another
//!   run got there first), the files are moved in one at a time, as into an existing folder.
//! - **Modes.** A new file gets the mode the umask gives (`0666 & !umask`, as any program's
//!   new file; not the 0600 of a private temporary file), a replaced file keeps its mode.
//! - **Symbolic links** are written through: the link's target gets the new text and the
//!   link stays a link.
//! - **Read-only files** (no write permission for anyone) are refused with a message, also
//!   for the superuser, who could otherwise replace them.
//! - **Hard links.** A rename would give the path a new file and leave the other names on
//!   the old text, so a file with several links is instead overwritten in place, once its
//!   complete new text is safe in the temporary file (which is then removed). That one write
//!   is not atomic; the temporary file holds the full text until it is done.
//! - **Existing files** of an output folder that a build does not write are left alone.
//! - **Stale temporary files and folders** left by a killed run (`.quytrinh-*.tmp` whose
//!   process is gone, or older than an hour) are removed from a folder the first time a run
//!   writes into it (for a new output folder: the folder that holds it).
//! - **Durability.** [`write_atomically`] syncs the file's data before the rename and the
//!   folder after it. A [`Folder`] syncs nothing file by file (but a file written through a
//!   symbolic link, which may be on another file system): [`Folder::sync`] syncs the output
//!   folder's file system once at the end, then the folder, and the folder holding it when
//!   the output folder is new. Meanwhile [`Folder::writeback`] has the system start writing
//!   the data every 50 ms, so that this sync has little left to wait for.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

/// Whether one write waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Durability {
    /// Sync the file before the rename and its folder after it.
    Durable,
    /// No sync; the folder's owner syncs everything once at the end ([`Folder::sync`]).
    Deferred,
}

/// A temporary file older than this is stale even when its process cannot be checked.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// The most symbolic links followed from one path.
const MAX_LINKS: usize = 40;

const PREFIX: &str = ".quytrinh-";
const SUFFIX: &str = ".tmp";

/// Writes `text` to `path` durably; see the module documentation.
pub fn write_atomically(path: &Path, text: impl AsRef<[u8]>) -> io::Result<()> {
    write(path, text.as_ref(), Durability::Durable)
}

/// Writes `bytes` to the file `path` names once its links are followed.
fn write(path: &Path, bytes: &[u8], durability: Durability) -> io::Result<()> {
    let (target, existing) = follow_links(path)?;
    let dir = folder_of(&target);
    clean_stale_once(&dir);
    replace(&dir, &target, existing.as_ref(), bytes, durability)
}

/// The folder `build` writes its files into, prepared once: every file is then written by
/// name, without looking the folder up again.
pub struct Folder {
    /// The output folder, as given.
    out: PathBuf,
    /// While a new output folder is being written: the temporary folder that becomes it, and
    /// the name it takes.
    staging: Option<(PathBuf, PathBuf)>,
    /// Whether the output folder is new (so that the folder holding it is synced too).
    new: bool,
}

impl Folder {
    /// Prepares `out`: an existing folder has its stale temporary files removed; in place of
    /// a missing one, a temporary folder is made beside it (the folders above it created).
    pub fn prepare(out: &Path) -> io::Result<Folder> {
        let missing =
            matches!(fs::symlink_metadata(out), Err(e) if e.kind() == io::ErrorKind::NotFound);
        if let (true, Some(name)) = (missing, out.file_name()) {
            let parent = folder_of(out);
            fs::create_dir_all(&parent)?;
            clean_stale_once(&parent);
            let (staging, ()) = create_unique(&parent, |path| fs::create_dir(path))?;
            return Ok(Folder {
                out: out.to_path_buf(),
                staging: Some((staging, parent.join(name))),
                new: true,
            });
        }
        fs::create_dir_all(out)?;
        clean_stale_once(out);
        Ok(Folder {
            out: out.to_path_buf(),
            staging: None,
            new: false,
        })
    }

    /// The path of the file `name` of the output folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.out.join(name)
    }

    /// Writes the file `name` of the output folder, unsynced. A build writes each name once.
    pub fn write(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        match &self.staging {
            // Nothing else is in the temporary folder: no link to follow, no file to keep.
            Some((staging, _)) => write_new(&staging.join(name), bytes),
            None => self.write_in_place(name.as_ref(), bytes),
        }
    }

    fn write_in_place(&self, name: &OsStr, bytes: &[u8]) -> io::Result<()> {
        let path = self.out.join(name);
        match fs::symlink_metadata(&path) {
            // The link may lead to another file system, which the final sync does not reach.
            Ok(meta) if meta.file_type().is_symlink() => write(&path, bytes, Durability::Durable),
            found => replace(
                &self.out,
                &path,
                found.ok().as_ref(),
                bytes,
                Durability::Deferred,
            ),
        }
    }

    /// Gives a new output folder its name, once every file is written; a no-op for an
    /// existing one.
    pub fn publish(&mut self) -> io::Result<()> {
        let Some((staging, name)) = self.staging.take() else {
            return Ok(());
        };
        if rename_to_free_name(&staging, &name).is_ok() {
            return Ok(());
        }
        // The name was taken meanwhile (or the file system cannot rename without replacing):
        // the files go in as into an existing folder.
        let moved = self.move_files_in(&staging);
        let _ = fs::remove_dir_all(&staging);
        moved
    }

    /// Moves every file of `staging` into the output folder, one at a time; the first error.
    fn move_files_in(&self, staging: &Path) -> io::Result<()> {
        fs::create_dir_all(&self.out)?;
        clean_stale_once(&self.out);
        let mut first_error = None;
        for entry in fs::read_dir(staging)? {
            let moved = entry.and_then(|entry| {
                let name = entry.file_name();
                fs::read(entry.path())
                    .and_then(|bytes| self.write_in_place(&name, &bytes))
                    .map_err(|e| {
                        io::Error::new(
                            e.kind(),
                            format!("`{}`: {e}", self.out.join(&name).display()),
                        )
                    })
            });
            if let Err(e) = moved {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Makes everything written durable with one sync: the output folder's file system
    /// (`syncfs` on Linux, `sync` on other Unix systems), then the folder itself, and the
    /// folder holding a new one.
    pub fn sync(&self) -> io::Result<()> {
        let folder = File::open(&self.out)?;
        #[cfg(target_os = "linux")]
        syncfs(&folder)?;
        #[cfg(all(unix, not(target_os = "linux")))]
        // SAFETY: `sync` takes no argument and cannot fail.
        unsafe {
            libc::sync()
        };
        #[cfg(unix)]
        folder.sync_all()?;
        #[cfg(not(unix))]
        let _ = folder;
        if self.new {
            sync_dir(&folder_of(&self.out))?;
        }
        Ok(())
    }
}

/// While it lives, a thread asks the system every [`Writeback::EVERY`] to start writing to
/// the disk what a build has written so far (`syncfs` on the folder's file system, on Linux;
/// nothing elsewhere), so that the one sync at its end finds little left: without it, the
/// system keeps a build's hundreds of megabytes in memory until that sync, which then writes
/// them all while the build waits. The thread stops and is joined when the value is dropped.
pub struct Writeback {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Writeback {
    const EVERY: Duration = Duration::from_millis(50);

    /// Starts writing back the file system that holds `folder` (which exists).
    pub fn start(folder: &Path) -> Writeback {
        #[cfg(target_os = "linux")]
        if let Ok(dir) = File::open(folder) {
            let (stop, stopped) = std::sync::mpsc::channel::<()>();
            let thread = std::thread::Builder::new()
                .name("writeback".into())
                .spawn(move || {
                    while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                        stopped.recv_timeout(Writeback::EVERY)
                    {
                        // A failure only leaves the writing to the final sync.
                        let _ = syncfs(&dir);
                    }
                })
                .ok();
            return Writeback {
                stop: Some(stop),
                thread,
            };
        }
        let _ = folder;
        Writeback {
            stop: None,
            thread: None,
        }
    }
}

impl Drop for Writeback {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Folder {
    /// Writes back, while the value lives, what is written into this folder ([`Writeback`]).
    pub fn writeback(&self) -> Writeback {
        Writeback::start(match &self.staging {
            Some((staging, _)) => staging,
            None => &self.out,
        })
    }
}

/// Has the system write to the disk everything written on the file system that holds
/// `file`, and waits for it (`syncfs`).
#[cfg(target_os = "linux")]
fn syncfs(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: `syncfs` only reads the descriptor, which `file` keeps open.
    if unsafe { libc::syncfs(file.as_raw_fd()) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Writes a file that nothing else can see yet (in a temporary folder); a failed write
/// leaves no file.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    let written = file.write_all(bytes);
    if written.is_err() {
        drop(file);
        let _ = fs::remove_file(path);
    }
    written
}

/// Renames the folder `from` to `to` if nothing has that name.
fn rename_to_free_name(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
        let (from, to) = (c(from)?, c(to)?);
        // SAFETY: both paths are NUL-terminated strings that live across the call.
        let renamed = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                from.as_ptr(),
                libc::AT_FDCWD,
                to.as_ptr(),
                libc::RENAME_NOREPLACE,
            )
        };
        if renamed == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
    #[cfg(not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))]
    {
        if fs::symlink_metadata(to).is_ok() {
            return Err(io::ErrorKind::AlreadyExists.into());
        }
        fs::rename(from, to)
    }
}

/// Writes `bytes` to `target` in `dir` through a temporary file, `existing` being what
/// `target` is now (a file, a folder or nothing; not a link).
fn replace(
    dir: &Path,
    target: &Path,
    existing: Option<&fs::Metadata>,
    bytes: &[u8],
    durability: Durability,
) -> io::Result<()> {
    if let Some(meta) = existing {
        if meta.is_dir() {
            return Err(io::Error::other("it is a folder"));
        }
        if meta.permissions().readonly() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the file is read-only; make it writable (for example `chmod u+w`) to let quytrinh rewrite it",
            ));
        }
    }
    let (tmp_path, file) = create_unique(dir, |path| {
        OpenOptions::new().write(true).create_new(true).open(path)
    })?;
    let result = finish(file, &tmp_path, target, dir, bytes, existing, durability);
    if result.is_err() {
        let _ = fs::remove_file(&tmp_path);
    }
    result
}

fn finish(
    mut file: File,
    tmp_path: &Path,
    target: &Path,
    dir: &Path,
    bytes: &[u8],
    existing: Option<&fs::Metadata>,
    durability: Durability,
) -> io::Result<()> {
    let durable = durability == Durability::Durable;
    file.write_all(bytes)?;
    if let Some(meta) = existing {
        file.set_permissions(meta.permissions())?;
    }
    if durable {
        file.sync_all()?;
    }
    drop(file);
    if existing.is_some_and(hard_linked) {
        let mut file = OpenOptions::new().write(true).truncate(true).open(target)?;
        file.write_all(bytes)?;
        if durable {
            file.sync_all()?;
        }
        return fs::remove_file(tmp_path);
    }
    fs::rename(tmp_path, target)?;
    if durable {
        sync_dir(dir)?;
    }
    Ok(())
}

/// Makes the names written into a folder durable (a no-op where folders cannot be synced).
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(unix)]
fn hard_linked(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() > 1
}

#[cfg(not(unix))]
fn hard_linked(_: &fs::Metadata) -> bool {
    false
}

fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// The file a path names once its symbolic links are followed (which need not exist yet),
/// and what it is, if anything.
fn follow_links(path: &Path) -> io::Result<(PathBuf, Option<fs::Metadata>)> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let to = fs::read_link(&current)?;
                current = if to.is_absolute() {
                    to
                } else {
                    folder_of(&current).join(to)
                };
            }
            found => return Ok((current, found.ok())),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links in a row"
    )))
}

/// This process's id, asked of the system once.
fn pid() -> u32 {
    static PID: OnceLock<u32> = OnceLock::new();
    *PID.get_or_init(std::process::id)
}

/// Makes a new temporary file or folder in `dir` with `make`, under a name no other made
/// by this run has; created with the default mode, so that the umask applies.
fn create_unique<T>(dir: &Path, make: impl Fn(&Path) -> io::Result<T>) -> io::Result<(PathBuf, T)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("{PREFIX}{}-{n}{SUFFIX}", pid()));
        match make(&path) {
            Ok(made) => return Ok((path, made)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1_000_000 => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Removes the stale temporary files and folders of `dir`, once per folder and run (so
/// that writing many files into one folder reads the folder once).
fn clean_stale_once(dir: &Path) {
    static CLEANED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    let key = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    {
        let Ok(mut cleaned) = CLEANED.lock() else {
            return;
        };
        if !cleaned.get_or_insert_with(HashSet::new).insert(key) {
            return;
        }
    }
    remove_stale(dir);
}

/// Removes the `.quytrinh-*.tmp` files and folders of `dir` no running quytrinh is writing.
fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(middle) = name
            .strip_prefix(PREFIX)
            .and_then(|n| n.strip_suffix(SUFFIX))
        else {
            continue;
        };
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let pid = middle
            .split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok());
        if !is_stale(pid, &meta) {
            continue;
        }
        // A link is left alone, and never followed.
        if meta.is_file() {
            let _ = fs::remove_file(entry.path());
        } else if meta.is_dir() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn is_stale(pid: Option<u32>, meta: &fs::Metadata) -> bool {
    if pid == Some(self::pid()) {
        return false;
    }
    let old = meta
        .modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .is_some_and(|age| age > STALE_AFTER);
    if old {
        return true;
    }
    // Where processes can be looked up (Linux), a temporary file whose process is gone is
    // stale at once.
    match pid {
        Some(pid) if Path::new("/proc/self").exists() => {
            !Path::new(&format!("/proc/{pid}")).exists()
        }
        _ => false,
    }
}
