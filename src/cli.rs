//! The command line: one module per subcommand, each a thin layer over the
//! library.

mod check;
mod eval;
mod order_check;
mod output;
mod session;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Credit policies as code: check a credit policy and evaluate it against a
/// receivables ledger.
#[derive(Debug, Parser)]
#[command(name = "solvent", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Check(check::CheckArgs),
    Eval(eval::EvalArgs),
    OrderCheck(order_check::OrderCheckArgs),
}

/// Exit codes: 0 success, 1 the policy or the data has errors, 2 usage error.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    pub const ERRORS: u8 = 1;
    pub const USAGE: u8 = 2;
}

/// Parses the arguments and runs the subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::OrderCheck(args) => order_check::run(&args),
    };
    ExitCode::from(code)
}
