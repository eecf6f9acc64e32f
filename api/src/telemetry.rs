//! Logging. Request lines carry the request id, method, path, status and duration; never a
//! header, a body or a query string (they can hold tokens and passwords). Lines are written by
//! a background thread (`tracing-appender`'s non-blocking writer), so a request never waits for
//! stdout; keep the returned guard alive to flush the last lines when the process ends.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

#[must_use = "dropping the guard stops the log writer"]
pub fn init(filter: &str, json: bool) -> WorkerGuard {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard) = tracing_appender::non_blocking(std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_target(false);
    // A second initialisation (tests spawn many apps in one process) is not an error.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    guard
}
