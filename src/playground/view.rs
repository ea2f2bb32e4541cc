//! What a mounted playground shows: the whole page, or a compact widget with chosen
//! charts and controls.

use super::charts::ChartId;
use super::knobs;

/// Charts a widget shows when its options name none.
pub const WIDGET_CHARTS: [ChartId; 2] = [ChartId::Incoming, ChartId::Age];
/// Controls a widget shows when its options name none.
pub const WIDGET_CONTROLS: [&str; 1] = ["shards"];
/// Controls that are not sliders: the traffic shape menu and the consumers' toggles.
const OTHER_CONTROLS: [&str; 7] = [
    "shape",
    "aggregation",
    "mode",
    "fan_out",
    "autoscaling",
    "bisect_on_error",
    "deaggregate",
];

/// The parts of the playground to build.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// A compact widget: no scenario menu, speed, cost or export; the worst finding only.
    pub compact: bool,
    /// Charts, in order.
    pub charts: Vec<ChartId>,
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
            charts: ChartId::ALL.to_vec(),
            controls: None,
            owns_hash: true,
            links_full: false,
        }
    }

    /// A compact widget with these charts and controls (defaults where `None`).
    pub fn widget(charts: Option<Vec<ChartId>>, controls: Option<Vec<String>>) -> Self {
        View {
            compact: true,
            charts: charts.unwrap_or_else(|| WIDGET_CHARTS.to_vec()),
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

/// Every control key, sliders first.
pub fn control_keys() -> Vec<String> {
    let mut keys: Vec<String> = knobs::producer_knobs()
        .into_iter()
        .chain(knobs::kpl_knobs())
        .chain(knobs::stream_knobs())
        .chain(knobs::account_knobs())
        .chain(knobs::lambda_knobs("c"))
        .chain(knobs::kcl_knobs("c"))
        .map(|k| control_key(&k.path).to_string())
        .collect();
    keys.extend(OTHER_CONTROLS.map(String::from));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_keys_drop_the_path_prefix() {
        assert_eq!(control_key("stream.shards"), "shards");
        assert_eq!(
            control_key("account.lambda_concurrency"),
            "lambda_concurrency"
        );
        assert_eq!(control_key("consumers.ecs.tasks"), "tasks");
        assert_eq!(
            control_key("consumers.lambda.autoscaling.enabled"),
            "autoscaling.enabled"
        );
        assert_eq!(
            control_key("producers.0.retry.max_attempts"),
            "retry.max_attempts"
        );
        assert_eq!(control_key("shape"), "shape");
        assert_eq!(control_key("consumers.x"), "x");
    }

    #[test]
    fn every_control_key_in_page_order() {
        let keys = control_keys();
        assert_eq!(
            keys,
            [
                "instances",
                "records_per_sec",
                "record_bytes",
                "distinct_keys",
                "key_skew",
                "retry.max_attempts",
                "aggregation_max_bytes",
                "record_max_buffered_time_ms",
                "shards",
                "retention_hours",
                "warm_throughput_mibps",
                "lambda_concurrency",
                "batch_size",
                "parallelization_factor",
                "ms_per_record",
                "reserved_concurrency",
                "timeout_s",
                "error_rate",
                "poison_rate",
                "max_retry_attempts",
                "max_record_age_s",
                "tasks",
                "records_per_sec_per_task",
                "max_leases_per_worker",
                "poll_interval_ms",
                "shape",
                "aggregation",
                "mode",
                "fan_out",
                "autoscaling",
                "bisect_on_error",
                "deaggregate",
            ]
        );
    }

    #[test]
    fn the_full_page_shows_everything_and_owns_the_hash() {
        let full = View::full();
        assert_eq!(full.charts, ChartId::ALL);
        assert!(full.shows("stream.shards") && full.shows("consumers.x.tasks"));
        assert!(full.owns_hash && !full.compact && !full.links_full);
    }

    #[test]
    fn a_widget_shows_its_defaults_or_what_it_names() {
        let plain = View::widget(None, None);
        assert_eq!(plain.charts, [ChartId::Incoming, ChartId::Age]);
        assert!(plain.shows("stream.shards"));
        assert!(!plain.shows("stream.retention_hours"));
        assert!(plain.compact && plain.links_full && !plain.owns_hash);
        let chosen = View::widget(Some(vec![ChartId::Loss]), Some(vec!["tasks".into()]));
        assert_eq!(chosen.charts, [ChartId::Loss]);
        assert!(chosen.shows("consumers.ecs.tasks"));
        assert!(!chosen.shows("stream.shards"));
        assert!(!View::widget(None, Some(Vec::new())).shows("stream.shards"));
    }
}
