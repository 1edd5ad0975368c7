//! What a sweep's point or a search's portfolio sets: one value per varied parameter, typed, with
//! the parameter's path beside it. TOML is met only at the boundary: a value is made from the
//! TOML of a `[sweep]` or `[optimize]` list or a table design's cell once it has been checked
//! against its parameter, and turned back into TOML only where a point is applied to the resolved
//! scenario's table (`scenario::apply`).

use std::fmt;

/// A value a sweep or a search gives a parameter, of one of the kinds a varied parameter takes
/// (see `params::Domain`): the kinds of a venue's `mix` and a list of metrics included, so that
/// every scenario that could be swept before can still be.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A whole number. A real-number parameter given `1` keeps it whole, as its file wrote it:
    /// CSV cells, messages and plan hashes show it as `1`, not `1.0`.
    Int(i64),
    /// A real number.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// Text or a word of a fixed set (`"mixed"`, a venue's `mix` of `"open"`).
    Text(String),
    /// A list of words (`headline = ["innovations"]`).
    Words(Vec<String>),
    /// A venue's `mix = { only = [sectors] }`.
    Only(Vec<String>),
}

impl Value {
    /// The value as a table cell or a setting shows it: as a scenario file writes it, but text
    /// without its quotes.
    pub fn shown(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// The value of a TOML value that `validate::check_value` accepted for a parameter that may be
    /// varied; `None` for any other TOML (a date, a table other than `{ only = [...] }`, a list of
    /// non-words), which no such parameter takes.
    pub(crate) fn from_toml(value: &toml::Value) -> Option<Value> {
        let words = |items: &[toml::Value]| -> Option<Vec<String>> {
            items.iter().map(|item| item.as_str().map(str::to_string)).collect()
        };
        match value {
            toml::Value::Integer(i) => Some(Value::Int(*i)),
            toml::Value::Float(x) => Some(Value::Float(*x)),
            toml::Value::Boolean(b) => Some(Value::Bool(*b)),
            toml::Value::String(s) => Some(Value::Text(s.clone())),
            toml::Value::Array(items) => words(items).map(Value::Words),
            toml::Value::Table(t) if t.len() == 1 => match t.get("only") {
                Some(toml::Value::Array(items)) => words(items).map(Value::Only),
                _ => None,
            },
            _ => None,
        }
    }

    /// The value as TOML: what a point puts into the resolved scenario's table.
    pub(crate) fn to_toml(&self) -> toml::Value {
        let words =
            |items: &[String]| toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect());
        match self {
            Value::Int(i) => toml::Value::Integer(*i),
            Value::Float(x) => toml::Value::Float(*x),
            Value::Bool(b) => toml::Value::Boolean(*b),
            Value::Text(s) => toml::Value::String(s.clone()),
            Value::Words(items) => words(items),
            Value::Only(items) => {
                toml::Value::Table(toml::Table::from_iter([("only".to_string(), words(items))]))
            }
        }
    }

    /// The value as a number, if it is one.
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(x) => Some(*x),
            _ => None,
        }
    }
}

/// As a scenario file writes it (`0.5`, `1.0`, `"mixed"`, `{ only = ["civil"] }`): the plan hash
/// covers points in this form and error messages show it, so it is TOML's own printing, which
/// keeps both what earlier versions wrote.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_toml(), f)
    }
}

/// A parameter set to a value: one coordinate of a sweep's point or a search's portfolio.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The parameter's dotted path, e.g. `venues.round_tables.every`.
    pub path: String,
    /// Its value.
    pub value: Value,
}

/// `path = value`, as a scenario file would set it.
impl fmt::Display for Assignment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.path, self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of value comes back from its TOML unchanged, and prints as TOML prints it.
    #[test]
    fn values_go_to_toml_and_back() {
        let all = [
            Value::Int(3),
            Value::Float(0.5),
            Value::Float(1.0),
            Value::Float(1e10),
            Value::Bool(false),
            Value::Text("mixed".into()),
            Value::Words(vec!["innovations".into()]),
            Value::Words(Vec::new()),
            Value::Only(vec!["civil".into(), "public".into()]),
        ];
        for value in all {
            let toml = value.to_toml();
            assert_eq!(Value::from_toml(&toml).as_ref(), Some(&value));
            assert_eq!(value.to_string(), toml.to_string());
        }
        assert_eq!(Value::Float(1.0).to_string(), "1.0");
        assert_eq!(Value::Only(vec!["civil".into()]).to_string(), "{ only = [\"civil\"] }");
        let date: toml::Table = toml::from_str("d = 1979-05-27").unwrap();
        assert_eq!(Value::from_toml(&date["d"]), None);
        let path = "venues.round_tables.every".to_string();
        assert_eq!(Assignment { path, value: Value::Int(6) }.to_string(), "venues.round_tables.every = 6");
    }
}
