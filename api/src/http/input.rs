//! Input parsing that reports every bad field at once. JSON bodies arrive as
//! `serde_json::Value` (a syntax error is 400 `bad_request` from the extractor); a [`Form`] then
//! takes each field through a `shared::value` parser, collecting a [`FieldError`] per wrong
//! type, unknown field or invalid value, and answers 422 `validation_failed` naming them all.

use serde_json::{Map, Value};
use shared::FieldError;
use shared::value::Invalid;

use crate::error::{Error, Result};
pub use crate::patch::Patch;

pub struct Form<'a> {
    object: Option<&'a Map<String, Value>>,
    prefix: String,
    errors: Vec<FieldError>,
}

impl<'a> Form<'a> {
    /// Starts parsing `value`, which must be an object with only the `allowed` members.
    pub fn new(value: &'a Value, allowed: &[&str]) -> Self {
        Self::at(value, allowed, "")
    }

    fn at(value: &'a Value, allowed: &[&str], prefix: &str) -> Self {
        let mut form = Self {
            object: value.as_object(),
            prefix: prefix.to_owned(),
            errors: vec![],
        };
        match form.object {
            None => {
                let name = if prefix.is_empty() {
                    "body"
                } else {
                    prefix.trim_end_matches('.')
                };
                form.errors
                    .push(FieldError::new(name, "must be a JSON object"));
            }
            Some(object) => {
                for key in object.keys().filter(|k| !allowed.contains(&k.as_str())) {
                    form.errors
                        .push(FieldError::new(form.path(key), "is not a known field"));
                }
            }
        }
        form
    }

    fn path(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.object.and_then(|o| o.get(name))
    }

    fn string(&mut self, name: &str, value: &'a Value) -> Option<&'a str> {
        let s = value.as_str();
        if s.is_none() {
            self.errors
                .push(FieldError::new(self.path(name), "must be a string"));
        }
        s
    }

    fn parsed<T>(
        &mut self,
        name: &str,
        s: &str,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Option<T> {
        match parse(s) {
            Ok(v) => Some(v),
            Err(Invalid(message)) => {
                self.errors.push(FieldError::new(self.path(name), message));
                None
            }
        }
    }

    /// A required string field.
    pub fn required<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Option<T> {
        match self.get(name) {
            None | Some(Value::Null) => {
                if self.object.is_some() {
                    self.errors
                        .push(FieldError::new(self.path(name), "is required"));
                }
                None
            }
            Some(value) => {
                let s = self.string(name, value)?;
                self.parsed(name, s, parse)
            }
        }
    }

    /// A required whole number in `min..=max`.
    pub fn required_int(&mut self, name: &str, min: i64, max: i64) -> Option<i64> {
        match self.get(name) {
            None | Some(Value::Null) => {
                if self.object.is_some() {
                    self.errors
                        .push(FieldError::new(self.path(name), "is required"));
                }
                None
            }
            Some(value) => match value.as_i64() {
                Some(n) if (min..=max).contains(&n) => Some(n),
                Some(_) => {
                    self.errors.push(FieldError::new(
                        self.path(name),
                        format!("must be from {min} to {max}"),
                    ));
                    None
                }
                None => {
                    self.errors
                        .push(FieldError::new(self.path(name), "must be a whole number"));
                    None
                }
            },
        }
    }

    /// An optional string field: absent or `null` is `None`.
    pub fn optional<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Option<T> {
        match self.patch(name, parse) {
            Patch::Set(v) => Some(v),
            Patch::Absent | Patch::Clear => None,
        }
    }

    /// A merge-patch string field.
    pub fn patch<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Patch<T> {
        match self.get(name) {
            None => Patch::Absent,
            Some(Value::Null) => Patch::Clear,
            Some(value) => match self.string(name, value) {
                None => Patch::Absent,
                // An empty optional field (a cleared form input) clears the value.
                Some(s) if s.trim().is_empty() => Patch::Clear,
                Some(s) => self
                    .parsed(name, s, parse)
                    .map_or(Patch::Absent, Patch::Set),
            },
        }
    }

    /// A merge-patch field that may change but not be cleared: `null` (or an empty string) is
    /// an error, absence is `None`.
    pub fn patch_required<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Option<T> {
        match self.patch(name, parse) {
            Patch::Set(v) => Some(v),
            Patch::Clear => {
                self.error(name, "is required and cannot be cleared");
                None
            }
            Patch::Absent => None,
        }
    }

    /// A merge-patch field whose value is itself an object, parsed by `f` with its own form.
    pub fn nested<T>(
        &mut self,
        name: &str,
        allowed: &[&str],
        f: impl FnOnce(&mut Form<'a>) -> T,
    ) -> Patch<T> {
        match self.get(name) {
            None => Patch::Absent,
            Some(Value::Null) => Patch::Clear,
            Some(value) => {
                let mut child = Form::at(value, allowed, &format!("{}.", self.path(name)));
                let result = child.object.is_some().then(|| f(&mut child));
                self.errors.append(&mut child.errors);
                result.map_or(Patch::Absent, Patch::Set)
            }
        }
    }

    /// A list of strings, each parsed by `parse`, with at least one item. Absent or `null` is
    /// `None` (an error when `required`); each bad item is named by its index (`scopes[2]`).
    pub fn list<T>(
        &mut self,
        name: &str,
        required: bool,
        parse: impl Fn(&str) -> Result<T, Invalid>,
    ) -> Option<Vec<T>> {
        let items = match self.get(name) {
            None | Some(Value::Null) => {
                if required && self.object.is_some() {
                    self.error(name, "is required");
                }
                return None;
            }
            Some(Value::Array(items)) if items.is_empty() => {
                self.error(name, "must have at least one item");
                return None;
            }
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.error(name, "must be a list of strings");
                return None;
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = format!("{name}[{i}]");
            match item.as_str() {
                None => self.error(&at, "must be a string"),
                Some(raw) => match parse(raw) {
                    Ok(v) => out.push(v),
                    Err(Invalid(message)) => self.error(&at, message),
                },
            }
        }
        (out.len() == items.len()).then_some(out)
    }

    /// Records an error found outside the parsers (a rule across fields).
    pub fn error(&mut self, name: &str, message: impl Into<String>) {
        let path = self.path(name);
        self.errors.push(FieldError::new(path, message));
    }

    /// Ends parsing: `Ok` when every field was valid, else 422 naming each bad one.
    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::validation(self.errors))
        }
    }
}

