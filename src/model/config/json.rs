//! JSON text into a value, with messages for people: where the text stops being JSON
//! and why, never the parser's own terms ("EOF while parsing").

use serde_json::Value;

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
