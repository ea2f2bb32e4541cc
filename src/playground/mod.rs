//! The page's logic without the browser: the running app, the charts it draws, the
//! controls and their value tables, the layout choices and the actions buttons take.
//!
//! Compiled on every target and tested natively; `web` only binds it to the DOM.

pub mod actions;
pub mod alarms;
pub mod announce;
pub mod app;
pub mod chart_lines;
pub mod charts;
mod clock;
pub mod cloudwatch;
mod consumer_charts;
pub mod consumers;
pub mod cost;
pub mod embed;
mod incoming_view;
pub mod knobs;
pub mod layout;
pub mod lesson;
pub mod marks;
pub mod menus;
mod readout;
mod records;
pub mod round;
mod shard_view;
pub mod status;
pub mod view;

pub use actions::{Action, Button, UiControl};
pub use app::{App, FRAME_BUDGET_MS};
pub use charts::{ChartId, Drawing};
pub use clock::ReplayClock;
pub use consumers::{ConsumerKind, Panel, Toggle};
pub use knobs::{every_knob, Knob, Setting};
pub use marks::{Focus, Mark};
pub use menus::Menu;
pub use round::{Round, Turn};
pub use view::View;