/// Query parameters: only the `allowed` names; each checked by its parser.
pub struct Query<'a> {
    pairs: &'a [(String, String)],
    errors: Vec<FieldError>,
}

impl<'a> Query<'a> {
    pub fn new(pairs: &'a [(String, String)], allowed: &[&str]) -> Self {
        let errors = pairs
            .iter()
            .filter(|(k, _)| !allowed.contains(&k.as_str()))
            .map(|(k, _)| FieldError::new(k.clone(), "is not a known parameter"))
            .collect();
        Self { pairs, errors }
    }

    pub fn get<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Option<T> {
        let (_, raw) = self.pairs.iter().find(|(k, _)| k == name)?;
        match parse(raw) {
            Ok(v) => Some(v),
            Err(Invalid(message)) => {
                self.errors.push(FieldError::new(name, message));
                None
            }
        }
    }

    /// `limit` (1–200, default 50) and the opaque `cursor`.
    pub fn page(&mut self) -> (u64, Option<String>) {
        let limit = self
            .get("limit", |s| match s.parse::<u64>() {
                Ok(n @ 1..=200) => Ok(n),
                _ => Err(Invalid("must be a whole number from 1 to 200".into())),
            })
            .unwrap_or(50);
        let cursor = self.get("cursor", |s| Ok(s.to_owned()));
        (limit, cursor)
    }

    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::validation(self.errors))
        }
    }
}

/// The value of a field after [`Form::finish`] succeeded: present by construction.
pub fn present<T>(value: Option<T>) -> Result<T> {
    value.ok_or_else(|| {
        Error::Internal(anyhow::anyhow!(
            "a parsed field is missing after validation"
        ))
    })
}

/// Reads a raw body of at most `limit` bytes: 413 `payload_too_large` past it.
pub async fn read_limited(
    mut payload: actix_web::web::Payload,
    limit: usize,
) -> Result<actix_web::web::Bytes> {
    use futures_util::StreamExt;
    let mut body = actix_web::web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            Error::new(
                shared::ErrorCode::BadRequest,
                format!("the body could not be read: {e}"),
            )
        })?;
        if body.len() + chunk.len() > limit {
            return Err(Error::new(
                shared::ErrorCode::PayloadTooLarge,
                format!("the body is larger than {} KiB", limit / 1024),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// An RFC 3339 time (query filters such as `since`).
pub fn rfc3339(v: &str) -> Result<chrono::DateTime<chrono::Utc>, Invalid> {
    chrono::DateTime::parse_from_rfc3339(v)
        .map(|d| d.with_timezone(&chrono::Utc))
        .map_err(|_| Invalid("must be an RFC 3339 time like 2026-01-31T12:00:00Z".into()))
}

/// The query of a list without filters: `limit` (1–200, default 50) and the opaque `cursor`
/// (`next_cursor` of the previous page); any other parameter is 422. Lists with filters read
/// them with [`Query`] and its [`Query::page`].
#[derive(Debug, Clone)]
pub struct PageQuery {
    pub limit: u64,
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }
}

impl actix_web::FromRequest for PageQuery {
    type Error = Error;
    type Future = std::future::Ready<Result<Self>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready((|| {
            let pairs =
                actix_web::web::Query::<Vec<(String, String)>>::from_query(req.query_string())
                    .map_err(|e| {
                        Error::new(
                            shared::ErrorCode::BadRequest,
                            format!("the query string cannot be read: {e}"),
                        )
                    })?
                    .into_inner();
            let mut q = Query::new(&pairs, &["limit", "cursor"]);
            let (limit, cursor) = q.page();
            q.finish()?;
            Ok(Self { limit, cursor })
        })())
    }
}
