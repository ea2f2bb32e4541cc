//! kinesis-sim: run the Kinesis Playground model from the command line.
//!
//! The command line is native only (its argument parser is not built for the browser);
//! built for wasm32, the program does nothing.

#[cfg(not(target_arch = "wasm32"))]
mod alarms;
#[cfg(not(target_arch = "wasm32"))]
mod args;
#[cfg(not(target_arch = "wasm32"))]
mod cloudwatch;
#[cfg(not(target_arch = "wasm32"))]
mod commands;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    commands::main()
}

/// Nothing to run in the browser: the page runs the model itself.
#[cfg(target_arch = "wasm32")]
fn main() {}
