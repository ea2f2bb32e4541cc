//! What a page using the JavaScript interface may ask for, checked without the
//! browser: the mount options and the view they make, a preset by name, a step count.
//! Each error names the argument; the interface adds the method in front.

use serde_json::Value;

use super::charts::ChartId;
use super::view::{control_keys, View};
use crate::format::{count, grouped, thousands};
use crate::model::Config;
use crate::share::url::{check_speed, parse_window, SPEEDS, WINDOWS};
use crate::teach::presets;

/// Most shard-ticks (ticks × open shards) one `step` call runs at once: 25,000 ticks
/// (almost 7 simulated hours) of a 2-shard stream, about a quarter of a second in
/// Chromium on a busy two-core machine (measured: 100,000 shard-ticks of scenario-1 in
/// 485 ms). `run` has no such bound: it runs in slices.
pub const STEP_WORK: u64 = 50_000;

/// Most ticks one `run` call runs: ten years at 1 s ticks.
pub const MAX_RUN: u64 = 315_360_000;

/// Wall time a `run` spends ticking in one animation frame, ms.
pub const SLICE_MS: f64 = 10.0;

/// The options `mount`'s third argument may give, in the order the messages list them.
pub const OPTIONS: [&str; 6] = [
    "compact", "charts", "controls", "speed", "window", "autoplay",
];

/// What `mount`'s third argument may say.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct EmbedOptions {
    /// The compact widget instead of the whole playground.
    pub compact: bool,
    /// Chart ids to show.
    pub charts: Option<Vec<String>>,
    /// Control keys to show.
    pub controls: Option<Vec<String>>,
    /// Simulated seconds per real second.
    pub speed: Option<u32>,
    /// The charts' window (`Some(None)`: the whole run), named as a link names it.
    pub window: Option<Option<u64>>,
    /// Start running at once.
    pub autoplay: bool,
}

/// A value as a message quotes it: scalars as JSON writes them, lists and objects by kind.
fn shown(value: &Value) -> String {
    match value {
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
        Value::String(s) if s.chars().count() > 40 => "a long string".into(),
        other => other.to_string(),
    }
}

/// A list of names, or `None` when `value` is anything else.
fn names(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

impl EmbedOptions {
    /// Options from JSON text: an object of the [`OPTIONS`] (a `null` one is left out);
    /// an unknown option or a value of the wrong kind is an error naming the option,
    /// what was given and what it takes.
    pub fn from_json(text: &str) -> Result<EmbedOptions, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| format!("options: {e}"))?;
        let Value::Object(map) = value else {
            return Err(format!(
                "options: {} is not accepted: it takes an object {{...}} of options",
                shown(&value)
            ));
        };
        let mut options = EmbedOptions::default();
        for (key, value) in map.iter().filter(|(_, v)| !v.is_null()) {
            let wrong = |takes: &str| {
                format!(
                    "options.{key}: {} is not accepted: it takes {takes}",
                    shown(value)
                )
            };
            match key.as_str() {
                "compact" => {
                    options.compact = value.as_bool().ok_or_else(|| wrong("true or false"))?
                }
                "autoplay" => {
                    options.autoplay = value.as_bool().ok_or_else(|| wrong("true or false"))?;
                }
                "charts" => {
                    options.charts =
                        Some(names(value).ok_or_else(|| {
                            wrong("a list of chart names, like [\"age\", \"loss\"]")
                        })?);
                }
                "controls" => {
                    options.controls = Some(
                        names(value)
                            .ok_or_else(|| wrong("a list of control names, like [\"shards\"]"))?,
                    );
                }
                "speed" => {
                    let speeds: Vec<String> = SPEEDS.iter().map(u32::to_string).collect();
                    let speed = value.as_u64().and_then(|s| u32::try_from(s).ok());
                    options.speed =
                        Some(speed.ok_or_else(|| wrong(&format!("one of {}", speeds.join(", "))))?);
                }
                "window" => {
                    let names: Vec<&str> = WINDOWS.iter().map(|(n, _)| *n).collect();
                    let window = value.as_str().and_then(|n| parse_window(n).ok());
                    options.window =
                        Some(window.ok_or_else(|| {
                            wrong(&format!("one of \"{}\"", names.join("\", \"")))
                        })?);
                }
                _ => {
                    return Err(format!(
                        "options.{key}: there is no such option; the options are {}",
                        OPTIONS.join(", ")
                    ))
                }
            }
        }
        Ok(options)
    }

    /// The view the options ask for: the widget or the whole page with the charts and
    /// controls named (the defaults where none are), never touching the page's address.
    /// An unknown chart, control or speed is an error.
    pub fn view(&self) -> Result<View, String> {
        let charts = self
            .charts
            .as_deref()
            .map(ChartId::parse_list)
            .transpose()
            .map_err(|e| format!("options.charts: {e}"))?;
        if let Some(controls) = &self.controls {
            let known = control_keys();
            if let Some(bad) = controls.iter().find(|c| !known.contains(c)) {
                return Err(format!(
                    "options.controls: {bad:?} is not one of {}",
                    known.join(", ")
                ));
            }
        }
        if let Some(speed) = self.speed {
            check_speed(speed).map_err(|e| format!("options.{e}"))?;
        }
        let mut view = if self.compact {
            View::widget(charts, self.controls.clone())
        } else {
            let mut full = View::full();
            if let Some(charts) = charts {
                full.charts = charts;
            }
            full.controls = self.controls.clone();
            full
        };
        view.owns_hash = false;
        view.links_full = false;
        Ok(view)
    }
}

