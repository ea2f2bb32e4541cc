//! The page's menus: scenario, speed, chart window and traffic shape, with what each
//! offers and how a choice reads back. A choice the menu does not offer is an error.

use super::actions::UiControl;
use crate::format::{axis_duration, thousands};
use crate::model::config::CapacityMode;
use crate::model::{Config, Shape};
use crate::share::url::{check_speed, SPEEDS};
use crate::teach::presets::{self, Preset};

/// What a menu's choice edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// A page control (`data-ui`).
    Ui(UiControl),
    /// A settings path (`data-select`); each option's value is JSON.
    Setting(&'static str),
}

/// A labelled `<select>` with a help line.
#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    /// Element id (before it is scoped to its playground).
    pub id: &'static str,
    /// Visible label.
    pub label: &'static str,
    /// What a choice edits.
    pub binding: Binding,
    /// (value, text) of each option, in order.
    pub options: Vec<(String, String)>,
    /// The value chosen when the menu is built.
    pub selected: String,
    /// The help line under it.
    pub help: &'static str,
}

/// Speed of a new playground: an hour a second.
pub const DEFAULT_SPEED: u32 = 3_600;

/// The scenario menu: "your own settings" then every preset, `preset` chosen.
pub fn scenario_menu(preset: Option<&str>) -> Menu {
    let mut options = vec![(String::new(), "your own settings".to_string())];
    options.extend(
        presets::all()
            .iter()
            .map(|p| (p.name.to_string(), p.title.to_string())),
    );
    Menu {
        id: "kp-preset",
        label: "Start from",
        binding: Binding::Ui(UiControl::Preset),
        options,
        selected: preset.unwrap_or_default().to_string(),
        help: "A scenario to start from, with its question and a fix; or keep your own settings.",
    }
}

/// The scenario a choice of the scenario menu names: `None` for "your own settings"
/// (the empty choice), an error for a name no preset has.
pub fn scenario(choice: &str) -> Result<Option<Preset>, String> {
    if choice.is_empty() {
        return Ok(None);
    }
    presets::find(choice)
        .map(Some)
        .ok_or_else(|| format!("{choice:?} is not a scenario"))
}

/// The speed menu, `speed` chosen.
pub fn speed_menu(speed: u32) -> Menu {
    Menu {
        id: "kp-speed",
        label: "Speed",
        binding: Binding::Ui(UiControl::Speed),
        options: SPEEDS
            .iter()
            .map(|s| (s.to_string(), format!("{}×", thousands(u64::from(*s)))))
            .collect(),
        selected: speed.to_string(),
        help: "Simulated seconds per real second; 86,400× runs a day per second.",
    }
}

/// A speed chosen in the speed menu; a number it does not offer is an error.
pub fn parse_speed(choice: &str) -> Result<u32, String> {
    let speed = choice
        .parse()
        .map_err(|_| format!("speed: {choice:?} is not a number"))?;
    check_speed(speed).map_err(|e| e.to_string())
}

/// The chart windows offered: seconds shown (`None`: the whole run) and their names.
pub const WINDOWS: [(Option<u64>, &str); 4] = [
    (Some(900), "last 15 min"),
    (Some(21_600), "last 6 h"),
    (Some(172_800), "last 2 days"),
    (None, "whole run"),
];

/// The window of a new playground: the last 6 hours.
pub const DEFAULT_WINDOW_S: Option<u64> = Some(21_600);

/// The menu value of a window: its seconds, or "all" for the whole run.
pub fn window_value(window_s: Option<u64>) -> String {
    window_s.map_or_else(|| "all".to_string(), |s| s.to_string())
}

/// The chart-window menu, `window_s` chosen.
pub fn window_menu(window_s: Option<u64>) -> Menu {
    Menu {
        id: "kp-window",
        label: "Chart window",
        binding: Binding::Ui(UiControl::Window),
        options: WINDOWS
            .iter()
            .map(|(w, name)| (window_value(*w), name.to_string()))
            .collect(),
        selected: window_value(window_s),
        help: "How much simulated time the charts show.",
    }
}

