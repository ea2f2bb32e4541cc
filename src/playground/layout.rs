//! Which chart shows what a control changes: on a phone, where the charts are a strip
//! swiped sideways, editing a control brings that chart into view.

use super::charts::ChartId;
use super::view::control_key;

/// The chart where the effect of editing settings path `path` shows first (`None` for
/// a path no control edits).
pub fn watched_chart(path: &str) -> Option<ChartId> {
    let chart = match control_key(path) {
        "instances"
        | "records_per_sec"
        | "record_bytes"
        | "shards"
        | "shape"
        | "mode"
        | "warm_throughput_mibps" => ChartId::Incoming,
        "retry.max_attempts"
        | "aggregation"
        | "aggregation_max_bytes"
        | "record_max_buffered_time_ms" => ChartId::Throttled,
        "distinct_keys" | "key_skew" => ChartId::Shards,
        "retention_hours"
        | "batch_size"
        | "parallelization_factor"
        | "ms_per_record"
        | "tasks"
        | "records_per_sec_per_task"
        | "max_leases_per_worker"
        | "autoscaling.enabled"
        | "deaggregate" => ChartId::Age,
        "lambda_concurrency" | "reserved_concurrency" | "timeout_s" => ChartId::Lambda,
        "error_rate" | "poison_rate" | "max_retry_attempts" | "max_record_age_s"
        | "bisect_on_error" => ChartId::Loss,
        "poll_interval_ms" | "fan_out" => ChartId::Reads,
        _ => return None,
    };
    Some(chart)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Config;
    use crate::playground::consumers::panels;
    use crate::playground::knobs::every_knob;
    use crate::playground::menus::SHAPE_PATH;
    use crate::playground::View;

    #[test]
    fn each_control_points_at_the_chart_it_moves() {
        assert_eq!(watched_chart("stream.shards"), Some(ChartId::Incoming));
        assert_eq!(watched_chart(SHAPE_PATH), Some(ChartId::Incoming));
        assert_eq!(watched_chart("producers.0.key_skew"), Some(ChartId::Shards));
        assert_eq!(watched_chart("stream.retention_hours"), Some(ChartId::Age));
        assert_eq!(
            watched_chart("consumers.fn.ms_per_record"),
            Some(ChartId::Age)
        );
        assert_eq!(
            watched_chart("consumers.ecs.autoscaling.enabled"),
            Some(ChartId::Age)
        );
        assert_eq!(
            watched_chart("account.lambda_concurrency"),
            Some(ChartId::Lambda)
        );
        assert_eq!(
            watched_chart("consumers.fn.poison_rate"),
            Some(ChartId::Loss)
        );
        assert_eq!(watched_chart("consumers.fn.fan_out"), Some(ChartId::Reads));
        assert_eq!(watched_chart("seed"), None);
    }

    #[test]
    fn every_slider_and_toggle_on_the_page_has_a_chart() {
        let mut config = Config::default();
        config
            .consumers
            .push(crate::playground::ConsumerKind::Kcl.new_consumer("ecs".into()));
        let view = View::full();
        let toggles = panels(&config, &view)
            .into_iter()
            .flat_map(|p| p.toggles.into_iter().map(|t| t.path));
        let producer = crate::playground::consumers::producer_toggle(&view).map(|t| t.path);
        let knobs = every_knob(&config).into_iter().map(|k| k.path);
        let paths: Vec<String> = knobs.chain(toggles).chain(producer).collect();
        assert!(paths.len() > 20, "{paths:?}");
        let missing: Vec<&String> = paths
            .iter()
            .filter(|p| watched_chart(p).is_none())
            .collect();
        assert!(missing.is_empty(), "no chart for {missing:?}");
    }
}