/// The settings of the preset called `name`; an unknown name lists the known ones.
pub fn preset_config(name: &str) -> Result<Config, String> {
    presets::find(name).map(|p| p.config).ok_or_else(|| {
        let names: Vec<&str> = presets::all().iter().map(|p| p.name).collect();
        format!("{name:?} is not a preset; use one of {}", names.join(", "))
    })
}

/// The ticks a `step(n)` call asks for (`None`: left out, one tick) on a stream of
/// `shards` open shards: a whole number from 0 while ticks × shards stays within
/// [`STEP_WORK`]; more is an error that points to `run`.
pub fn step_count(n: Option<f64>, shards: u32) -> Result<u32, String> {
    let n = n.unwrap_or(1.0);
    let most = STEP_WORK / u64::from(shards.max(1));
    if n.fract() == 0.0 && (0.0..=most as f64).contains(&n) {
        Ok(n as u32)
    } else if n.fract() == 0.0 && n > most as f64 {
        Err(format!(
            "{} ticks at once would keep the page from answering; on {} at most {} \
             run in one step. run(n) runs any number in slices and returns a Promise",
            grouped(&n.to_string()),
            count(u64::from(shards), "shard", "shards"),
            thousands(most)
        ))
    } else {
        Err(format!("n must be a whole number of ticks from 0, not {n}"))
    }
}

