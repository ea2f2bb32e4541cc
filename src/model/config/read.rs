//! Reading settings out of JSON values, each one knowing its dotted path: a refusal
//! names the setting (entries of lists by their `name`, else their index), what was
//! given and what it takes, with the range from the settings table when it has a row.
//!
//! Objects are read key by key in the order the text gives them, so the first bad key is
//! the one reported; keys left out keep the type's default; a key the type does not
//! know is refused with the list of those it does.

use serde_json::{Map, Value};

use super::fields;
use crate::model::error::ConfigError;

/// A setting, or a group of them, read from its JSON value at `path`.
pub(crate) trait FromJson: Sized {
    /// The value read, or what is wrong with it.
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError>;
}

/// `path.key`, or `key` at the root.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// What was given, as a person would write it: `-1`, `2.5`, `20,000`, `"many"`, `true`,
/// `null`, an object, a list.
pub(super) fn given(value: &Value) -> String {
    match value {
        Value::Object(_) => "an object".into(),
        Value::Array(_) => "a list".into(),
        // A whole number in a real setting is written as it was typed: 24, not 24.0.
        Value::Number(n) => match n.as_f64() {
            Some(v) if n.is_f64() && v.fract() == 0.0 && v.abs() < 1e15 => {
                crate::format::grouped(&format!("{v:.0}"))
            }
            _ => crate::format::grouped(&n.to_string()),
        },
        other => other.to_string(),
    }
}

/// The refusal of `value` at `path`: it takes what the settings table says of the
/// setting, or `takes` for a value without a row.
fn refuse(value: &Value, path: &str, takes: &str) -> ConfigError {
    let takes = fields::for_path(path).map_or_else(|| takes.to_string(), super::validate::takes);
    // A number is shown as the text gave it: 2.0 for a whole number is refused as 2.0.
    let given = match value {
        Value::Number(n) => crate::format::grouped(&n.to_string()),
        _ => given(value),
    };
    ConfigError::new(path, format!("{given} is not accepted: it takes {takes}"))
}

/// `a`, `a or b`, `a, b, c`: the names a value may take.
fn one_of(names: &[&str]) -> String {
    match names {
        [a, b] => format!("{a} or {b}"),
        _ => names.join(", "),
    }
}

/// The index of `value` among `names`, or the error naming them.
pub(super) fn choice(value: &Value, path: &str, names: &[&str]) -> Result<usize, ConfigError> {
    let found = value
        .as_str()
        .and_then(|s| names.iter().position(|n| *n == s));
    found.ok_or_else(|| {
        let message = format!("{} is not one of {}", given(value), one_of(names));
        ConfigError::new(path, message)
    })
}

/// Reads the object at `path` key by key: `each(key, value, its path)` reads a key it
/// knows and says `false` for one it does not, which is refused naming `known`.
pub(super) fn object(
    value: &Value,
    path: &str,
    known: &[&str],
    each: &mut dyn FnMut(&str, &Value, &str) -> Result<bool, ConfigError>,
) -> Result<(), ConfigError> {
    let map = match value {
        Value::Object(map) => map,
        Value::Array(_) => {
            let message = "must be a JSON object ({...}), not an array".into();
            return Err(ConfigError::new(path, message));
        }
        other => return Err(refuse(other, path, "an object {...} of settings")),
    };
    for (key, value) in map {
        let at = join(path, key);
        if !each(key, value, &at)? {
            let message = if known.is_empty() {
                format!("there is no setting {key:?} here")
            } else {
                format!(
                    "there is no setting {key:?} here; the settings are {}",
                    one_of(known)
                )
            };
            return Err(ConfigError::new(&at, message));
        }
    }
    Ok(())
}

/// An object tagged by its `"type"` (`{"type": "lambda", …}`): which of `variants` it
/// names, and the object without its type, to be read as that variant's settings.
pub(super) fn tagged(
    value: &Value,
    path: &str,
    variants: &[&str],
) -> Result<(usize, Value), ConfigError> {
    let Value::Object(map) = value else {
        return Err(refuse(value, path, "an object with a \"type\""));
    };
    let Some(tag) = map.get("type") else {
        return Err(ConfigError::new(path, "\"type\" is needed".into()));
    };
    let at = join(path, "type");
    if !tag.is_string() {
        return Err(refuse(tag, &at, "text in double quotes"));
    }
    let variant = choice(tag, &at, variants)?;
    let mut rest = map.clone();
    rest.shift_remove("type");
    Ok((variant, Value::Object(rest)))
}

