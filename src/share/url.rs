//! The playground's state in a URL hash, compact and readable:
//! `#preset=scenario-1&stream.shards=10&consumers.ecs.tasks=4&speed=3600`.
//!
//! A hash names a base (a preset, or the default config) and the settings that differ
//! from it as dotted paths with JSON values; lists whose members changed are written
//! whole. Decoding applies the edits through [`set_paths`], so a hash can only produce a
//! config every other door would accept, and a bad one gets an error naming the part.
//!
//! How a hash is read, rule by rule:
//! - a leading `#` is dropped; at most [`MAX_HASH_BYTES`] bytes and [`MAX_PARTS`] parts;
//! - parts are separated by `&`; empty parts (`a=1&&b=2`, a trailing `&`) are skipped;
//! - each part is `key=value`, both percent-encoded (`+` is a space); the value runs to
//!   the end of the part, `=` included. A part without `=` is an error (except a widget's
//!   `autoplay`), as are a part with an empty key and a key given twice;
//! - `preset` must name a preset and `speed` be one of [`SPEEDS`], in digits;
//! - every other key is a dotted setting path. Its value is JSON when it parses as JSON
//!   (`4`, `true`, `"ecs"`, `[...]`) and a plain string otherwise (`daily`), so hand-written
//!   links need no quotes; a value starting with `[`, `{` or `"` must be valid JSON. The
//!   setting's own checks then accept or refuse the value;
//! - `consumers.NAME=lambda` (or `kcl`) adds a consumer of that kind with a new
//!   consumer's settings, which later parts may change (`consumers.NAME.tasks=3`);
//!   `consumers.NAME=removed` takes one of the base's away (see [`consumers`]);
//! - `window` names the charts' window: `15m`, `6h`, `2d` or `all` (the whole run).

mod consumers;

use serde_json::Value;

use crate::model::config::Config;
use crate::model::error::ConfigError;
use crate::model::path::set_paths;
use crate::teach::presets;

/// Longest hash accepted, in bytes.
pub const MAX_HASH_BYTES: usize = 16_384;
/// Most `key=value` parts accepted.
pub const MAX_PARTS: usize = 256;

/// Speeds the playground offers, in simulated seconds per real second.
pub const SPEEDS: [u32; 6] = [1, 60, 600, 3_600, 21_600, 86_400];

/// The chart windows a link may name: the name and the simulated seconds shown (`None`:
/// the whole run).
pub const WINDOWS: [(&str, Option<u64>); 4] = [
    ("15m", Some(900)),
    ("6h", Some(21_600)),
    ("2d", Some(172_800)),
    ("all", None),
];

/// The chart window called `name` in a link.
pub fn parse_window(name: &str) -> Result<Option<u64>, ConfigError> {
    WINDOWS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, w)| *w)
        .ok_or_else(|| {
            let names: Vec<&str> = WINDOWS.iter().map(|(n, _)| *n).collect();
            ConfigError::new(
                "window",
                format!("{name:?} is not one of {}", names.join(", ")),
            )
        })
}

/// The name a link gives chart window `window_s`, when it is one of [`WINDOWS`].
pub fn window_name(window_s: Option<u64>) -> Option<&'static str> {
    WINDOWS
        .iter()
        .find(|(_, w)| *w == window_s)
        .map(|(n, _)| *n)
}

/// `speed` if the playground offers it.
pub fn check_speed(speed: u32) -> Result<u32, ConfigError> {
    if SPEEDS.contains(&speed) {
        return Ok(speed);
    }
    let offered: Vec<String> = SPEEDS.iter().map(u32::to_string).collect();
    Err(ConfigError::new(
        "speed",
        format!("{speed} is not one of {}", offered.join(", ")),
    ))
}

/// What a hash describes.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlState {
    /// The preset the settings start from, if any.
    pub preset: Option<String>,
    /// The full settings.
    pub config: Config,
    /// Simulated seconds per real second, if given.
    pub speed: Option<u32>,
    /// The charts' window, if given: `Some(Some(seconds))`, or `Some(None)` for the
    /// whole run (one of [`WINDOWS`]).
    pub window: Option<Option<u64>>,
}

/// The hash (without `#`) for `state`: its base, then every setting that differs.
///
/// `state.preset` should name a preset, as every state [`decode`] returns does. A name
/// that is not one is still written, with the settings that differ from the default
/// config, so that [`decode`] refuses the hash rather than reading other settings.
pub fn encode(state: &UrlState) -> String {
    let base = base_config(state.preset.as_deref());
    let mut parts = Vec::new();
    if let Some(p) = &state.preset {
        parts.push(format!("preset={}", escape(p)));
    }
    diff("", &json(&base), &json(&state.config), &mut parts);
    if let Some(speed) = state.speed {
        parts.push(format!("speed={speed}"));
    }
    if let Some(name) = state.window.and_then(window_name) {
        parts.push(format!("window={name}"));
    }
    parts.join("&")
}

