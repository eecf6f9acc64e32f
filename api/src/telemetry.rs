//! Logging. Every request is a span (`request{request_id method path status}`, see
//! [`crate::http::middleware::RequestSpan`]): each line logged while it is served names it, and
//! the span writes the request line when it closes (`close time.busy=… time.idle=…`). Never a
//! header, a body or a query string (they can hold tokens and passwords). Lines are written by a
//! background thread (`tracing-appender`'s non-blocking writer), so a request never waits for
//! stdout; keep the returned guard alive to flush the last lines when the process ends.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::{DefaultFields, FmtSpan, Format};
use tracing_subscriber::fmt::{MakeWriter, SubscriberBuilder};

const LOG_QUEUE_LINES: usize = 8_192;

#[must_use = "dropping the guard stops the log writer"]
pub fn init(filter: &str, json: bool) -> WorkerGuard {
    // The writer's queue is allocated whole when it is made: the default of 128,000 lines is
    // 4 MiB held for ever; 8,192 lines is 256 KiB. When it is full, lines are dropped (and
    // counted by the writer) rather than making a request wait for stdout.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(LOG_QUEUE_LINES)
        .finish(std::io::stdout());
    let builder = builder(filter, writer);
    // A second initialisation (tests spawn many apps in one process) is not an error.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    guard
}

/// The settings of the log, whatever it is written to (a unit test reads the lines back).
pub(crate) fn builder<W>(
    filter: &str,
    writer: W,
) -> SubscriberBuilder<DefaultFields, Format, EnvFilter, W>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        // Colours only on a terminal: escape codes in a file or a log collector are noise (and
        // formatting them is a measurable part of a cheap request).
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_target(false)
        // The request line: a span writes one line when it closes. Spans of the crates below
        // are at `debug` or `trace`, so at `info` the request spans are the only ones.
        .with_span_events(FmtSpan::CLOSE)
}
