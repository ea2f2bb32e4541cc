//! Scripted faults in force: the spans the config's events describe, and the intensity
//! of each action at a given time (the largest of the spans that overlap).

use crate::model::config::{Config, FaultAction};

/// One fault as the run meets it: from `start_ms` (inclusive) to `end_ms` (exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultSpan {
    /// When the fault starts, simulated ms.
    pub start_ms: u64,
    /// When it ends, simulated ms.
    pub end_ms: u64,
    /// What fails.
    pub action: FaultAction,
    /// Share of the calls or invocations that fail, %.
    pub percent: u32,
    /// For `lambda_errors`: the one function it hits (every Lambda function when `None`).
    pub consumer: Option<String>,
}

impl FaultSpan {
    /// Whether the span covers any of `[from_ms, to_ms)`.
    pub fn overlaps(&self, from_ms: u64, to_ms: u64) -> bool {
        self.start_ms < to_ms && from_ms < self.end_ms
    }

    /// Whether the span hits `consumer` (always, for actions that name none).
    fn hits(&self, consumer: &str) -> bool {
        self.consumer.as_deref().is_none_or(|name| name == consumer)
    }
}

/// The config's faults in start order (ties in list order).
pub(super) fn spans(config: &Config) -> Vec<FaultSpan> {
    let mut spans: Vec<FaultSpan> = config
        .events
        .iter()
        .filter_map(|e| {
            let fault = e.fault.as_ref()?;
            let start_ms = e.at_s * 1_000;
            Some(FaultSpan {
                start_ms,
                end_ms: start_ms + fault.duration_s * 1_000,
                action: fault.action,
                percent: fault.percent,
                consumer: fault.consumer.clone(),
            })
        })
        .collect();
    crate::model::order::sort_by_key(&mut spans, |s| s.start_ms);
    spans
}

/// The intensity of `action` over `[from_ms, to_ms)`, %, for `consumer` when given:
/// the largest of the spans that overlap it, 0 when none does.
pub(super) fn percent(
    spans: &[FaultSpan],
    action: FaultAction,
    from_ms: u64,
    to_ms: u64,
    consumer: Option<&str>,
) -> u32 {
    spans
        .iter()
        .filter(|s| s.action == action && s.overlaps(from_ms, to_ms))
        .filter(|s| consumer.is_none_or(|c| s.hits(c)))
        .map(|s| s.percent)
        .max()
        .unwrap_or(0)
}
