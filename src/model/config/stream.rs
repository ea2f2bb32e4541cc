//! The stream's own settings: capacity mode, shards, retention, resharding and the
//! largest record.

use serde::Serialize;

use super::read::{choices, settings};

use crate::model::error::ConfigError;

/// The stream itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreamConfig {
    /// Open shards. A change goes through UpdateShardCount rules.
    pub shards: u32,
    /// How long records stay readable, in hours.
    pub retention_hours: u32,
    /// Simulated seconds one UpdateShardCount step takes.
    pub reshard_step_s: u32,
    /// UpdateShardCount calls allowed per rolling 24 h.
    pub max_reshards_per_day: u32,
    /// Largest record (data plus partition key) the stream takes, in KiB.
    pub max_record_size_kib: u32,
    /// Capacity mode: provisioned shards, or on-demand (Standard or Advantage) scaling
    /// on its own. Switching between provisioned and on-demand is allowed twice per
    /// rolling 24 h.
    pub mode: CapacityMode,
    /// On-demand Advantage only: write throughput the stream is kept ready for, in MiB/s
    /// (0 = none). It must be 0 to leave Advantage.
    pub warm_throughput_mibps: u32,
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            shards: 2,
            retention_hours: 24,
            reshard_step_s: 120,
            max_reshards_per_day: 10,
            max_record_size_kib: 1_024,
            mode: CapacityMode::Provisioned,
            warm_throughput_mibps: 0,
        }
    }
}

settings!(StreamConfig {
    shards,
    retention_hours,
    reshard_step_s,
    max_reshards_per_day,
    max_record_size_kib,
    mode,
    warm_throughput_mibps,
});

choices!(CapacityMode {
    "provisioned" => CapacityMode::Provisioned,
    "on_demand" => CapacityMode::OnDemand,
    "on_demand_advantage" => CapacityMode::OnDemandAdvantage,
});

/// How the stream's capacity is set and billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapacityMode {
    /// The shard count is set (`stream.shards`, through UpdateShardCount); billed per
    /// shard-hour and PUT payload unit.
    #[default]
    Provisioned,
    /// On-demand Standard: the stream adds shards as traffic grows; billed per
    /// stream-hour and per GB in and out.
    OnDemand,
    /// On-demand Advantage: as Standard, plus warm throughput, lower per-GB prices, no
    /// stream-hour, and an account commitment billed as a shortfall when unused.
    OnDemandAdvantage,
}

impl CapacityMode {
    /// Every mode, in the order menus list them.
    pub const ALL: [CapacityMode; 3] = [
        CapacityMode::Provisioned,
        CapacityMode::OnDemand,
        CapacityMode::OnDemandAdvantage,
    ];

    /// Whether AWS scales the stream itself (either on-demand mode).
    pub fn on_demand(self) -> bool {
        self != CapacityMode::Provisioned
    }

    /// The mode as the config writes it.
    pub fn key(self) -> &'static str {
        match self {
            CapacityMode::Provisioned => "provisioned",
            CapacityMode::OnDemand => "on_demand",
            CapacityMode::OnDemandAdvantage => "on_demand_advantage",
        }
    }

    /// The mode's name as AWS writes it.
    pub fn title(self) -> &'static str {
        match self {
            CapacityMode::Provisioned => "Provisioned",
            CapacityMode::OnDemand => "On-demand Standard",
            CapacityMode::OnDemandAdvantage => "On-demand Advantage",
        }
    }
}

/// Switches between provisioned and on-demand a stream may make in any 24 h.
pub const MODE_SWITCHES_PER_DAY: usize = 2;
/// The rolling window of that limit, ms.
const DAY_MS: u64 = 86_400_000;

impl StreamConfig {
    /// How long records are kept, ms.
    pub fn retention_ms(&self) -> u64 {
        u64::from(self.retention_hours) * 3_600_000
    }

    /// Why the stream may not go from these settings to `next` at simulated time `at_ms`,
    /// given the start times (ms) of its earlier switches between provisioned and
    /// on-demand; `None` when it may. The rules are AWS's: such a switch twice per
    /// rolling 24 h, warm throughput removed before leaving Advantage, and an on-demand
    /// stream's shard count is its own.
    pub fn refuse_change(
        &self,
        next: &StreamConfig,
        switches: &mut dyn Iterator<Item = u64>,
        at_ms: u64,
    ) -> Option<ConfigError> {
        let (from, to) = (self.mode, next.mode);
        if from.on_demand() != to.on_demand() {
            let recent: Vec<u64> = switches.filter(|&s| s + DAY_MS > at_ms).collect();
            if recent.len() >= MODE_SWITCHES_PER_DAY {
                let free_at = recent.iter().min().map_or(at_ms, |s| s + DAY_MS);
                return Some(ConfigError::new(
                    "stream.mode",
                    format!(
                        "a stream switches between provisioned and on-demand at most \
                         {MODE_SWITCHES_PER_DAY} times in 24 h; the next switch is allowed \
                         {} from now",
                        crate::format::duration_ms((free_at - at_ms) as f64)
                    ),
                ));
            }
        }
        if from == CapacityMode::OnDemandAdvantage && to != from && self.warm_throughput_mibps > 0 {
            return Some(ConfigError::new(
                "stream.mode",
                format!(
                    "remove the warm throughput ({} MiB/s) first: a stream leaves On-demand \
                     Advantage only with stream.warm_throughput_mibps at 0",
                    self.warm_throughput_mibps
                ),
            ));
        }
        if from.on_demand() && to.on_demand() && next.shards != self.shards {
            return Some(ConfigError::new(
                "stream.shards",
                "an on-demand stream sets its own shard count; switch to provisioned to set it"
                    .into(),
            ));
        }
        None
    }
}