/// The ticks a `run(n)` call asks for: a whole number from 0 to [`MAX_RUN`].
pub fn run_count(n: f64) -> Result<u64, String> {
    if n.fract() == 0.0 && (0.0..=MAX_RUN as f64).contains(&n) {
        Ok(n as u64)
    } else {
        Err(format!(
            "n must be a whole number of ticks from 0 to {}, not {}",
            thousands(MAX_RUN),
            grouped(&n.to_string())
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_make_a_view_that_keeps_the_pages_address() {
        let none = EmbedOptions::default().view().expect("valid");
        assert_eq!(none.charts, ChartId::ALL);
        assert_eq!(none.controls, None);
        assert!(!none.compact && !none.owns_hash && !none.links_full);
        let widget = EmbedOptions::from_json(
            r#"{"compact": true, "charts": ["age"], "controls": ["shards", "ms_per_record"]}"#,
        )
        .expect("valid")
        .view()
        .expect("valid");
        assert_eq!(widget.charts, [ChartId::Age]);
        assert_eq!(
            widget.controls,
            Some(vec!["shards".to_string(), "ms_per_record".to_string()])
        );
        assert!(widget.compact && !widget.owns_hash && !widget.links_full);
        let plain_widget = EmbedOptions::from_json(r#"{"compact": true}"#)
            .and_then(|o| o.view())
            .expect("valid");
        assert_eq!(plain_widget.charts, [ChartId::Incoming, ChartId::Age]);
    }

    #[test]
    fn unknown_options_charts_controls_and_speeds_are_errors() {
        let view = |json: &str| EmbedOptions::from_json(json).and_then(|o| o.view());
        assert_eq!(
            view(r#"{"charts": ["age", "pie"]}"#),
            Err("options.charts: \"pie\" is not one of incoming, throttled, age, loss, lambda, reads, processed, errors, shards".into())
        );
        assert!(
            view(r#"{"controls": ["colour"]}"#).is_err_and(|e| e.starts_with(
                "options.controls: \"colour\" is not one of instances, records_per_sec,"
            ))
        );
        assert_eq!(
            view(r#"{"speed": 0}"#),
            Err("options.speed: 0 is not one of 1, 60, 600, 3600, 21600, 86400".into())
        );
        assert_eq!(
            view(r#"{"colour": "red"}"#),
            Err("options.colour: there is no such option; the options are compact, charts, controls, speed, window, autoplay".into())
        );
        assert_eq!(
            view(r#"{"compact": "yes"}"#),
            Err("options.compact: \"yes\" is not accepted: it takes true or false".into())
        );
        assert_eq!(
            view(r#"{"charts": "age"}"#),
            Err("options.charts: \"age\" is not accepted: it takes a list of chart names, like [\"age\", \"loss\"]".into())
        );
        assert_eq!(
            view(r#"{"controls": [1]}"#),
            Err("options.controls: a list is not accepted: it takes a list of control names, like [\"shards\"]".into())
        );
        assert_eq!(
            view(r#"{"speed": "fast"}"#),
            Err("options.speed: \"fast\" is not accepted: it takes one of 1, 60, 600, 3600, 21600, 86400".into())
        );
        assert_eq!(
            view(r#"{"window": "1h"}"#),
            Err("options.window: \"1h\" is not accepted: it takes one of \"15m\", \"6h\", \"2d\", \"all\"".into())
        );
        assert_eq!(
            view("[1, 2]"),
            Err("options: a list is not accepted: it takes an object {...} of options".into())
        );
        // Left out or null: the default; the parser's own words never show.
        assert_eq!(
            view(r#"{"speed": null, "window": "all"}"#).map(|v| v.compact),
            Ok(false)
        );
        for bad in [r#"{"colour": 1}"#, r#"{"autoplay": 1}"#, r#"{"speed": -1}"#] {
            let err = view(bad).expect_err(bad);
            assert!(!err.contains('`') && !err.contains("expected"), "{err}");
        }
    }

    #[test]
    fn windows_are_read_by_their_link_names() {
        let window = |json: &str| EmbedOptions::from_json(json).map(|o| o.window);
        assert_eq!(window(r#"{"window": "15m"}"#), Ok(Some(Some(900))));
        assert_eq!(window(r#"{"window": "2d"}"#), Ok(Some(Some(172_800))));
        assert_eq!(window(r#"{"window": "all"}"#), Ok(Some(None)));
        assert_eq!(window("{}"), Ok(None));
    }

    #[test]
    fn presets_by_name() {
        assert_eq!(
            preset_config("scenario-1"),
            Ok(presets::find("scenario-1").expect("known").config)
        );
        assert!(preset_config("nope")
            .is_err_and(|e| e.starts_with("\"nope\" is not a preset; use one of healthy, ")));
    }

    #[test]
    fn step_counts_are_whole_and_bounded_by_the_work() {
        assert_eq!(step_count(None, 2), Ok(1));
        assert_eq!(step_count(Some(0.0), 2), Ok(0));
        // 25,000 ticks of two shards is the most; one tick more is refused and names run().
        assert_eq!(step_count(Some(25_000.0), 2), Ok(25_000));
        assert_eq!(
            step_count(Some(25_001.0), 2),
            Err(
                "25,001 ticks at once would keep the page from answering; on 2 shards at \
                 most 25,000 run in one step. run(n) runs any number in slices and returns \
                 a Promise"
                    .into()
            )
        );
        assert_eq!(step_count(Some(50_000.0), 1), Ok(50_000));
        assert!(
            step_count(Some(50_001.0), 1).is_err_and(|e| e.contains("on 1 shard at most 50,000"))
        );
        assert_eq!(step_count(Some(5.0), 10_000), Ok(5));
        assert!(step_count(Some(6.0), 10_000).is_err());
        for (n, shown) in [
            (-1.0, "-1"),
            (1.5, "1.5"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(
                step_count(Some(n), 2),
                Err(format!(
                    "n must be a whole number of ticks from 0, not {shown}"
                ))
            );
        }
    }

    #[test]
    fn run_counts_are_whole_and_at_most_ten_years() {
        assert_eq!(run_count(0.0), Ok(0));
        assert_eq!(run_count(315_360_000.0), Ok(MAX_RUN));
        for n in [315_360_001.0, -1.0, 0.5, f64::NAN, f64::INFINITY] {
            assert!(
                run_count(n).is_err_and(|e| e
                    .starts_with("n must be a whole number of ticks from 0 to 315,360,000, not ")),
                "{n}"
            );
        }
    }
}
