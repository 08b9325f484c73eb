//! The `quytrinh` command: parses the arguments and dispatches to `cli::<command>`.

fn main() -> std::process::ExitCode {
    quytrinh::cli::main()
}
