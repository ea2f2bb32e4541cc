//! What a mounted playground shows: the whole page, or a compact widget with chosen
//! charts and controls.

use super::charts::CHARTS;
use super::controls;

/// Charts a widget shows when its options name none.
pub const WIDGET_CHARTS: [&str; 2] = ["incoming", "age"];
/// Controls a widget shows when its options name none.
pub const WIDGET_CONTROLS: [&str; 1] = ["shards"];
/// Controls that are not sliders: the traffic shape menu and the consumers' toggles.
const OTHER_CONTROLS: [&str; 4] = ["shape", "fan_out", "autoscaling", "bisect_on_error"];

/// The parts of the playground to build.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// A compact widget: no scenario menu, speed, cost or export; the worst finding only.
    pub compact: bool,
    /// Chart ids, in order.
    pub charts: Vec<String>,
    /// Control keys to show (`None`: every control).
    pub controls: Option<Vec<String>>,
    /// Whether the page keeps its settings in the address bar's hash.
    pub owns_hash: bool,
    /// Whether a compact view links to the full playground page beside it (the widget
    /// page does; a page using the JS interface has no such neighbour).
    pub links_full: bool,
}

impl View {
    /// The whole playground page.
    pub fn full() -> Self {
        View {
            compact: false,
            charts: CHARTS.iter().map(|(id, _, _)| id.to_string()).collect(),
            controls: None,
            owns_hash: true,
            links_full: false,
        }
    }

    /// A compact widget with these charts and controls (defaults where `None`).
    pub fn widget(charts: Option<Vec<String>>, controls: Option<Vec<String>>) -> Self {
        View {
            compact: true,
            charts: charts.unwrap_or_else(|| WIDGET_CHARTS.map(String::from).to_vec()),
            controls: Some(controls.unwrap_or_else(|| WIDGET_CONTROLS.map(String::from).to_vec())),
            owns_hash: false,
            links_full: true,
        }
    }

    /// Whether the control for config path `path` (or key `key`) is shown.
    pub fn shows(&self, path: &str) -> bool {
        self.controls
            .as_ref()
            .is_none_or(|keys| keys.iter().any(|k| k == control_key(path)))
    }
}

/// A control's short name: its config path without the producer, stream, account or
/// consumer prefix (`stream.shards` → `shards`, `consumers.ecs.tasks` → `tasks`,
/// `producers.0.retry.max_attempts` → `retry.max_attempts`), or the name itself.
pub fn control_key(path: &str) -> &str {
    if let Some(rest) = path.strip_prefix("consumers.") {
        return rest.split_once('.').map_or(rest, |(_, key)| key);
    }
    path.strip_prefix("producers.0.")
        .or_else(|| path.strip_prefix("stream."))
        .or_else(|| path.strip_prefix("account."))
        .unwrap_or(path)
}

/// Every chart id.
pub fn chart_ids() -> Vec<&'static str> {
    CHARTS.iter().map(|(id, _, _)| *id).collect()
}

/// Every control key, sliders first.
pub fn control_keys() -> Vec<String> {
    let mut keys: Vec<String> = controls::producer_knobs()
        .into_iter()
        .chain(controls::stream_knobs())
        .chain(controls::account_knobs())
        .chain(controls::lambda_knobs("c"))
        .chain(controls::kcl_knobs("c"))
        .map(|k| control_key(&k.path).to_string())
        .collect();
    keys.extend(OTHER_CONTROLS.map(String::from));
    keys
}