/// The state a hash (with or without `#`) describes.
pub fn decode(hash: &str) -> Result<UrlState, ConfigError> {
    decode_parts(split(hash)?)
}

/// A widget's own options, read from its hash beside the settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WidgetOptions {
    /// Chart ids to show, in the order given (`None`: the widget's default).
    pub charts: Option<Vec<String>>,
    /// Control keys to show, in the order given (`None`: the widget's default).
    pub controls: Option<Vec<String>>,
    /// Whether time starts running on load.
    pub autoplay: bool,
}

/// A widget's hash: the settings (as [`decode`] reads them) plus `charts=age,incoming`,
/// `controls=shards,retention_hours` and `autoplay=1`.
///
/// A list's names are checked against `known_charts` and `known_controls`; spaces
/// around a name and empty names (`age,,loss`, a trailing comma) are skipped, an empty
/// list (`charts=`) shows none, and a name listed twice is an error. `autoplay` alone,
/// or `1`, `true`, `yes`, `on`, starts the run; `0`, `false`, `no`, `off` do not.
pub fn decode_widget(
    hash: &str,
    known_charts: &[impl AsRef<str>],
    known_controls: &[impl AsRef<str>],
) -> Result<(UrlState, WidgetOptions), ConfigError> {
    let mut options = WidgetOptions::default();
    let mut rest = Vec::new();
    for part in split(hash)? {
        match part.key.as_str() {
            "charts" => options.charts = Some(list(&part, "chart", known_charts)?),
            "controls" => options.controls = Some(list(&part, "control", known_controls)?),
            "autoplay" => {
                options.autoplay = match part.value.as_deref() {
                    None | Some("1" | "true" | "yes" | "on") => true,
                    Some("0" | "false" | "no" | "off") => false,
                    Some(other) => {
                        return Err(ConfigError::new(
                            "autoplay",
                            format!("{other:?} is not 1 or 0"),
                        ))
                    }
                }
            }
            _ => rest.push(part),
        }
    }
    Ok((decode_parts(rest)?, options))
}

/// One `key=value` part of a hash, percent-decoded; `value` is `None` for a bare `key`.
struct Part {
    key: String,
    value: Option<String>,
}

impl Part {
    /// The value, or an error for a bare key.
    fn value(&self) -> Result<&str, ConfigError> {
        self.value.as_deref().ok_or_else(|| {
            ConfigError::new(&self.key, format!("has no value; write {}=VALUE", self.key))
        })
    }
}

/// The parts of a hash (with or without `#`), checked for size, encoding, empty keys and
/// keys given twice; empty parts are skipped.
fn split(hash: &str) -> Result<Vec<Part>, ConfigError> {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    if hash.len() > MAX_HASH_BYTES {
        return Err(ConfigError::new(
            "#",
            format!(
                "is {} bytes long; at most {MAX_HASH_BYTES} are read",
                hash.len()
            ),
        ));
    }
    let raw: Vec<&str> = hash.split('&').filter(|p| !p.is_empty()).collect();
    if raw.len() > MAX_PARTS {
        return Err(ConfigError::new(
            "#",
            format!("has {} parts; at most {MAX_PARTS} are read", raw.len()),
        ));
    }
    let mut parts: Vec<Part> = Vec::with_capacity(raw.len());
    for text in raw {
        let (key, value) = match text.split_once('=') {
            Some((key, value)) => (key, Some(value)),
            None => (text, None),
        };
        let key = unescape(key)
            .ok_or_else(|| ConfigError::new(key, "is not valid percent-encoding".into()))?;
        if key.is_empty() {
            return Err(ConfigError::new(
                "#",
                format!("the part {text:?} has no name before its ="),
            ));
        }
        let value = match value {
            Some(v) => Some(unescape(v).ok_or_else(|| {
                ConfigError::new(
                    &key,
                    "has a value that is not valid percent-encoding".into(),
                )
            })?),
            None => None,
        };
        if parts.iter().any(|p| p.key == key) {
            return Err(ConfigError::new(&key, "is given twice".into()));
        }
        parts.push(Part { key, value });
    }
    Ok(parts)
}