/// Implements [`FromJson`] for a struct of settings from its fields' names, in the
/// order a message lists them: an object whose keys are among them, the others left at
/// the struct's default.
macro_rules! settings {
    ($ty:ty { $($field:ident),* $(,)? }) => {
        impl $crate::model::config::read::FromJson for $ty {
            fn read(
                value: &serde_json::Value,
                path: &str,
            ) -> Result<Self, $crate::model::error::ConfigError> {
                let mut read = <$ty>::default();
                let known: &[&str] = &[$(stringify!($field)),*];
                $crate::model::config::read::object(value, path, known, &mut |key, v, at| {
                    match key {
                        $(stringify!($field) => {
                            read.$field = $crate::model::config::read::FromJson::read(v, at)?
                        })*
                        _ => return Ok(false),
                    }
                    Ok(true)
                })?;
                Ok(read)
            }
        }
    };
}
pub(super) use settings;

/// Implements [`FromJson`] for an enum written as one of its names.
macro_rules! choices {
    ($ty:ty { $($name:literal => $variant:expr),* $(,)? }) => {
        impl $crate::model::config::read::FromJson for $ty {
            fn read(
                value: &serde_json::Value,
                path: &str,
            ) -> Result<Self, $crate::model::error::ConfigError> {
                let i = $crate::model::config::read::choice(value, path, &[$($name),*])?;
                Ok([$($variant),*][i])
            }
        }
    };
}
pub(super) use choices;

/// Whole numbers from 0, within the type.
fn whole(value: &Value, path: &str) -> Result<u64, ConfigError> {
    value
        .as_u64()
        .ok_or_else(|| refuse(value, path, "a whole number from 0"))
}

impl FromJson for u64 {
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError> {
        whole(value, path)
    }
}

impl FromJson for u32 {
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let n = whole(value, path)?;
        u32::try_from(n).map_err(|_| refuse(value, path, "a whole number from 0 to 4,294,967,295"))
    }
}

impl FromJson for i64 {
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError> {
        value
            .as_i64()
            .ok_or_else(|| refuse(value, path, "a whole number"))
    }
}

impl FromJson for f64 {
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError> {
        value
            .as_f64()
            .ok_or_else(|| refuse(value, path, "a number"))
    }
}

impl FromJson for bool {
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError> {
        value
            .as_bool()
            .ok_or_else(|| refuse(value, path, "true or false"))
    }
}

impl FromJson for String {
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError> {
        match value {
            Value::String(s) => Ok(s.clone()),
            _ => Err(refuse(value, path, "text in double quotes")),
        }
    }
}

/// A setting that may be `null` for none.
impl FromJson for Option<u32> {
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError> {
        match value {
            Value::Null => Ok(None),
            _ => <u32 as FromJson>::read(value, path).map(Some),
        }
    }
}

/// A list of entries, each named in paths by its `name` (else its index).
impl<T: FromJson> FromJson for Vec<T> {
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let Value::Array(items) = value else {
            return Err(refuse(value, path, "a list [...]"));
        };
        let mut read = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let name = item.get("name").and_then(Value::as_str);
            let at = join(path, &name.map_or_else(|| i.to_string(), str::to_string));
            read.push(T::read(item, &at)?);
        }
        Ok(read)
    }
}

/// An object kept as JSON (an event's `set` and `fault`), read and checked by its user.
impl FromJson for Map<String, Value> {
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError> {
        match value {
            Value::Object(map) => Ok(map.clone()),
            _ => object(value, path, &[], &mut |_, _, _| Ok(true)).map(|()| Map::new()),
        }
    }
}

/// `value` read as `T` from the root of a config.
pub(crate) fn typed<T: FromJson>(value: &Value) -> Result<T, ConfigError> {
    T::read(value, "")
}
