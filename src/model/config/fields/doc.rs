//! The settings table written out: as Markdown for `docs/config.md` and as plain text
//! for `kinesis-sim fields`.

use super::Section::{Account, Kcl, Lambda, Producer, Run, Stream};
use super::FIELDS;

/// The table as Markdown, one section per part of the config (`docs/config.md`).
pub fn markdown() -> String {
    let mut out = String::from(
        "# Settings\n\nEvery numeric setting of a config, its allowed values, unit and default.\n\
         Entries of `producers` and `consumers` are addressed by their `name` (`*` below).\n",
    );
    for section in [Run, Stream, Account, Producer, Lambda, Kcl] {
        out.push_str(&format!(
            "\n## {}\n\n| path | values | unit | default | what it does |\n|---|---|---|---|---|\n",
            section.title()
        ));
        for fl in FIELDS.iter().filter(|fl| fl.section == section) {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                fl.pattern(),
                fl.range_text(),
                fl.unit.symbol(),
                fl.default_text(),
                fl.about
            ));
        }
    }
    out.push_str(super::super::events::EVENTS_DOC);
    out
}

/// The table as plain text for a terminal: a heading per section, then one line per
/// setting with its path, allowed values, unit and default, and a line saying what it does.
pub fn listing() -> String {
    let mut out = String::new();
    for section in [Run, Stream, Account, Producer, Lambda, Kcl] {
        out.push_str(section.title());
        out.push('\n');
        for fl in FIELDS.iter().filter(|fl| fl.section == section) {
            let unit = match fl.unit.symbol() {
                "" => String::new(),
                symbol => format!(" {symbol}"),
            };
            out.push_str(&format!(
                "  {:<44} {}{unit}, default {}\n      {}\n",
                fl.pattern(),
                fl.range_text(),
                fl.default_text(),
                fl.about
            ));
        }
    }
    out
}
