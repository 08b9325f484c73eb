//! Every file quytrinh writes goes through [`write`]: `build`, `import -o`, `reengineer -o`
//! and `--write`, `fmt --write` and `render -o`.
//!
//! - **Atomic.** The text goes to a temporary file `.quytrinh-PID-N.tmp` in the target's
//!   folder, which is then renamed over the target: a reader, or a run killed half-way,
//!   sees the old file or the new one, never a mix.
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
//! - **Stale temporary files** left by a killed run (`.quytrinh-*.tmp` whose process is gone,
//!   or older than an hour) are removed from a folder the first time a run writes into it.
//! - **Durability.** [`Durability::Durable`] syncs the file's data before the rename and
//!   the folder after it. [`Durability::Deferred`] leaves both to the caller, which writes
//!   many files into one folder and calls [`sync_dir`] once at the end (`build`); on Linux it
//!   asks the system to start writing the data at once (`sync_file_range`), so that the final
//!   sync has little left to wait for.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Whether one write waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Sync the file before the rename and its folder after it.
    Durable,
    /// No sync; the caller calls [`sync_dir`] once it has written everything.
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

/// Writes `bytes` to `path`; see the module documentation.
pub fn write(path: &Path, bytes: &[u8], durability: Durability) -> io::Result<()> {
    let target = follow_links(path)?;
    let dir = folder_of(&target);
    clean_stale_once(&dir);
    let existing = fs::metadata(&target).ok();
    if let Some(meta) = &existing {
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
    let (tmp_path, file) = create_temp(&dir)?;
    let result = finish(
        file,
        &tmp_path,
        &target,
        &dir,
        bytes,
        existing.as_ref(),
        durability,
    );
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
    } else {
        start_writeback(&file);
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

/// Asks the system to start writing the file's data to the disk now, without waiting: the
/// one sync at the end of a deferred build then finds most of it written already.
fn start_writeback(file: &File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: `sync_file_range` only reads the descriptor, which `file` keeps open; a
        // failure (a file system without it) only leaves the writing to the final sync.
        unsafe {
            libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

/// Makes the names written into a folder durable (a no-op where folders cannot be synced).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
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

/// The file a path names once its symbolic links are followed (which need not exist yet).
fn follow_links(path: &Path) -> io::Result<PathBuf> {
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
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links in a row"
    )))
}

/// A new temporary file in `dir`, created with the default mode so that the umask applies.
fn create_temp(dir: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("{PREFIX}{}-{n}{SUFFIX}", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1_000_000 => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Removes the stale temporary files of `dir`, once per folder and run (so that writing
/// many files into one folder reads the folder once).
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

/// Removes the `.quytrinh-*.tmp` files of `dir` no running quytrinh is writing.
pub fn remove_stale(dir: &Path) {
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
        if !meta.is_file() {
            continue;
        }
        let pid = middle
            .split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok());
        if is_stale(pid, &meta) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn is_stale(pid: Option<u32>, meta: &fs::Metadata) -> bool {
    if pid == Some(std::process::id()) {
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
