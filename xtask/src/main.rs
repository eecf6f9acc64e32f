//! Project tasks. `cargo xtask web` (alias in `.cargo/config.toml`, or
//! `cargo run -p xtask -- web`) builds the web app into `web/dist/` without trunk:
//!
//! 1. checks that the `wasm-bindgen` CLI on PATH is the version in `Cargo.lock`;
//! 2. `cargo build -p web --target wasm32-unknown-unknown --profile wasm-release` (linked with
//!    `--emit-relocs`, from `.cargo/config.toml`);
//! 3. splits the module at the app's lazy routes with wasm-split (`wasm_split_cli_support`): a
//!    main module, a chunk per bundle of screens and per set of bundles sharing code, and the
//!    loader `__wasm_split.js`; release builds drop the chunks' name sections;
//! 4. `wasm-bindgen --target web --keep-lld-exports` on the main module (plus
//!    `--remove-name-section` in release builds);
//! 5. publishes all of it under `web/dist/app/<content hash>/`, writes `web/dist/index.html`
//!    from `web/index.html` and copies `web/static/`;
//! 6. prints the sizes: the main module (the first download) and the chunks, raw and gzip.
//!
//! No `wasm-opt`: measured on this app, binaryen 132's `-Oz`, `-Os` and `-O2` all make the module
//! smaller raw but 8–12 % larger once gzipped, which is what browsers download
//! (docs/decisions.md, "Web app").

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Where `web/index.html` wants the tags that load the app.
const BOOTSTRAP_MARKER: &str = "<!-- postwarden:bootstrap -->";
/// The module wasm-bindgen writes (imported by the split loader for the main module's exports).
const MAIN_MODULE: &str = "./web.js";
/// The loader wasm-split writes, which fetches and links the lazy chunks.
const SPLIT_LINK: &str = "./__wasm_split.js";

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  web [--dev]   build the web app into web/dist/ (wasm-release profile; --dev: dev profile,
                with function names, for a quicker build)
  help          show this";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<()> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["web"] => web(Profile::Release),
        ["web", "--dev"] => web(Profile::Dev),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => bail!("unknown arguments {args:?}\n{USAGE}"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Profile {
    Release,
    Dev,
}

impl Profile {
    /// The `--profile` name, and the folder cargo puts its output in.
    fn cargo_name(self) -> (&'static str, &'static str) {
        match self {
            Profile::Release => ("wasm-release", "wasm-release"),
            Profile::Dev => ("dev", "debug"),
        }
    }
}

fn web(profile: Profile) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let layout = Layout::read(&cargo)?;
    let web_dir = layout.workspace_root.join("web");
    let dist = web_dir.join("dist");

    let wanted = lockfile_version(&layout.workspace_root.join("Cargo.lock"), "wasm-bindgen")?;
    check_wasm_bindgen(&wanted)?;

    let wasm = build_wasm(&cargo, &layout, profile)?;
    let staging = layout.target_directory.join("web-dist");
    if staging.exists() {
        fs::remove_dir_all(&staging)
            .with_context(|| format!("could not empty {}", staging.display()))?;
    }
    fs::create_dir_all(&staging)
        .with_context(|| format!("could not create {}", staging.display()))?;
    let main_wasm = wasm.with_file_name("web_split.wasm");
    let chunks = split(&wasm, &main_wasm, &staging)?;
    bindgen(&main_wasm, &staging, profile)?;

    let mut sizes = Sizes::default();
    let main_bytes = read(&staging.join("web_bg.wasm"))?;
    sizes.add_main(&main_bytes)?;
    let js_bytes = read(&staging.join("web.js"))?;
    let mut parts = vec![main_bytes, js_bytes, read(&staging.join(SPLIT_LINK))?];
    for chunk in &chunks {
        let mut bytes = read(chunk)?;
        if profile == Profile::Release {
            bytes = without_custom_sections(&bytes, &["name", "producers"])
                .with_context(|| format!("could not read {} back", chunk.display()))?;
            fs::write(chunk, &bytes)
                .with_context(|| format!("could not write {}", chunk.display()))?;
        }
        sizes.add_chunk(&bytes)?;
        parts.push(bytes);
    }

    // The module, its loader and its chunks live in a folder named after their content: they
    // import one another by relative paths, so a new build never mixes with a cached old one.
    let version = version_tag(&parts);
    if dist.exists() {
        fs::remove_dir_all(&dist).with_context(|| format!("could not empty {}", dist.display()))?;
    }
    copy_dir(&staging, &dist.join("app").join(&version))?;
    write_index(&web_dir, &dist, &format!("/app/{version}"))?;
    copy_dir(&web_dir.join("static"), &dist)?;

    println!(
        "web/dist ready: first download web_bg.wasm {} raw, {} gzip; {} lazy chunks {} raw, \
         {} gzip; all wasm {} gzip",
        kib(sizes.main_raw),
        kib(sizes.main_gzip),
        sizes.chunks,
        kib(sizes.chunks_raw),
        kib(sizes.chunks_gzip),
        kib(sizes.main_gzip + sizes.chunks_gzip),
    );
    Ok(())
}

