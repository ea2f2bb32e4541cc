//! Charts of the model's numbers, drawn through any plotters `DrawingBackend`.
//!
//! The page draws them on a canvas; native tests draw the same functions into SVG.
//! Chart code never computes model numbers: it receives them.

pub mod strip;
pub mod theme;
pub mod ticks;
pub mod timeseries;

pub use strip::draw_shard_strip;
pub use theme::Theme;
pub use ticks::Scale;
pub use timeseries::{draw_time_chart, Line, Marker, TimeChart};

use plotters::drawing::DrawingAreaErrorKind;

/// The error a chart function returns: whatever its drawing backend reports.
pub type ChartResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as plotters::prelude::DrawingBackend>::ErrorType>>;
