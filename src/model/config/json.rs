//! Reading JSON into settings, with messages for people: which setting, what was given
//! and what it takes — never the parser's own terms ("expected u32", "EOF while
//! parsing"). Also the check that objects stay objects.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::fields;
use super::Config;
use crate::model::error::ConfigError;

/// `text` as JSON, or where and why it is not JSON, in plain words.
pub fn syntax(text: &str) -> Result<Value, ConfigError> {
    serde_json::from_str(text).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => {
                "the text ends before the JSON is complete (a closing } or ] is missing)".into()
            }
            _ => syntax_words(&e.to_string()),
        };
        ConfigError::parse(format!(
            "not valid JSON at line {}, column {}: {what}",
            e.line(),
            e.column()
        ))
    })
}

/// The parser's complaint about JSON syntax, without its position, in plain words.
fn syntax_words(message: &str) -> String {
    let core = message.split(" at line ").next().unwrap_or(message);
    match core {
        "expected value" => "a value is expected here".into(),
        "trailing comma" => "a comma cannot come before } or ]".into(),
        "key must be a string" => "names need double quotes".into(),
        "expected `,` or `}`" => "a comma or } is expected".into(),
        "expected `,` or `]`" => "a comma or ] is expected".into(),
        "expected `:`" => "a colon is expected after a name".into(),
        "trailing characters" => "something follows the end of the JSON".into(),
        other => other.replace('`', ""),
    }
}

/// `value` read as `T`; a value of the wrong kind is named by its dotted path
/// (entries of lists by their `name`), with what was given and what it takes.
pub(crate) fn typed<T: DeserializeOwned>(value: &Value) -> Result<T, ConfigError> {
    serde_json::from_value(value.clone()).map_err(|e| {
        let message = e.to_string();
        let path = super::locate::locate(value, &message);
        let field = fields::for_path(&path);
        ConfigError::new(&path, words(&message, field))
    })
}

/// The deserialiser's message in plain words, using the setting's row when known.
fn words(message: &str, field: Option<&fields::Field>) -> String {
    let (given, expected) = if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        match rest.split_once(", expected ") {
            Some((given, expected)) => (given, expected),
            None => return rest.replace('`', ""),
        }
    } else if let Some(rest) = message.strip_prefix("unknown field ") {
        let name = rest.split(", ").next().unwrap_or(rest).trim_matches('`');
        let known = rest.split_once(", expected ").map_or("", |(_, k)| k);
        let known = known.trim_start_matches("one of ").replace('`', "");
        return if known.is_empty() {
            format!("there is no setting {name:?} here")
        } else {
            format!("there is no setting {name:?} here; the settings are {known}")
        };
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (name, known) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let known = known.trim_start_matches("one of ").replace('`', "");
        return format!("{:?} is not one of {known}", name.trim_matches('`'));
    } else if let Some(name) = message.strip_prefix("missing field ") {
        return format!("{} is needed", name.replace('`', "\""));
    } else {
        return message.replace('`', "");
    };
    let given = given_words(given);
    let takes = field.map_or_else(|| expected_words(expected), super::validate::takes);
    format!("{given} is not accepted: it takes {takes}")
}

/// What was given, as the input wrote it: `-1`, `"many"`, `2.5`, an object, a list.
fn given_words(given: &str) -> String {
    let quoted = given.split('`').nth(1);
    match given.split([' ', '`']).next().unwrap_or_default() {
        "integer" | "floating" | "boolean" => quoted.unwrap_or(given).to_string(),
        "string" => given.trim_start_matches("string ").to_string(),
        "map" => "an object".into(),
        "sequence" => "a list".into(),
        "null" => "null".into(),
        _ => given.replace('`', ""),
    }
}

/// What the setting takes, for a value that has no row in the settings table.
fn expected_words(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" => "a whole number from 0".into(),
        "i32" | "i64" => "a whole number".into(),
        "f64" | "f32" => "a number".into(),
        "a boolean" => "true or false".into(),
        "a string" => "text in double quotes".into(),
        "a sequence" => "a list [...]".into(),
        other if other.starts_with("struct ") || other.starts_with("a map") => {
            "an object {...} of settings".into()
        }
        other if other.contains("tagged enum") => "an object with a \"type\"".into(),
        other => other.replace('`', ""),
    }
}

/// `"an array"`, `"a number"`, … for messages about a JSON value of the wrong kind.
pub(crate) fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true or false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Refuses `input` (the JSON a config was parsed from) where it holds something else
/// than an object at a place where `config` has one: serde fills a struct from an array
/// of its fields in order, which no reader of the file would expect.
pub(crate) fn check_objects(input: &serde_json::Value, config: &Config) -> Result<(), ConfigError> {
    let canonical = serde_json::to_value(config).map_err(|e| ConfigError::parse(e.to_string()))?;
    same_objects(input, &canonical, "")
}

fn same_objects(
    input: &serde_json::Value,
    canonical: &serde_json::Value,
    path: &str,
) -> Result<(), ConfigError> {
    use serde_json::Value;
    let at = |field: &str| {
        if path.is_empty() {
            field.to_string()
        } else {
            format!("{path}.{field}")
        }
    };
    match (input, canonical) {
        (Value::Object(input), Value::Object(canonical)) => {
            for (key, value) in input {
                if let Some(expected) = canonical.get(key) {
                    same_objects(value, expected, &at(key))?;
                }
            }
            Ok(())
        }
        (Value::Array(input), Value::Array(canonical)) => {
            for (i, (value, expected)) in input.iter().zip(canonical).enumerate() {
                same_objects(value, expected, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (_, Value::Object(_)) if path.is_empty() => Err(ConfigError::parse(format!(
            "a config is a JSON object ({{...}}), not {}",
            json_kind(input)
        ))),
        (_, Value::Object(_)) => Err(ConfigError::new(
            path,
            format!("must be a JSON object ({{...}}), not {}", json_kind(input)),
        )),
        _ => Ok(()),
    }
}
