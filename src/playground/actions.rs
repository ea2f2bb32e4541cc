//! What the page's buttons and menus do. Buttons carry an [`Action`] in `data-action`,
//! the menus and the file input that are not settings carry a [`UiControl`] in
//! `data-ui`; both are read back here, and a string that names neither is an error.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

use super::charts::ChartId;
use super::consumers::ConsumerKind;

/// What a button does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Starts or stops time.
    Play,
    /// Runs one tick.
    Step,
    /// Restarts from time 0 with the settings as they are now.
    Reset,
    /// Applies the loaded scenario's fix to the running settings.
    Fix,
    /// Restarts the loaded scenario from time 0 as written, without the fix.
    Replay,
    /// Runs on from the checkpoint the lesson paused at.
    Continue,
    /// Adds a consumer of this kind with a fresh name.
    Add(ConsumerKind),
    /// Removes the consumer with this name.
    Remove(String),
    /// Copies a link to these settings.
    CopyLink,
    /// Downloads the metric history as CSV.
    SeriesCsv,
    /// Downloads the settings as JSON.
    ConfigJson,
    /// Downloads a chart as PNG.
    Png(ChartId),
    /// Adds the alarm written in the new-alarm field.
    AddAlarm,
    /// Removes the alarm at this position.
    RemoveAlarm(usize),
}

impl Action {
    /// Whether the action saves or copies something and leaves the run alone.
    pub fn is_export(&self) -> bool {
        matches!(
            self,
            Action::CopyLink | Action::SeriesCsv | Action::ConfigJson | Action::Png(_)
        )
    }
}

impl fmt::Display for Action {
    /// The `data-action` text: `play`, `add-ecs`, `remove:lambda`, `png:age`…
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Play => f.write_str("play"),
            Action::Step => f.write_str("step"),
            Action::Reset => f.write_str("reset"),
            Action::Fix => f.write_str("fix"),
            Action::Replay => f.write_str("replay"),
            Action::Continue => f.write_str("continue"),
            Action::Add(kind) => write!(f, "add-{}", kind.stem()),
            Action::Remove(name) => write!(f, "remove:{name}"),
            Action::CopyLink => f.write_str("copy-link"),
            Action::SeriesCsv => f.write_str("csv"),
            Action::ConfigJson => f.write_str("config-json"),
            Action::Png(chart) => write!(f, "png:{chart}"),
            Action::RemoveAlarm(i) => write!(f, "remove-alarm:{i}"),
            Action::AddAlarm => f.write_str("add-alarm"),
        }
    }
}

impl FromStr for Action {
    type Err = String;

    /// An action from its `data-action` text.
    fn from_str(text: &str) -> Result<Self, String> {
        let action = match text {
            "play" => Action::Play,
            "step" => Action::Step,
            "reset" => Action::Reset,
            "fix" => Action::Fix,
            "replay" => Action::Replay,
            "continue" => Action::Continue,
            "copy-link" => Action::CopyLink,
            "csv" => Action::SeriesCsv,
            "config-json" => Action::ConfigJson,
            "add-alarm" => Action::AddAlarm,
            _ => {
                if let Some(i) = text.strip_prefix("remove-alarm:") {
                    Action::RemoveAlarm(i.parse().map_err(|_| format!("{text:?} names no alarm"))?)
                } else if let Some(kind) = text.strip_prefix("add-") {
                    Action::Add(ConsumerKind::from_stem(kind)?)
                } else if let Some(name) = text.strip_prefix("remove:") {
                    Action::Remove(name.to_string())
                } else if let Some(chart) = text.strip_prefix("png:") {
                    Action::Png(chart.parse()?)
                } else {
                    return Err(format!("{text:?} is not an action of the page"));
                }
            }
        };
        Ok(action)
    }
}

/// A button: its text, what it does, and how it is marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    /// Visible text.
    pub text: String,
    /// What a click does.
    pub action: Action,
    /// A longer name for screen readers, when the text is terse.
    pub aria_label: Option<String>,
    /// CSS class ("" for none).
    pub class: &'static str,
}

impl Button {
    fn plain(text: &str, action: Action) -> Button {
        Button {
            text: text.to_string(),
            action,
            aria_label: None,
            class: "",
        }
    }
}

/// The time buttons: Play (its text follows the state), Step, Reset.
pub fn time_buttons() -> [Button; 3] {
    [
        Button::plain(play_label(false), Action::Play),
        Button::plain("Step", Action::Step),
        Button::plain("Reset", Action::Reset),
    ]
}

/// The Play button's text: what a click would do.
pub fn play_label(playing: bool) -> &'static str {
    if playing {
        "Pause"
    } else {
        "Play"
    }
}

/// One button per consumer kind that adds one.
pub fn add_buttons() -> [Button; 2] {
    ConsumerKind::ALL.map(|kind| Button::plain(kind.add_label(), Action::Add(kind)))
}

/// Copy link and the two downloads.
pub fn share_buttons() -> [Button; 3] {
    [
        Button::plain("Copy link", Action::CopyLink),
        Button {
            aria_label: Some(
                "Series CSV: download the metric series as the charts show them (each second, or CloudWatch's datapoints)".into(),
            ),
            ..Button::plain("Series CSV", Action::SeriesCsv)
        },
        Button {
            aria_label: Some("Config JSON: download the settings".into()),
            ..Button::plain("Config JSON", Action::ConfigJson)
        },
    ]
}

/// The button that adds the alarm written in the new-alarm field.
pub fn add_alarm_button() -> Button {
    Button::plain("Add alarm", Action::AddAlarm)
}

