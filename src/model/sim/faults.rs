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

/// The faults of `config`'s events, visited in `order` (indices into its events).
pub(super) fn spans(config: &Config, order: &[(u64, usize)]) -> Vec<FaultSpan> {
    let mut spans = Vec::new();
    for &(start_ms, i) in order {
        if let Some(fault) = config.events[i].fault() {
            spans.push(FaultSpan {
                start_ms,
                end_ms: start_ms + fault.duration_s * 1_000,
                action: fault.action,
                percent: fault.percent,
                consumer: fault.consumer,
            });
        }
    }
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
    let mut most = 0;
    for s in spans {
        let hits = consumer.is_none() || s.consumer.is_none() || s.consumer.as_deref() == consumer;
        if s.action == action && s.start_ms < to_ms && from_ms < s.end_ms && hits {
            most = most.max(s.percent);
        }
    }
    most
}
