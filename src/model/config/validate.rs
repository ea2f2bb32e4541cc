//! Validation: every field's range from the [`FIELDS`](super::fields::FIELDS) table,
//! then the rules that tie fields together (a record and its key fit the stream's
//! largest record, reservations leave the account's unreserved minimum, names are
//! unique, a surge fits its period, autoscaling's bounds are ordered).

use serde_json::Value;

use super::fields::{Field, Kind, Section, FIELDS};
use super::{
    longest_key_bytes, CapacityMode, Config, ConsumerConfig, FanOut, ProducerConfig, Shape,
    MAX_EFO_CONSUMERS, MAX_EFO_CONSUMERS_ADVANTAGE, UNRESERVED_MIN,
};
use crate::model::error::ConfigError;

impl Config {
    /// Checks every field against its allowed range, leaving scripted events aside.
    pub fn validate_fields(&self) -> Result<(), ConfigError> {
        // The whole config as JSON once; each section is checked in its part of it.
        let json = serde_json::to_value(self).map_err(|e| ConfigError::new("", e.to_string()))?;
        check_section(&json, Section::Run, "")?;
        if !60u32.is_multiple_of(self.tick_s) {
            let message = format!(
                "{} does not divide a minute (use 1, 2, 3, 4, 5, 6 or 10)",
                self.tick_s
            );
            return Err(ConfigError::new("tick_s", message));
        }
        check_section(&json["stream"], Section::Stream, "stream.")?;
        let advantage = self.stream.mode == CapacityMode::OnDemandAdvantage;
        if self.stream.warm_throughput_mibps > 0 && !advantage {
            return Err(ConfigError::new(
                "stream.warm_throughput_mibps",
                format!(
                    "only On-demand Advantage keeps warm throughput; set it to 0 in {} mode",
                    self.stream.mode.key()
                ),
            ));
        }
        check_section(&json["account"], Section::Account, "account.")?;
        let names: Vec<&str> = self.producers.iter().map(|p| p.name.as_str()).collect();
        unique_names("producers", &names)?;
        for (i, p) in self.producers.iter().enumerate() {
            let prefix = format!("producers.{}.", p.name);
            check_section(&json["producers"][i], Section::Producer, &prefix)?;
            self.check_producer(p, &prefix)?;
        }
        let names: Vec<&str> = self.consumers.iter().map(ConsumerConfig::name).collect();
        unique_names("consumers", &names)?;
        let efo = self
            .consumers
            .iter()
            .filter(|c| c.fan_out() == FanOut::Enhanced)
            .count();
        let most = if advantage {
            MAX_EFO_CONSUMERS_ADVANTAGE
        } else {
            MAX_EFO_CONSUMERS
        };
        if efo > most {
            let mode = self.stream.mode.title();
            return Err(ConfigError::new(
                "consumers",
                format!("{efo} use enhanced fan-out; a {mode} stream registers at most {most}"),
            ));
        }
        for (i, c) in self.consumers.iter().enumerate() {
            let prefix = format!("consumers.{}.", c.name());
            let part = &json["consumers"][i];
            match c {
                ConsumerConfig::Lambda(l) => {
                    check_section(part, Section::Lambda, &prefix)?;
                    if let Some(r) = l.reserved_concurrency {
                        let pool = self.account.lambda_concurrency;
                        let others = self.reserved_concurrency().saturating_sub(r);
                        let room = pool.saturating_sub(UNRESERVED_MIN).saturating_sub(others);
                        if r > room {
                            return Err(ConfigError::new(
                                &format!("{prefix}reserved_concurrency"),
                                format!(
                                    "{r} leaves less than {UNRESERVED_MIN} of the account's {pool} \
                                     unreserved (other functions reserve {others}); at most {room}"
                                ),
                            ));
                        }
                    }
                }
                ConsumerConfig::Kcl(k) => {
                    check_section(part, Section::Kcl, &prefix)?;
                    let a = &k.autoscaling;
                    if a.max_tasks < a.min_tasks {
                        let path = format!("{prefix}autoscaling.max_tasks");
                        return Err(ConfigError::range(
                            &path,
                            a.max_tasks.into(),
                            a.min_tasks.into(),
                            1_000,
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The producer's rules beyond single ranges.
    fn check_producer(&self, p: &ProducerConfig, prefix: &str) -> Result<(), ConfigError> {
        let largest = u64::from(p.record_bytes) + longest_key_bytes(p);
        let max_record = u64::from(self.stream.max_record_size_kib) * 1_024;
        if largest > max_record {
            return Err(ConfigError::new(
                &format!("{prefix}record_bytes"),
                format!(
                    "{} bytes plus a key of up to {} bytes exceed the stream's largest record, \
                     {} KiB (stream.max_record_size_kib)",
                    p.record_bytes,
                    longest_key_bytes(p),
                    self.stream.max_record_size_kib
                ),
            ));
        }
        if let Shape::Surge {
            every_s,
            duration_s,
            ..
        } = p.shape
        {
            if duration_s > every_s {
                let path = format!("{prefix}shape.duration_s");
                return Err(ConfigError::range(
                    &path,
                    duration_s.into(),
                    1,
                    every_s.into(),
                ));
            }
        }
        Ok(())
    }
}

/// Checks every field of `section` present in `json` (a part of the config as JSON; a
/// shape's fields only exist for that shape) against the table, reporting paths under
/// `prefix`.
fn check_section(json: &Value, section: Section, prefix: &str) -> Result<(), ConfigError> {
    for field in FIELDS.iter().filter(|f| f.section == section) {
        let value = field
            .name
            .split('.')
            .try_fold(json, |node, key| node.get(key));
        if let Some(value) = value {
            check(field, value, &format!("{prefix}{}", field.name))?;
        }
    }
    Ok(())
}

/// What a setting of `field`'s kind and range takes, in words: "a whole number from 1
/// to 10,000", "a number from 0 to 1", "-1 (never) or a whole number from 0 to 10,000".
pub(crate) fn takes(field: &Field) -> String {
    let (lo, hi) = (
        super::fields::number(field.min),
        super::fields::number(field.max),
    );
    match field.kind {
        Kind::Int => format!("a whole number from {lo} to {hi}"),
        Kind::Real => format!("a number from {lo} to {hi}"),
        Kind::RealBelow => format!("a number from {lo} up to (not including) {hi}"),
        Kind::IntOrNull => format!("a whole number from {lo} to {hi}, or null for none"),
        Kind::IntOrNever => format!("-1 (never) or a whole number from {lo} to {hi}"),
    }
}

/// One value against its field's kind and range.
pub(super) fn check(field: &Field, value: &Value, path: &str) -> Result<(), ConfigError> {
    let (lo, hi) = (field.min, field.max);
    let fits = match field.kind {
        Kind::IntOrNull if value.is_null() => true,
        Kind::IntOrNever if value.as_i64() == Some(-1) => true,
        Kind::IntOrNever => value
            .as_i64()
            .is_some_and(|v| (lo as i64..=hi as i64).contains(&v)),
        Kind::Int | Kind::IntOrNull => value
            .as_u64()
            .is_some_and(|v| (lo as u64..=hi as u64).contains(&v)),
        Kind::Real => value
            .as_f64()
            .is_some_and(|v| v.is_finite() && (lo..=hi).contains(&v)),
        Kind::RealBelow => value
            .as_f64()
            .is_some_and(|v| v.is_finite() && (lo..hi).contains(&v)),
    };
    if fits {
        return Ok(());
    }
    Err(ConfigError::new(
        path,
        format!(
            "{} is not accepted: it takes {}",
            super::read::given(value),
            takes(field)
        ),
    ))
}

/// Entry names: 1 to 64 letters, digits, `-` or `_`, each used once in its list.
fn unique_names(list: &str, names: &[&str]) -> Result<(), ConfigError> {
    for (i, &name) in names.iter().enumerate() {
        let path = format!("{list}[{i}].name");
        if name.is_empty() || name.len() > 64 {
            return Err(ConfigError::new(&path, "must be 1 to 64 characters".into()));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ConfigError::new(
                &path,
                format!("{name:?} may hold only letters, digits, '-' and '_'"),
            ));
        }
        // Lists are short: a scan of the names before it.
        if names[..i].contains(&name) {
            return Err(ConfigError::new(&path, format!("{name:?} is used twice")));
        }
    }
    Ok(())
}
