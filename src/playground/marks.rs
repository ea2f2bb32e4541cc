//! What happened to a run, and when: the page draws each mark as a thin vertical line
//! with a short label on every time chart, so a change and its effect sit side by side.

/// One change to the run at one simulated moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Simulated time of the change, ms.
    pub t_ms: u64,
    /// What changed, in a few words ("shards → 4", "Fix", "reshard done").
    pub label: String,
}

/// A line of a chart to look at: the chart and the line's legend label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    /// The chart.
    pub chart: super::ChartId,
    /// The legend label of the line on it.
    pub line: String,
}
