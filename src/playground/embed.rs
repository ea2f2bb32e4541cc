//! What a page using the JavaScript interface may ask for, checked without the
//! browser: the mount options and the view they make, a preset by name, a step count.
//! Each error names the argument; the interface adds the method in front.

use serde::Deserialize;

use super::charts::ChartId;
use super::view::{control_keys, View};
use crate::model::Config;
use crate::share::url::check_speed;
use crate::teach::presets;

/// Most ticks one `step` call runs (about 11.6 simulated days at 1 s ticks).
pub const MAX_STEP: u32 = 1_000_000;

/// What `mount`'s third argument may say.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbedOptions {
    /// The compact widget instead of the whole playground.
    #[serde(default)]
    pub compact: bool,
    /// Chart ids to show.
    pub charts: Option<Vec<String>>,
    /// Control keys to show.
    pub controls: Option<Vec<String>>,
    /// Simulated seconds per real second.
    pub speed: Option<u32>,
    /// Start running at once.
    #[serde(default)]
    pub autoplay: bool,
}

impl EmbedOptions {
    /// Options from JSON text; an unknown field is an error, not ignored.
    pub fn from_json(text: &str) -> Result<EmbedOptions, String> {
        serde_json::from_str(text).map_err(|e| format!("options: {e}"))
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

/// The ticks a `step(n)` call asks for (`None`: left out, one tick); anything but a
/// whole number from 0 to [`MAX_STEP`] is an error.
pub fn step_count(n: Option<f64>) -> Result<u32, String> {
    let n = n.unwrap_or(1.0);
    if n.fract() == 0.0 && (0.0..=f64::from(MAX_STEP)).contains(&n) {
        Ok(n as u32)
    } else {
        Err(format!(
            "n must be a whole number of ticks from 0 to {MAX_STEP}, not {n}"
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
        assert!(view(r#"{"colour": "red"}"#)
            .is_err_and(|e| e.starts_with("options: unknown field `colour`")));
        assert!(view(r#"{"compact": "yes"}"#).is_err_and(|e| e.starts_with("options: ")));
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
    fn step_counts_are_whole_and_bounded() {
        assert_eq!(step_count(None), Ok(1));
        assert_eq!(step_count(Some(0.0)), Ok(0));
        assert_eq!(step_count(Some(1e6)), Ok(1_000_000));
        for (n, shown) in [
            (-1.0, "-1"),
            (1.5, "1.5"),
            (2e6, "2000000"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "inf"),
        ] {
            assert_eq!(
                step_count(Some(n)),
                Err(format!(
                    "n must be a whole number of ticks from 0 to 1000000, not {shown}"
                ))
            );
        }
    }
}