/// The state the parts describe: the base, the speed and the settings.
fn decode_parts(parts: Vec<Part>) -> Result<UrlState, ConfigError> {
    let mut preset = None;
    let mut speed = None;
    let mut window = None;
    let mut changes = Vec::new();
    let mut edits = Vec::new();
    for part in parts {
        let raw = part.value()?;
        match part.key.as_str() {
            "preset" => {
                if presets::find(raw).is_none() {
                    return Err(ConfigError::new(
                        "preset",
                        format!("{raw:?} is not a preset"),
                    ));
                }
                preset = Some(raw.to_string());
            }
            "speed" => {
                let whole = || ConfigError::new("speed", format!("{raw:?} is not a whole number"));
                if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(whole());
                }
                let s: u32 = raw.parse().map_err(|_| whole())?;
                speed = Some(check_speed(s)?);
            }
            "window" => window = Some(parse_window(raw)?),
            key if consumers::is_structural(key, raw) => {
                changes.push((part.key.clone(), raw.to_string()));
            }
            _ => {
                let value = setting_value(&part.key, raw)?;
                edits.push((part.key, value));
            }
        }
    }
    let mut base = base_config(preset.as_deref());
    for (key, raw) in &changes {
        consumers::apply(&mut base, key, raw)?;
    }
    let config = set_paths(
        &base,
        edits.iter().map(|(path, value)| (path.as_str(), value)),
    )?;
    config.validate()?;
    Ok(UrlState {
        preset,
        config,
        speed,
        window,
    })
}

/// A setting's value: JSON when it parses as JSON, a plain string otherwise. A value
/// that starts like a JSON list, object or string must be one.
fn setting_value(key: &str, raw: &str) -> Result<Value, ConfigError> {
    match crate::model::config::json_value(raw) {
        Ok(value) => Ok(value),
        Err(e) if raw.starts_with(['[', '{', '"']) => Err(ConfigError::new(
            key,
            format!("has a value that is {}", e.message),
        )),
        Err(_) => Ok(Value::String(raw.to_string())),
    }
}

/// A widget's list of names (`charts`, `controls`), each one of `known`.
fn list(part: &Part, what: &str, known: &[impl AsRef<str>]) -> Result<Vec<String>, ConfigError> {
    let known: Vec<&str> = known.iter().map(AsRef::as_ref).collect();
    let mut names: Vec<String> = Vec::new();
    for name in part.value()?.split(',').map(str::trim) {
        if name.is_empty() {
            continue;
        }
        if !known.contains(&name) {
            return Err(ConfigError::new(
                &part.key,
                format!("{name:?} is not a {what}; use {}", known.join(", ")),
            ));
        }
        if names.iter().any(|n| n == name) {
            return Err(ConfigError::new(
                &part.key,
                format!("{name:?} is listed twice"),
            ));
        }
        names.push(name.to_string());
    }
    Ok(names)
}

/// The preset's config, or the default one.
fn base_config(preset: Option<&str>) -> Config {
    preset
        .and_then(presets::find)
        .map_or_else(Config::default, |p| p.config)
}

/// The JSON form of a config. A config holds only strings, numbers, booleans, lists and
/// string-keyed maps, which serde_json always writes: the default is never taken.
fn json(config: &Config) -> Value {
    serde_json::to_value(config).unwrap_or_default()
}

/// Appends `path=value` for every leaf of `new` that differs from `old`.
fn diff(path: &str, old: &Value, new: &Value, out: &mut Vec<String>) {
    if old == new {
        return;
    }
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (old, new) {
        (Value::Object(a), Value::Object(b)) if a.keys().eq(b.keys()) && same_kind(old, new) => {
            for (key, value) in b {
                if let Some(before) = a.get(key) {
                    diff(&join(key), before, value, out);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if same_names(a, b) => {
            for (before, value) in a.iter().zip(b) {
                let name = value
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                diff(&join(name), before, value, out);
            }
        }
        (Value::Array(a), Value::Array(b)) if path == "consumers" => {
            match consumers::edits(a, b, diff) {
                Some(parts) => out.extend(parts),
                None => out.push(format!("{path}={}", escape(&new.to_string()))),
            }
        }
        _ => out.push(format!("{}={}", escape(path), escape(&new.to_string()))),
    }
}

/// Two objects of the same tagged kind (a consumer's `type`, a shape's `type`).
fn same_kind(a: &Value, b: &Value) -> bool {
    a.get("type") == b.get("type")
}

/// Lists whose members are named and appear under the same names in the same order.
fn same_names(a: &[Value], b: &[Value]) -> bool {
    let names = |v: &[Value]| -> Option<Vec<(String, Option<Value>)>> {
        v.iter()
            .map(|item| {
                Some((
                    item.get("name")?.as_str()?.to_string(),
                    item.get("type").cloned(),
                ))
            })
            .collect()
    };
    a.len() == b.len() && names(a).is_some() && names(a) == names(b)
}

/// Percent-encodes everything but unreserved characters and a few readable ones.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~:,[]{}\"".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes percent-encoding; `None` for malformed escapes or bytes that are not UTF-8.
fn unescape(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}
