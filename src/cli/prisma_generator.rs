//! `drizzle-port prisma-generator`: the process `prisma generate` starts for
//! `provider = "drizzle-port prisma-generator"`. The protocol lives in
//! [`drizzle_port::generator`]; this file only wires it to stdin and stderr.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Args;

#[derive(Args)]
pub struct PrismaGeneratorArgs {}

pub fn run(_args: &PrismaGeneratorArgs) -> ExitCode {
    use std::io::IsTerminal as _;
    // Prisma always pipes stdin; a terminal means a person typed the command.
    if std::io::stdin().is_terminal() {
        eprintln!(
            "drizzle-port prisma-generator is started by `prisma generate`: add\n  generator drizzle {{\n    provider = \"drizzle-port prisma-generator\"\n    output   = \"../src/db\"\n  }}\nto schema.prisma and run `npx prisma generate` (see `drizzle-port prisma-generator --help`)"
        );
        return ExitCode::from(super::EXIT_ERROR);
    }
    let stdin = std::io::stdin().lock();
    // Responses go to stderr, one line each (stdout is the user's terminal under Prisma);
    // scrubbed like everything else drizzle-port prints.
    let respond = |line: &str| {
        let mut err = std::io::stderr().lock();
        writeln!(err, "{}", drizzle_port::connect::secrets::scrub(line))?;
        err.flush()
    };
    let cwd = std::env::current_dir().ok();
    match drizzle_port::generator::serve(cwd.as_deref(), stdin, respond) {
        Ok(()) => ExitCode::SUCCESS,
        // Prisma closed its end: nobody is left to tell.
        Err(_) => ExitCode::from(super::EXIT_ERROR),
    }
}
