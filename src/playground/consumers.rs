//! Consumers as the page shows them: their kind, and one panel per consumer with its
//! sliders, toggles and remove button.

use serde_json::Value;

use super::actions::{Action, Button};
use super::knobs::{consumer_knobs, Knob};
use super::view::View;
use crate::format::thousands;
use crate::model::path::get_path;
use crate::model::{Config, ConsumerConfig};

pub use crate::model::config::ConsumerKind;

/// The page's words and defaults for each kind of consumer.
impl ConsumerKind {
    /// Both kinds, in the order the page offers them.
    pub const ALL: [ConsumerKind; 2] = [ConsumerKind::Lambda, ConsumerKind::Kcl];

    /// The name a new consumer of this kind gets, and the stem of its action
    /// (`add-lambda`, `add-ecs`): "lambda" or "ecs".
    pub fn stem(self) -> &'static str {
        match self {
            ConsumerKind::Lambda => "lambda",
            ConsumerKind::Kcl => "ecs",
        }
    }

    /// How a panel's legend names the kind: "Lambda" or "ECS (KCL)".
    pub fn title(self) -> &'static str {
        match self {
            ConsumerKind::Lambda => "Lambda",
            ConsumerKind::Kcl => "ECS (KCL)",
        }
    }

    /// The text of the button that adds one: "Add Lambda" or "Add ECS".
    pub fn add_label(self) -> &'static str {
        match self {
            ConsumerKind::Lambda => "Add Lambda",
            ConsumerKind::Kcl => "Add ECS",
        }
    }

    /// A kind from its stem, as actions carry it.
    pub fn from_stem(text: &str) -> Result<Self, String> {
        ConsumerKind::ALL
            .into_iter()
            .find(|k| k.stem() == text)
            .ok_or_else(|| format!("{text:?} is not a kind of consumer (lambda or ecs)"))
    }

    /// The first of `stem`, `stem-2`, `stem-3`… no consumer of `config` is called.
    pub fn fresh_name(self, config: &Config) -> String {
        let stem = self.stem();
        let taken = |name: &str| config.consumers.iter().any(|c| c.name() == name);
        let mut name = stem.to_string();
        let mut i = 1;
        while taken(&name) {
            i += 1;
            name = format!("{stem}-{i}");
        }
        name
    }
}

/// A checkbox that writes one of two JSON values to a settings path.
#[derive(Debug, Clone, PartialEq)]
pub struct Toggle {
    /// Visible label.
    pub label: String,
    /// Dotted settings path.
    pub path: String,
    /// JSON text written when checked.
    pub on: &'static str,
    /// JSON text written when cleared.
    pub off: &'static str,
}

impl Toggle {
    /// A checkbox for the true-or-false setting at `path`.
    pub fn flag(label: impl Into<String>, path: String) -> Self {
        Toggle {
            label: label.into(),
            path,
            on: "true",
            off: "false",
        }
    }

    /// Whether the setting at the toggle's path holds its "on" value in `config`.
    pub fn is_on(&self, config: &Config) -> bool {
        toggle_is_on(config, &self.path, self.on)
    }
}

/// The producer's aggregation checkbox, when `view` shows it.
pub fn producer_toggle(view: &View) -> Option<Toggle> {
    view.shows("aggregation")
        .then(|| Toggle::flag("Aggregate records (KPL)", "producers.0.aggregation".into()))
}

/// The help line under the aggregation checkbox.
pub const AGGREGATION_HELP: &str = "The KPL packs the user records bound for one shard into one Kinesis record. The 1,000 records/s per shard limit counts Kinesis records, so many small records fit in fewer shards; bytes still count in full. Consumers must de-aggregate: the KCL does, a Lambda function must do it itself. Watch IncomingRecords (Sum) fall while IncomingBytes (Sum) holds.";

