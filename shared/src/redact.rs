//! `Debug` for the types that carry passwords and tokens: their secret fields print as
//! `<redacted>`, so a `{:?}` in a log line or a panic message never shows one.

/// What a secret field shows in `Debug`.
pub trait Redacted {
    fn redacted(&self) -> &'static str;
}

impl Redacted for String {
    fn redacted(&self) -> &'static str {
        "<redacted>"
    }
}

impl Redacted for Option<String> {
    fn redacted(&self) -> &'static str {
        match self {
            Some(_) => "Some(<redacted>)",
            None => "None",
        }
    }
}

/// `debug_redacting!(Type { plain, fields } secret { secret, fields })` implements `Debug` for
/// `Type`. Every field must be named once, so a field added later cannot slip out unredacted
/// by being forgotten: the destructuring below does not compile until it is listed.
macro_rules! debug_redacting {
    ($ty:ident { $($field:ident),* } secret { $($secret:ident),* }) => {
        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #[allow(unused_imports)]
                use $crate::redact::Redacted as _;
                let Self { $($field,)* $($secret,)* } = self;
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($field), $field))*
                    $(.field(stringify!($secret), &format_args!("{}", $secret.redacted())))*
                    .finish()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::dto::{LoginRequest, SetPasswordRequest};

    #[test]
    fn secrets_never_show_in_debug() {
        let login = LoginRequest {
            login: "olga".into(),
            password: "Correct-horse-9".into(),
        };
        let shown = format!("{login:?}");
        assert!(
            shown.contains("olga") && !shown.contains("Correct-horse-9"),
            "{shown}"
        );
        assert!(shown.contains("password: <redacted>"), "{shown}");
        let set = SetPasswordRequest {
            new_password: "New-pass-42".into(),
            current_password: None,
        };
        let shown = format!("{set:#?}");
        assert!(
            !shown.contains("New-pass-42") && shown.contains("None"),
            "{shown}"
        );
        let answer = crate::dto::TokenPair {
            access_token: "aaa.bbb.ccc".into(),
            token_type: "Bearer".into(),
            expires_in: 900,
            refresh_token: "rrrrrr".into(),
        };
        let shown = format!("{answer:?}");
        assert!(
            !shown.contains("aaa.bbb.ccc") && !shown.contains("rrrrrr"),
            "{shown}"
        );
        assert!(shown.contains("expires_in: 900"), "{shown}");
    }
}
