//! The `quytrinh` command: parses the arguments and dispatches to `cli::<command>`.

fn main() -> std::process::ExitCode {
    // A reader that stops reading (`quytrinh explain | head`) ends the program quietly, as it
    // does every other command-line tool, rather than making the next print panic.
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal, before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    quytrinh::cli::main()
}
