fn main() -> std::process::ExitCode {
    solvent::cli::run()
}