/// `cargo build` of the web crate for wasm32; the path of the linked module.
fn build_wasm(cargo: &str, layout: &Layout, profile: Profile) -> Result<PathBuf> {
    let (profile_name, profile_dir) = profile.cargo_name();
    step(&format!(
        "cargo build -p web --target {WASM_TARGET} --profile {profile_name}"
    ));
    let status = Command::new(cargo)
        .current_dir(&layout.workspace_root)
        .args([
            "build",
            "-p",
            "web",
            "--target",
            WASM_TARGET,
            "--profile",
            profile_name,
        ])
        .status()
        .context("could not run cargo")?;
    if !status.success() {
        bail!("cargo build of the web crate failed ({status})");
    }
    let wasm = layout
        .target_directory
        .join(WASM_TARGET)
        .join(profile_dir)
        .join("web.wasm");
    if !wasm.is_file() {
        bail!("the build finished but {} is missing", wasm.display());
    }
    Ok(wasm)
}

/// Splits `wasm` at the app's lazy bundles (`#[lazy]`, `web/src/screens.rs`): the main module,
/// which keeps what the first screen needs, goes to `main_out` (for wasm-bindgen); the chunks
/// and their loader to `out_dir`. Answers the chunks' paths.
fn split(wasm: &Path, main_out: &Path, out_dir: &Path) -> Result<Vec<PathBuf>> {
    step("wasm-split (a chunk per bundle of screens, and per set of bundles sharing code)");
    let input = read(wasm)?;
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = out_dir;
        options.main_out_path = main_out;
        options.main_module = MAIN_MODULE;
        options.link_name = SPLIT_LINK;
        options
    })
    .map_err(|error| {
        anyhow::anyhow!(
            "wasm-split failed: {error:#}\n(it needs the linker's relocations, which \
             .cargo/config.toml asks for with `-C link-arg=--emit-relocs`; a RUSTFLAGS variable \
             replaces that setting)"
        )
    })?;
    Ok(split.split_modules)
}

/// wasm-bindgen on the main module, into `out_dir` as `web.js` and `web_bg.wasm`. It must keep
/// the linker's exports, which the chunks link against.
fn bindgen(main_wasm: &Path, out_dir: &Path, profile: Profile) -> Result<()> {
    let mut bindgen = Command::new("wasm-bindgen");
    bindgen.arg(main_wasm).args([
        "--target",
        "web",
        "--no-typescript",
        "--keep-lld-exports",
        "--out-name",
        "web",
    ]);
    // The name section (function names for stack traces) is a third of an unoptimized
    // release module: keep it only in --dev builds.
    if profile == Profile::Release {
        bindgen.arg("--remove-name-section");
    }
    step(&command_line(&bindgen));
    run_tool(bindgen.arg("--out-dir").arg(out_dir))
}

/// The sizes `cargo xtask web` reports: the main module (downloaded before the first screen) and
/// the lazy chunks (downloaded as their routes open).
#[derive(Default)]
struct Sizes {
    main_raw: usize,
    main_gzip: usize,
    chunks: usize,
    chunks_raw: usize,
    chunks_gzip: usize,
}

impl Sizes {
    fn add_main(&mut self, bytes: &[u8]) -> Result<()> {
        self.main_raw = bytes.len();
        self.main_gzip = gzip_len(bytes)?;
        Ok(())
    }

    fn add_chunk(&mut self, bytes: &[u8]) -> Result<()> {
        self.chunks += 1;
        self.chunks_raw += bytes.len();
        self.chunks_gzip += gzip_len(bytes)?;
        Ok(())
    }
}

