//! Charts of the model's numbers, drawn on any `Surface`: a few primitives (filled
//! rectangles, stroked polylines, anchored text and its width) that the page implements
//! on a canvas and native tests on SVG (`svg`).
//!
//! Chart code never computes model numbers: it receives them.

pub mod legend;
pub mod marks;
pub mod strip;
pub mod surface;
#[cfg(not(target_arch = "wasm32"))]
pub mod svg;
pub mod theme;
pub mod ticks;
pub mod timeseries;

pub use strip::draw_shard_strip;
pub use surface::{Align, Baseline, Pen, Rect, Rgb, Surface, TextStyle};
pub use theme::Theme;
pub use ticks::Scale;
pub use timeseries::{draw_time_chart, Line, Marker, TimeChart};
