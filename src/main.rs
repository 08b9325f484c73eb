//! The `quytrinh` command: parses the arguments and dispatches to `cli::<command>`.

/// mimalloc: `check` of a large project allocates millions of small names and nodes, and
/// spent about a third of its time in the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in the `mimalloc.h` of mimalloc 3 (libmimalloc-sys names no
/// constant for it); a test checks that it reads that option's default in mimalloc 3, 1000 ms.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // A command runs once and ends: memory it frees is soon used again, and giving it back
    // to the system to fault it in again cost up to a third of a large `check` in system
    // time. The language server runs for long, and the log readers (`audit`, `report`) stream
    // through blocks whose memory is better given back (a third less at peak, same time):
    // they give memory back as usual.
    if std::env::args_os()
        .nth(1)
        .is_none_or(|command| !matches!(command.to_str(), Some("lsp" | "audit" | "report")))
    {
        // SAFETY: sets one numeric option of the allocator, before any thread is started.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
    }
    // No command gains from transparent huge pages: the allocator's pages of each thread,
    // touched once, were rounded up to 2 MiB that the kernel zeroed — `build` of a 300-step
    // procedure peaked at 100 MB instead of 50, `check` of the 10,000-procedure corpus spent
    // 1.3 s of system time instead of 0.2, `audit` of a million dossiers 2.4 s instead of 0.5
    // (BENCHMARKS.md).
    #[cfg(target_os = "linux")]
    // SAFETY: sets a flag of this process, before any thread is started; no memory is touched.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // A reader that stops reading (`quytrinh explain | head`) ends the program quietly, as it
    // does every other command-line tool, rather than making the next print panic.
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal, before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    quytrinh::cli::main()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_of_mimalloc_3() {
        // SAFETY: reads one option of the allocator.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) },
            1000
        );
    }
}
