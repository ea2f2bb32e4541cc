//! Where in a JSON value a refusal from the deserialiser points: serde says what was
//! wrong ("invalid type: string \"many\", expected u32", "unknown field `shardz`") but not
//! where, so the value is searched for the one place that fits the complaint. Paths are
//! the config's dotted paths, list entries by their `name` (or index).

use serde_json::{Map, Value};

use super::fields;

/// Keys whose values are lists in a config.
const LISTS: [&str; 3] = ["producers", "consumers", "events"];
/// Keys whose values are objects of settings in a config.
const OBJECTS: [&str; 7] = [
    "stream",
    "account",
    "retry",
    "shape",
    "autoscaling",
    "set",
    "on_failure",
];

/// Every node of `value` below its root, depth first in document order, with its dotted
/// path and the key (or list name) it sits under.
fn nodes<'a>(
    value: &'a Value,
    path: &str,
    key: &'a str,
    out: &mut Vec<(String, &'a str, &'a Value)>,
) {
    let join = |part: &str| {
        if path.is_empty() {
            part.to_string()
        } else {
            format!("{path}.{part}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let at = join(k);
                out.push((at.clone(), k.as_str(), v));
                nodes(v, &at, k, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let name = item.get("name").and_then(Value::as_str);
                let at = join(&name.map_or_else(|| i.to_string(), str::to_string));
                out.push((at.clone(), key, item));
                nodes(item, &at, key, out);
            }
        }
        _ => {}
    }
}

/// Whether `node` is what serde's `given` describes: "integer `-1`", "floating point
/// `2.5`", "string \"x\"", "boolean `true`", "map", "sequence", "null".
fn is_given(node: &Value, given: &str) -> bool {
    let literal = given.split('`').nth(1);
    // Numbers compare as serde writes them: integers plainly, floats with a decimal
    // point (no float parsing: its tables would weigh more than all of this).
    let number = |n: &Value| {
        let shown = match n.as_f64() {
            Some(f) if n.is_f64() => {
                let plain = format!("{f}");
                if plain.contains('.') {
                    plain
                } else {
                    format!("{plain}.0")
                }
            }
            _ => n.to_string(),
        };
        n.is_number() && literal == Some(shown.as_str())
    };
    match given.split([' ', '`']).next().unwrap_or_default() {
        "integer" | "floating" => number(node),
        "boolean" => node.as_bool().map(|b| b.to_string()).as_deref() == literal,
        "string" => node.as_str().is_some_and(|s| {
            serde_json::to_string(s).ok().as_deref() == Some(given.trim_start_matches("string "))
        }),
        "map" => node.is_object(),
        "sequence" => node.is_array(),
        "null" => node.is_null(),
        _ => false,
    }
}

/// Whether a value of serde's `expected` kind belongs under `key` at `path`: lists
/// under list keys, objects under object keys (and list entries), plain values at
/// settings.
fn fits(expected: &str, key: &str, path: &str) -> bool {
    if expected == "a sequence" {
        LISTS.contains(&key)
    } else if expected.starts_with("struct ")
        || expected.starts_with("a map")
        || expected.contains("tagged enum")
    {
        OBJECTS.contains(&key) || LISTS.contains(&key)
    } else {
        !OBJECTS.contains(&key) && !LISTS.contains(&key) || fields::for_path(path).is_some()
    }
}

/// The dotted path in `value` that serde's `message` is about ("" when it cannot tell).
pub(super) fn locate(value: &Value, message: &str) -> String {
    let mut all = Vec::new();
    nodes(value, "", "", &mut all);
    let entry = |(path, _, _): &(String, &str, &Value)| path.clone();
    let found = if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let (given, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        // serde writes some floats differently ("1e+30"): then the first float that
        // does not fit stands for it.
        let float = |node: &Value| given.starts_with("floating") && node.is_f64();
        let found = |same: &dyn Fn(&Value) -> bool| {
            all.iter()
                .find(|(path, key, node)| same(node) && fits(expected, key, path))
                .map(entry)
        };
        found(&|node| is_given(node, given)).or_else(|| found(&float))
    } else if let Some(rest) = message.strip_prefix("unknown field ") {
        let name = rest.split(", ").next().unwrap_or(rest).trim_matches('`');
        let known = rest.split_once(", expected ").map_or("", |(_, k)| k);
        let known: Vec<&str> = known
            .trim_start_matches("one of ")
            .split(", ")
            .map(|k| k.trim_matches('`'))
            .collect();
        let holds = |map: &Map<String, Value>| {
            map.contains_key(name)
                && map
                    .keys()
                    .all(|k| k == name || k == "type" || known.contains(&k.as_str()))
        };
        let root = value
            .as_object()
            .filter(|m| holds(m))
            .map(|_| name.to_string());
        root.or_else(|| {
            all.iter()
                .find(|(_, _, node)| node.as_object().is_some_and(holds))
                .map(|(path, _, _)| format!("{path}.{name}"))
        })
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        let name = rest.split(',').next().unwrap_or_default().trim_matches('`');
        all.iter()
            .find(|(_, _, node)| node.as_str() == Some(name))
            .map(entry)
    } else if let Some(name) = message.strip_prefix("missing field ") {
        let name = name.trim_matches('`');
        // A `type` belongs to list entries and shapes; other required fields to entries.
        all.iter()
            .find(|(path, key, node)| {
                let entry = LISTS.contains(key) && !path.ends_with(key);
                let shape = *key == "shape" && name == "type";
                node.as_object().is_some_and(|m| !m.contains_key(name)) && (entry || shape)
            })
            .map(entry)
    } else {
        None
    };
    found.unwrap_or_default()
}
