//! ARCHITECTURE.md's rules that code can check, read from the source tree:
//! - the model never imports the teaching, sharing, page or browser modules;
//! - only `src/web` names the browser's crates (`wasm_bindgen`, `web_sys`, `js_sys`);
//! - no Rust file in `src/`, `tests/` or `benches/` is over 500 lines;
//! - every Rust file in `src/` starts with a `//!` comment saying what it holds.
//!
//! Each test lists every violation it finds, not only the first.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// Longest a source file may be, in lines.
const MAX_LINES: usize = 500;

/// Modules of the crate the model may not import: those that use it.
const NOT_IN_MODEL: [&str; 4] = ["teach", "share", "playground", "web"];

/// The browser's crates, named only in `src/web`.
const BROWSER: [&str; 3] = ["wasm_bindgen", "web_sys", "js_sys"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Fails listing every violation, if there is any.
fn none(what: &str, violations: Vec<String>) {
    assert!(
        violations.is_empty(),
        "{} {what}:\n  {}",
        violations.len(),
        violations.join("\n  ")
    );
}

/// The code of `line`, without a `//` comment (doc comments may name other modules).
fn code(line: &str) -> &str {
    line.split("//").next().unwrap_or_default()
}

/// The statements of `text` (comments left out), each with the line it starts on.
fn statements(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (n, line) in text.lines().enumerate() {
        let line = code(line).trim();
        if current.is_empty() {
            start = n + 1;
        }
        for c in line.chars() {
            current.push(c);
            if matches!(c, ';' | '{' | '}') && !current.trim_start().starts_with("use ") || c == ';'
            {
                out.push((start, std::mem::take(&mut current)));
                start = n + 1;
            }
        }
        current.push(' ');
    }
    out.push((start, current));
    out
}

/// Whether `statement` names crate module `module`: a `crate::module` path, or a
/// `use crate::{...}` list holding it.
fn names_module(statement: &str, module: &str) -> bool {
    let path = format!("crate::{module}");
    let named = statement.match_indices(&path).any(|(i, _)| {
        !statement[i + path.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
    });
    let listed = statement.trim_start().starts_with("use crate::{")
        && statement
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == module);
    named || listed
}

#[test]
fn the_model_never_imports_teaching_sharing_or_page_code() {
    let mut violations = Vec::new();
    for path in rust_files(&root().join("src/model")) {
        for (line, statement) in statements(&read(&path)) {
            for module in NOT_IN_MODEL.iter().filter(|m| names_module(&statement, m)) {
                let at = shown(&path);
                violations.push(format!("{at}:{line}: {module}: {}", statement.trim()));
            }
        }
    }
    none("imports from src/model of modules that use it", violations);
}

#[test]
fn only_the_web_module_names_the_browser() {
    let web = root().join("src/web");
    let mut violations = Vec::new();
    for path in rust_files(&root().join("src")) {
        if path.starts_with(&web) {
            continue;
        }
        for (n, line) in read(&path).lines().enumerate() {
            for name in BROWSER.iter().filter(|b| code(line).contains(*b)) {
                violations.push(format!(
                    "{}:{}: {name}: {}",
                    shown(&path),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    none("names of the browser's crates outside src/web", violations);
}

#[test]
fn no_source_file_is_over_500_lines() {
    let mut violations = Vec::new();
    for dir in ["src", "tests", "benches"] {
        for path in rust_files(&root().join(dir)) {
            let lines = read(&path).lines().count();
            if lines > MAX_LINES {
                violations.push(format!("{}: {lines} lines", shown(&path)));
            }
        }
    }
    none(&format!("files over {MAX_LINES} lines"), violations);
}

#[test]
fn every_module_starts_by_saying_what_it_holds() {
    let violations = rust_files(&root().join("src"))
        .into_iter()
        .filter(|path| !read(path).trim_start().starts_with("//!"))
        .map(|path| format!("{}: no leading //! comment", shown(&path)))
        .collect();
    none("modules without a //! comment", violations);
}

#[test]
fn the_checks_see_the_tree() {
    // The walks find the files they are about, so an empty walk cannot pass for a clean one.
    let model = rust_files(&root().join("src/model"));
    assert!(
        model.iter().any(|p| p.ends_with("src/model/mod.rs")),
        "{model:?}"
    );
    assert!(rust_files(&root().join("tests"))
        .iter()
        .any(|p| p.ends_with("tests/architecture.rs")));
    assert_eq!(
        code("use crate::teach; // crate::web"),
        "use crate::teach; "
    );
    assert_eq!(code("//! crate::web"), "");
}