/// A window chosen in the window menu; a value it does not offer is an error.
pub fn parse_window(choice: &str) -> Result<Option<u64>, String> {
    WINDOWS
        .iter()
        .map(|(w, _)| *w)
        .find(|w| window_value(*w) == choice)
        .ok_or_else(|| {
            let offered: Vec<String> = WINDOWS.iter().map(|(w, _)| window_value(*w)).collect();
            format!(
                "chart window: {choice:?} is not one of {}",
                offered.join(", ")
            )
        })
}

/// The traffic shapes the menu always offers.
fn offered_shapes() -> [Shape; 3] {
    [
        Shape::Constant,
        Shape::Daily {
            peak_hour: 14.0,
            trough: 0.3,
        },
        Shape::Surge {
            every_s: 3_600,
            duration_s: 300,
            multiplier: 3.0,
        },
    ]
}

/// The settings path of the shape menu.
pub const SHAPE_PATH: &str = "producers.0.shape";

/// A shape's name in the menu: "constant", "daily cycle, peak 14:00, low 30 %",
/// "surge ×1.8 for 20 s every 15 min", "batches every 5 s".
pub fn shape_name(shape: &Shape) -> String {
    let short = |s: u32| axis_duration(&(f64::from(s) * 1_000.0));
    match shape {
        Shape::Constant => "constant".to_string(),
        Shape::Daily { peak_hour, trough } => format!(
            "daily cycle, peak {:02}:{:02}, low {:.0} %",
            peak_hour.floor() as u32 % 24,
            (peak_hour.fract() * 60.0).round() as u32 % 60,
            trough * 100.0
        ),
        Shape::Surge {
            every_s,
            duration_s,
            multiplier,
        } => format!(
            "surge ×{} for {} every {}",
            trim(*multiplier),
            short(*duration_s),
            short(*every_s)
        ),
        Shape::Batches { flush_every_s } => format!("batches every {}", short(*flush_every_s)),
    }
}