/// The module without the named custom sections. wasm-split gives each chunk a name section
/// (function names, for stack traces), which is more than half of a chunk's bytes; release
/// builds drop it, as wasm-bindgen's `--remove-name-section` does for the main module.
fn without_custom_sections(module: &[u8], names: &[&str]) -> Result<Vec<u8>> {
    let mut out = wasm_encoder::Module::new();
    for payload in wasmparser::Parser::new(0).parse_all(module) {
        let payload = payload?;
        if let wasmparser::Payload::CustomSection(section) = &payload
            && names.contains(&section.name())
        {
            continue;
        }
        if let Some((id, range)) = payload.as_section() {
            let range = usize::try_from(range.start)?..usize::try_from(range.end)?;
            out.section(&wasm_encoder::RawSection {
                id,
                data: &module[range],
            });
        }
    }
    Ok(out.finish())
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

/// Where cargo puts things, as `cargo metadata` tells (so `CARGO_TARGET_DIR` and
/// `build.target-dir` are honoured).
struct Layout {
    workspace_root: PathBuf,
    target_directory: PathBuf,
}

impl Layout {
    fn read(cargo: &str) -> Result<Self> {
        // From xtask's own folder, so that it finds this workspace wherever it is run from.
        let output = Command::new(cargo)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .output()
            .context("could not run cargo metadata")?;
        if !output.status.success() {
            bail!(
                "cargo metadata failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let json = String::from_utf8(output.stdout).context("cargo metadata printed non-UTF-8")?;
        let field = |name: &str| {
            json_string_field(&json, name)
                .map(PathBuf::from)
                .with_context(|| format!("cargo metadata has no {name}"))
        };
        Ok(Self {
            workspace_root: field("workspace_root")?,
            target_directory: field("target_directory")?,
        })
    }
}

/// The value of the first `"name":"…"` string member in compact JSON (as cargo prints it).
/// Enough for `cargo metadata`'s top-level paths, without a JSON dependency.
fn json_string_field(json: &str, name: &str) -> Option<String> {
    let start = json.find(&format!("\"{name}\":\""))? + name.len() + 4;
    let mut value = String::new();
    let mut chars = json[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                'b' => value.push('\u{8}'),
                'f' => value.push('\u{c}'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
}

/// The version of `package` in a Cargo.lock (the first one, if several are locked).
fn lockfile_version(lockfile: &Path, package: &str) -> Result<String> {
    let text = fs::read_to_string(lockfile)
        .with_context(|| format!("could not read {}", lockfile.display()))?;
    lock_version(&text, package)
        .with_context(|| format!("{package} is not in {}", lockfile.display()))
}

fn lock_version(lock: &str, package: &str) -> Option<String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            let version = lines
                .next()?
                .trim()
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            return Some(version.to_owned());
        }
    }
    None
}

/// wasm-bindgen's CLI must be exactly the version of the `wasm-bindgen` crate the app links.
fn check_wasm_bindgen(wanted: &str) -> Result<()> {
    let install = format!("cargo install wasm-bindgen-cli --version {wanted}");
    let output = match Command::new("wasm-bindgen").arg("--version").output() {
        Ok(output) => output,
        Err(_) => bail!("the wasm-bindgen CLI is not on PATH; install it with `{install}`"),
    };
    let text = String::from_utf8_lossy(&output.stdout);
    // "wasm-bindgen 0.2.130"
    let found = text.split_whitespace().nth(1).unwrap_or("(unknown)");
    if found != wanted {
        bail!(
            "wasm-bindgen CLI {found} is on PATH but Cargo.lock has wasm-bindgen {wanted}; \
             install the matching one with `{install}`"
        );
    }
    Ok(())
}

/// `web/index.html` with the tags that load the app from `base` (`/app/<version>`) in place of
/// the marker. The paths are absolute so that a deep link (`/me`, `/reset-password?token=…`)
/// served `index.html` still finds them.
fn write_index(web_dir: &Path, dist: &Path, base: &str) -> Result<()> {
    let template_path = web_dir.join("index.html");
    let template = fs::read_to_string(&template_path)
        .with_context(|| format!("could not read {}", template_path.display()))?;
    if !template.contains(BOOTSTRAP_MARKER) {
        bail!(
            "{} lacks the line {BOOTSTRAP_MARKER}",
            template_path.display()
        );
    }
    let bootstrap = format!(
        "<link rel=\"modulepreload\" href=\"{base}/web.js\">\n  \
         <link rel=\"preload\" href=\"{base}/web_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n  \
         <script type=\"module\">\n    \
         import init from \"{base}/web.js\";\n    \
         init({{ module_or_path: \"{base}/web_bg.wasm\" }});\n  \
         </script>"
    );
    let html = template.replace(BOOTSTRAP_MARKER, &bootstrap);
    fs::write(dist.join("index.html"), html).context("could not write web/dist/index.html")
}

/// A short tag naming this build's content.
fn version_tag(parts: &[Vec<u8>]) -> String {
    let mut crc = flate2::Crc::new();
    for part in parts {
        crc.update(part);
    }
    format!("{:08x}", crc.sum())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(to).with_context(|| format!("could not create {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("could not list {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .with_context(|| format!("could not copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

fn run_tool(command: &mut Command) -> Result<()> {
    let name = command.get_program().to_owned();
    let status = command
        .status()
        .with_context(|| format!("could not run {}", show(&name)))?;
    if !status.success() {
        bail!("{} failed ({status})", show(&name));
    }
    Ok(())
}

fn show(program: &OsStr) -> String {
    program.to_string_lossy().into_owned()
}

/// The command as a person would type it, for the log (paths shortened to their file name).
fn command_line(command: &Command) -> String {
    let mut words = vec![show(command.get_program())];
    for arg in command.get_args() {
        let path = Path::new(arg);
        let word = if path.is_absolute() {
            path.file_name().unwrap_or(arg)
        } else {
            arg
        };
        words.push(show(word));
    }
    words.join(" ")
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn step(what: &str) {
    println!("xtask: {what}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_version_from_the_lockfile() {
        let lock = "[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"0.2.1\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            lock_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(lock_version(lock, "leptos"), None);
    }

    #[test]
    fn reads_string_fields_of_cargo_metadata() {
        let json = r#"{"packages":[],"target_directory":"/tmp/a \"b\"\\c","workspace_root":"/w"}"#;
        assert_eq!(
            json_string_field(json, "target_directory").as_deref(),
            Some("/tmp/a \"b\"\\c")
        );
        assert_eq!(
            json_string_field(json, "workspace_root").as_deref(),
            Some("/w")
        );
        assert_eq!(json_string_field(json, "missing"), None);
    }
}
