//! The page's logic without the browser: the running app, the charts it draws, the
//! controls and their value tables, the layout choices and the actions buttons take.
//!
//! Compiled on every target and tested natively; `web` only binds it to the DOM.
