//! The README's examples work: every JSON config in it parses and validates, and every
//! preset its commands name exists.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::Config;
use kinesis_playground::teach::presets;

const README: &str = include_str!("../README.md");

/// The bodies of the fenced blocks of markdown `text` whose info string is `lang`.
fn fenced(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut current, fence) {
            (None, Some(info)) if info.trim() == lang => current = Some(String::new()),
            (Some(body), Some(_)) => {
                out.push(std::mem::take(body));
                current = None;
            }
            (Some(body), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, _) => {}
        }
    }
    out
}

/// The README's fenced blocks in `lang`.
fn blocks(lang: &str) -> Vec<String> {
    fenced(README, lang)
}

#[test]
fn the_block_finder_finds_fenced_blocks_by_language() {
    let text =
        "a\n```json\n{\"seed\": 1}\n```\n```sh\nls\n```\n  ```json\n[]\n  ```\n```\nx\n```\n";
    assert_eq!(fenced(text, "json"), ["{\"seed\": 1}\n", "[]\n"]);
    assert_eq!(fenced(text, "sh"), ["ls\n"]);
    assert!(fenced(text, "rust").is_empty());
}

#[test]
fn every_json_config_in_the_readme_parses_and_validates() {
    let configs = blocks("json");
    assert!(!configs.is_empty(), "the README shows a config");
    for text in &configs {
        let config = Config::from_json(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(!config.producers.is_empty() && !config.consumers.is_empty());
    }
}

/// Preset names the README uses: after `--preset` and `presets` in its shell commands,
/// and after `preset=` in its links.
fn preset_names() -> Vec<String> {
    let mut names = Vec::new();
    for line in blocks("sh").iter().flat_map(|b| b.lines()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2) {
            if matches!(pair[0], "--preset" | "presets") && !pair[1].starts_with(['>', '#', '-']) {
                names.push(pair[1].to_string());
            }
        }
    }
    for line in README.lines() {
        for (i, _) in line.match_indices("preset=") {
            let rest = &line[i + "preset=".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(rest.len());
            if end > 0 {
                names.push(rest[..end].to_string());
            }
        }
    }
    names
}

#[test]
fn every_preset_the_readme_names_exists() {
    let names = preset_names();
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        assert!(
            presets::find(&name).is_some(),
            "the README names no preset {name:?}"
        );
    }
}