/// A multiplier without trailing zeros: 3 → "3", 1.8 → "1.8", 1.25 → "1.25".
fn trim(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The first producer's traffic shape menu: the shapes always offered, plus the run's own
/// shape when it is none of them, which is chosen. The menu is rebuilt when the settings
/// change, so it always names the shape the run has.
pub fn shape_menu(config: &Config) -> Menu {
    let mut shapes = offered_shapes().to_vec();
    let current = config.producers.first().map(|p| p.shape.clone());
    if let Some(shape) = &current {
        if !shapes.contains(shape) {
            shapes.push(shape.clone());
        }
    }
    // Through a `Value`, as the config's other serialisations go (one copy in the module).
    let value = |shape: &Shape| {
        serde_json::to_value(shape).map_or_else(|_| String::new(), |v| v.to_string())
    };
    Menu {
        id: "kp-shape",
        label: "Traffic shape",
        binding: Binding::Setting(SHAPE_PATH),
        options: shapes.iter().map(|s| (value(s), shape_name(s))).collect(),
        selected: current.as_ref().map(value).unwrap_or_default(),
        help: "Constant, a daily cycle, surges, or batches all instances send in the same second: seconds above the write limit are throttled and retried.",
    }
}

/// The settings path of the capacity mode menu.
pub const MODE_PATH: &str = "stream.mode";

/// The capacity mode menu, the run's mode chosen. A switch AWS refuses (a third in
/// 24 h, leaving Advantage with warm throughput) is refused with the reason.
pub fn mode_menu(config: &Config) -> Menu {
    let value = |m: CapacityMode| format!("\"{}\"", m.key());
    Menu {
        id: "kp-mode",
        label: "Capacity mode",
        binding: Binding::Setting(MODE_PATH),
        options: CapacityMode::ALL
            .iter()
            .map(|&m| (value(m), m.title().to_string()))
            .collect(),
        selected: value(config.stream.mode),
        help: "Provisioned: you set the shards. On-demand: the stream adds shards by itself, 15 minutes after traffic passes half its capacity, so a jump over double the peak is throttled meanwhile; Advantage adds warm throughput and lower per-GB prices for a 25 MiB/s commitment. Two switches a day.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_read_back_and_unknown_ones_are_errors() {
        let menu = speed_menu(DEFAULT_SPEED);
        assert_eq!(menu.selected, "3600");
        assert_eq!(menu.options[3], ("3600".to_string(), "3,600×".to_string()));
        assert_eq!(menu.options[5].1, "86,400×");
        assert_eq!(parse_speed("86400"), Ok(86_400));
        assert_eq!(
            parse_speed("7"),
            Err("speed: 7 is not one of 1, 60, 600, 3600, 21600, 86400".to_string())
        );
        assert_eq!(
            parse_speed("fast"),
            Err("speed: \"fast\" is not a number".to_string())
        );
    }

    #[test]
    fn windows_read_back_and_unknown_ones_are_errors() {
        let menu = window_menu(DEFAULT_WINDOW_S);
        assert_eq!(menu.selected, "21600");
        let values: Vec<&str> = menu.options.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(values, ["900", "21600", "172800", "all"]);
        assert_eq!(menu.options[3].1, "whole run");
        assert_eq!(parse_window("900"), Ok(Some(900)));
        assert_eq!(parse_window("all"), Ok(None));
        assert_eq!(
            parse_window("60"),
            Err("chart window: \"60\" is not one of 900, 21600, 172800, all".to_string())
        );
    }

    #[test]
    fn the_scenario_menu_lists_every_preset_after_your_own_settings() {
        let menu = scenario_menu(Some("scenario-3"));
        assert_eq!(menu.options.len(), presets::all().len() + 1);
        assert_eq!(
            menu.options[0],
            (String::new(), "your own settings".to_string())
        );
        assert_eq!(menu.selected, "scenario-3");
        assert_eq!(scenario_menu(None).selected, "");
        assert!(scenario("").is_ok_and(|p| p.is_none()));
        assert!(scenario("scenario-3").is_ok_and(|p| p.is_some_and(|p| p.name == "scenario-3")));
        assert_eq!(
            scenario("scenario-99").map(|_| ()),
            Err("\"scenario-99\" is not a scenario".to_string())
        );
    }

    #[test]
    fn the_shape_menu_names_the_runs_own_shape() {
        let mut config = Config::default();
        let menu = shape_menu(&config);
        assert_eq!(menu.selected, r#"{"type":"constant"}"#);
        assert_eq!(menu.binding, Binding::Setting("producers.0.shape"));
        let names: Vec<&str> = menu.options.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "constant",
                "daily cycle, peak 14:00, low 30 %",
                "surge ×3 for 5 min every 1 h"
            ]
        );
        // Scenario 2's burst is not one the menu offers: it is added and chosen.
        config.producers[0].shape = Shape::Surge {
            every_s: 900,
            duration_s: 20,
            multiplier: 1.8,
        };
        let menu = shape_menu(&config);
        assert_eq!(menu.options.len(), 4);
        assert_eq!(menu.options[3].1, "surge ×1.8 for 20 s every 15 min");
        assert_eq!(menu.selected, menu.options[3].0);
        // A daily peak at half past nine.
        config.producers[0].shape = Shape::Daily {
            peak_hour: 9.5,
            trough: 0.25,
        };
        assert_eq!(
            shape_menu(&config).options[3].1,
            "daily cycle, peak 09:30, low 25 %"
        );
        // A job that sends what it buffered every 5 s, or every 2 min.
        config.producers[0].shape = Shape::Batches { flush_every_s: 5 };
        assert_eq!(shape_menu(&config).options[3].1, "batches every 5 s");
        config.producers[0].shape = Shape::Batches { flush_every_s: 120 };
        assert_eq!(shape_menu(&config).options[3].1, "batches every 2 min");
        config.producers.clear();
        assert_eq!(shape_menu(&config).options.len(), 3);
        assert_eq!(shape_menu(&config).selected, "");
    }

    #[test]
    fn every_shape_option_is_a_valid_shape_that_reads_back() {
        let mut config = Config::default();
        config.producers[0].shape = Shape::Surge {
            every_s: 900,
            duration_s: 20,
            multiplier: 1.8,
        };
        for (json, name) in shape_menu(&config).options {
            let value = crate::model::config::json_value(&json).expect("JSON");
            let shape: Shape = crate::model::config::typed(&value).expect("a shape");
            let mut with = Config::default();
            with.producers[0].shape = shape;
            assert_eq!(with.validate(), Ok(()), "{name}");
            assert_eq!(shape_menu(&with).selected, json, "{name}");
        }
    }
}