/// Whether `path` in `config` holds the JSON value written as `on`; an unreadable path
/// or value is "off".
pub fn toggle_is_on(config: &Config, path: &str, on: &str) -> bool {
    match (get_path(config, path), serde_json::from_str::<Value>(on)) {
        (Ok(now), Ok(on)) => now == on,
        _ => false,
    }
}

/// One consumer's panel: everything but its sliders, so two panels compare equal
/// exactly when the page can keep the one it built.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// The consumer's name.
    pub name: String,
    /// The consumer's kind.
    pub kind: ConsumerKind,
    /// The legend: kind and name, "Lambda: lambda".
    pub legend: String,
    /// The button that removes the consumer (the full page only).
    pub remove: Option<Button>,
    /// Checkboxes, in page order: enhanced fan-out, then bisect and de-aggregation
    /// (Lambda) or autoscaling (KCL).
    pub toggles: Vec<Toggle>,
    /// A Lambda function's on-failure destination menu: its settings path.
    pub destination: Option<String>,
}

/// The help line under the on-failure destination menu.
pub const DESTINATION_HELP: &str = "Where the event source mapping sends a batch it gives up on (OnFailure). Only S3 keeps the records; SQS and SNS keep only where they were in the stream, which retention then deletes.";

/// The on-failure destination menu's options: JSON value and text.
pub const DESTINATIONS: [(&str, &str); 4] = [
    ("\"none\"", "none: the records are gone"),
    ("\"sqs\"", "SQS queue: where they were, not the records"),
    ("\"sns\"", "SNS topic: where they were, not the records"),
    ("\"s3\"", "S3 bucket: the whole batch"),
];

impl Panel {
    /// The sliders of the panel `view` shows for consumer `name` of `kind`.
    pub fn knobs(&self, config: &Config, view: &View) -> Vec<Knob> {
        config
            .consumers
            .iter()
            .filter(|c| c.name() == self.name)
            .flat_map(consumer_knobs)
            .filter(|k| view.shows(&k.path))
            .collect()
    }
}

/// The panels `view` shows for the consumers of `config`, in order. A compact view
/// leaves out a consumer with no control to show.
pub fn panels(config: &Config, view: &View) -> Vec<Panel> {
    let mut out = Vec::new();
    for c in &config.consumers {
        let kind = c.consumer_kind();
        let name = c.name();
        let path = |field: &str| format!("consumers.{name}.{field}");
        let mut toggles = Vec::new();
        if view.shows("fan_out") {
            toggles.push(Toggle {
                label: "Enhanced fan-out (own 2 MiB/s per shard)".into(),
                path: path("fan_out"),
                on: "\"enhanced\"",
                off: "\"shared\"",
            });
        }
        match c {
            ConsumerConfig::Lambda(_) => {
                let flags = [
                    (
                        "bisect_on_error",
                        "Split a failing batch in two (bisect on error)",
                    ),
                    ("deaggregate", "De-aggregate KPL records in the function"),
                ];
                for (field, label) in flags.into_iter().filter(|f| view.shows(f.0)) {
                    toggles.push(Toggle::flag(label, path(field)));
                }
            }
            ConsumerConfig::Kcl(k) if view.shows("autoscaling") => toggles.push(Toggle::flag(
                format!(
                    "Autoscaling (target {} records/s per task)",
                    thousands(k.autoscaling.target_records_per_task.round() as u64)
                ),
                path("autoscaling.enabled"),
            )),
            _ => {}
        }
        let has_knobs = consumer_knobs(c).iter().any(|k| view.shows(&k.path));
        if view.compact && !has_knobs && toggles.is_empty() {
            continue;
        }
        out.push(Panel {
            name: name.to_string(),
            kind,
            legend: format!("{}: {name}", kind.title()),
            remove: (!view.compact).then(|| Button {
                text: format!("Remove {name}"),
                action: Action::Remove(name.to_string()),
                aria_label: None,
                class: "remove",
            }),
            toggles,
            destination: (matches!(c, ConsumerConfig::Lambda(_)) && view.shows("on_failure"))
                .then(|| path("on_failure")),
        });
    }
    out
}