/// The button under chart `chart` that saves it as PNG.
pub fn png_button(chart: ChartId) -> Button {
    Button {
        aria_label: Some(format!("Download the {} chart as PNG", chart.title())),
        class: "png",
        ..Button::plain("PNG", Action::Png(chart))
    }
}

/// The controls that are not settings, by their `data-ui` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiControl {
    /// The speed menu.
    Speed,
    /// The scenario menu.
    Preset,
    /// The chart-window menu.
    Window,
    /// The settings file input.
    Import,
    /// The lesson's "Pause at each checkpoint" checkbox.
    PauseAtCheckpoints,
    /// The metrics menu: each second or CloudWatch's period.
    Period,
    /// The CloudWatch statistic menu.
    Stat,
    /// The "per-second truth too" checkbox.
    Truth,
    /// The new-alarm field (a change adds the alarm).
    Alarm,
}

impl UiControl {
    /// The `data-ui` text.
    pub fn name(self) -> &'static str {
        match self {
            UiControl::Speed => "speed",
            UiControl::Preset => "preset",
            UiControl::Window => "window",
            UiControl::Import => "import",
            UiControl::PauseAtCheckpoints => "pause-checkpoints",
            UiControl::Period => "period",
            UiControl::Stat => "stat",
            UiControl::Truth => "truth",
            UiControl::Alarm => "alarm",
        }
    }
}

impl fmt::Display for UiControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for UiControl {
    type Err = String;

    /// A control from its `data-ui` text.
    fn from_str(text: &str) -> Result<Self, String> {
        [
            UiControl::Speed,
            UiControl::Preset,
            UiControl::Window,
            UiControl::Import,
            UiControl::PauseAtCheckpoints,
            UiControl::Period,
            UiControl::Stat,
            UiControl::Truth,
            UiControl::Alarm,
        ]
        .into_iter()
        .find(|c| c.name() == text)
        .ok_or_else(|| format!("{text:?} is not a control of the page"))
    }
}

/// The JSON a toggle or menu option carries (`what` names it in the error).
pub fn json_value(what: &str, text: Option<&str>) -> Result<Value, String> {
    let text = text.ok_or_else(|| format!("{what} carries no value"))?;
    crate::model::config::json_value(text).map_err(|e| format!("{what}: {text:?} is {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_its_text() {
        let actions = [
            (Action::Play, "play"),
            (Action::Step, "step"),
            (Action::Reset, "reset"),
            (Action::Fix, "fix"),
            (Action::Replay, "replay"),
            (Action::Continue, "continue"),
            (Action::Add(ConsumerKind::Lambda), "add-lambda"),
            (Action::Add(ConsumerKind::Kcl), "add-ecs"),
            (Action::Remove("ecs-2".into()), "remove:ecs-2"),
            (Action::CopyLink, "copy-link"),
            (Action::SeriesCsv, "csv"),
            (Action::ConfigJson, "config-json"),
            (Action::Png(ChartId::Age), "png:age"),
        ];
        for (action, text) in actions {
            assert_eq!(action.to_string(), text);
            assert_eq!(text.parse::<Action>(), Ok(action));
        }
    }

    #[test]
    fn an_unknown_action_is_an_error() {
        assert_eq!(
            "pley".parse::<Action>(),
            Err("\"pley\" is not an action of the page".to_string())
        );
        assert_eq!(
            "add-kafka".parse::<Action>(),
            Err("\"kafka\" is not a kind of consumer (lambda or ecs)".to_string())
        );
        assert!("png:pie"
            .parse::<Action>()
            .is_err_and(|e| e.starts_with("\"pie\" is not one of incoming, throttled")));
        assert!("".parse::<Action>().is_err());
    }

    #[test]
    fn only_downloads_and_the_link_are_exports() {
        assert!(Action::CopyLink.is_export());
        assert!(Action::Png(ChartId::Shards).is_export());
        assert!(!Action::Play.is_export());
        assert!(!Action::Remove("a".into()).is_export());
    }

    #[test]
    fn buttons_say_what_they_do() {
        let texts = |b: &[Button]| b.iter().map(|b| b.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&time_buttons()), ["Play", "Step", "Reset"]);
        assert_eq!(texts(&add_buttons()), ["Add Lambda", "Add ECS"]);
        assert_eq!(
            texts(&share_buttons()),
            ["Copy link", "Series CSV", "Config JSON"]
        );
        let png = png_button(ChartId::Age);
        assert_eq!(png.action.to_string(), "png:age");
        assert_eq!(
            png.aria_label.as_deref(),
            Some("Download the Iterator age chart as PNG")
        );
        assert_eq!(play_label(true), "Pause");
    }

    #[test]
    fn ui_controls_read_back_and_unknown_ones_are_errors() {
        for c in ["speed", "preset", "window", "import", "pause-checkpoints"] {
            assert_eq!(c.parse::<UiControl>().map(|c| c.to_string()), Ok(c.into()));
        }
        assert_eq!(
            "colour".parse::<UiControl>(),
            Err("\"colour\" is not a control of the page".to_string())
        );
    }

    #[test]
    fn toggle_and_option_values_must_be_json() {
        assert_eq!(json_value("toggle", Some("true")), Ok(Value::Bool(true)));
        assert_eq!(
            json_value("toggle", Some("\"enhanced\"")),
            Ok(Value::from("enhanced"))
        );
        assert_eq!(
            json_value("toggle", None),
            Err("toggle carries no value".to_string())
        );
        assert_eq!(
            json_value("menu", Some("{oops")),
            Err(
                "menu: \"{oops\" is not valid JSON at line 1, column 2: names need double quotes"
                    .to_string()
            )
        );
    }
}
