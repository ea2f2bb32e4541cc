//! Reading objects tagged by their `"type"` field (`{"type": "lambda", …}`) through JSON
//! values: the tag picks the variant and the rest of the object is read as that
//! variant's settings. Messages are the deserialiser's own ("unknown variant `x`,
//! expected one of …", "missing field `type`"), so they are located and worded like
//! any other.

use serde::de::{DeserializeOwned, Error, Unexpected};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The object `d` holds: which of `variants` its `"type"` names, and its other fields.
pub(super) fn split<'de, D: Deserializer<'de>>(
    d: D,
    variants: &'static [&'static str],
) -> Result<(usize, Value), D::Error> {
    let mut value = Value::deserialize(d)?;
    let Some(object) = value.as_object_mut() else {
        return Err(D::Error::invalid_type(
            unexpected(&value),
            &"internally tagged enum",
        ));
    };
    match object.shift_remove("type") {
        Some(Value::String(tag)) => variants
            .iter()
            .position(|v| *v == tag)
            .map(|i| (i, value))
            .ok_or_else(|| D::Error::unknown_variant(&tag, variants)),
        Some(other) => Err(D::Error::invalid_type(unexpected(&other), &"a string")),
        None => Err(D::Error::missing_field("type")),
    }
}

/// A variant's settings read from the rest of its object.
pub(super) fn read<T: DeserializeOwned, E: Error>(rest: Value) -> Result<T, E> {
    T::deserialize(rest).map_err(E::custom)
}

/// A variant without settings: the rest of its object must be empty.
pub(super) fn none<E: Error>(rest: &Value) -> Result<(), E> {
    match rest.as_object().and_then(|o| o.keys().next()) {
        Some(key) => Err(E::unknown_field(key, &[])),
        None => Ok(()),
    }
}

/// What a value is, for a message.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}
