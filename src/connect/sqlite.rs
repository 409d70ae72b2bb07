//! SQLite / libSQL connections through the `libsql` crate: a local file or a remote libSQL server
//! over Hrana-over-HTTP (`libsql://`, `https://`). It owns naming a target, opening it (read-only
//! or for writing), the busy timeout, the token of a remote server and one-line error messages
//! that never carry the token; it does not look for the token itself (the caller hands it over,
//! see [`crate::config::env::Env::libsql_auth_token`]) and runs no query of its own.
//!
//! A local file is read without leaving a file beside it ([`read`]): a rollback-journal database
//! with `mode=ro` (readers create nothing); a WAL database nobody has open (no `-wal`, no `-shm`)
//! with `immutable=1`, so SQLite creates no `-shm`/`-wal` it could not remove again, and read again
//! with locks if the file changed meanwhile; a WAL database in use with `mode=ro` and locks, its
//! `-wal`/`-shm` being there already. Every connection waits up to the busy timeout for a writer's
//! lock instead of failing with "database is locked" at once.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why a database could not be opened: one line, never the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Error(String);

/// Where a SQLite database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqliteTarget {
    /// A local database file.
    File(PathBuf),
    /// A remote libSQL server (`libsql://` is spoken as `https://`).
    Remote { url: String },
}

/// How to reach a SQLite / libSQL database.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Token for a remote server (`--auth-token`, `LIBSQL_AUTH_TOKEN`, `TURSO_AUTH_TOKEN`).
    pub auth_token: Option<String>,
    /// Limit for connecting and reading, remote or local.
    pub timeout: Duration,
    /// How long a local file waits for another connection's lock (SQLite's busy timeout).
    pub busy_timeout: Duration,
}

/// The busy timeout when none is given: long enough for a writer's transaction to finish.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            auth_token: None,
            timeout: Duration::from_secs(30),
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        }
    }
}

/// Is `source` a SQLite / libSQL source: `file:` URL, `libsql://` / `https://` / `http://` URL,
/// or a path ending in `.db`, `.sqlite`, `.sqlite3`, `.db3`?
pub fn is_sqlite_source(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    if lower.starts_with("file:")
        || lower.starts_with("libsql://")
        || lower.starts_with("https://")
        || lower.starts_with("http://")
    {
        return true;
    }
    Path::new(source).extension().is_some_and(|e| {
        let e = e.to_string_lossy().to_ascii_lowercase();
        matches!(e.as_str(), "db" | "sqlite" | "sqlite3" | "db3")
    })
}

/// The target a source names (see [`is_sqlite_source`]).
pub fn target_of(source: &str) -> SqliteTarget {
    let lower = source.to_ascii_lowercase();
    if lower.starts_with("libsql://")
        || lower.starts_with("https://")
        || lower.starts_with("http://")
    {
        return SqliteTarget::Remote {
            url: source.to_string(),
        };
    }
    if lower.starts_with("file:") {
        let rest = &source[5..];
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let path = rest.split('?').next().unwrap_or(rest);
        return SqliteTarget::File(PathBuf::from(path));
    }
    SqliteTarget::File(PathBuf::from(source))
}

/// A URL without its query string (which may carry `authToken=`) for messages.
pub fn redact(source: &str) -> String {
    match source.split_once('?') {
        Some((base, _)) => base.to_string(),
        None => source.to_string(),
    }
}

fn fail(message: impl Into<String>) -> Error {
    Error(message.into().replace('\n', " "))
}

/// How a local file is opened for reading (module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadMode {
    /// `mode=ro` with SQLite's locks.
    Locked,
    /// `immutable=1`: no locks, no `-shm`/`-wal`; only for a WAL file no connection has open.
    Immutable,
}

/// What a file looked like before an unlocked read, to tell whether it changed during it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// `path` with `suffix` appended to its file name (`app.db` → `app.db-wal`).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Checks a local file (missing, not a file, not SQLite) and says whether it is in WAL mode.
fn check_file(path: &Path) -> Result<bool, Error> {
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(format!(
            "cannot open SQLite database {}: {}",
            path.display(),
            if e.kind() == std::io::ErrorKind::NotFound {
                "no such file".to_string()
            } else {
                e.to_string()
            }
        ))
    })?;
    if !meta.is_file() {
        return Err(fail(format!(
            "cannot open SQLite database {}: not a file",
            path.display()
        )));
    }
    check_header(path)
}

/// A `file:` URI for `path` (SQLite is built with URI filenames on), percent-encoded so that
/// `?`, `#` and `%` in a file name stay part of the name.
fn file_uri(path: &Path, mode: ReadMode) -> Result<String, Error> {
    // Absolute, so a name starting with `//` is never read as a URI authority.
    let path = std::fs::canonicalize(path).map_err(|e| {
        fail(format!(
            "cannot open SQLite database {}: {e}",
            path.display()
        ))
    })?;
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str(match mode {
        ReadMode::Locked => "?mode=ro",
        ReadMode::Immutable => "?mode=ro&immutable=1",
    });
    Ok(uri)
}

async fn open_local_read(
    path: &Path,
    mode: ReadMode,
    options: &ConnectOptions,
) -> Result<libsql::Connection, Error> {
    let uri = file_uri(path, mode)?;
    open_local(path, uri, libsql::OpenFlags::SQLITE_OPEN_READ_ONLY, options).await
}

/// Opens the file at `path` through `name` (the path or a `file:` URI for it) with `flags`.
/// The connection waits up to the busy timeout for another's lock: readers for a writer, and
/// concurrent baselines queue on the write lock (BEGIN IMMEDIATE) instead of failing.
async fn open_local(
    path: &Path,
    name: impl AsRef<Path>,
    flags: libsql::OpenFlags,
    options: &ConnectOptions,
) -> Result<libsql::Connection, Error> {
    let open = |e: libsql::Error| {
        fail(format!(
            "cannot open SQLite database {}: {e}",
            path.display()
        ))
    };
    let db = libsql::Builder::new_local(name)
        .flags(flags)
        .build()
        .await
        .map_err(open)?;
    let conn = db.connect().map_err(open)?;
    conn.busy_timeout(options.busy_timeout).map_err(open)?;
    Ok(conn)
}

/// Opens the database read-only with locks: a file (missing, non-SQLite and corrupt files are
/// caught here, before anything else happens), a remote server with its token. [`read`] is the
/// way to read a file without leaving `-shm`/`-wal` files behind.
pub async fn connect(
    target: &SqliteTarget,
    options: &ConnectOptions,
) -> Result<libsql::Connection, Error> {
    match target {
        SqliteTarget::File(path) => {
            check_file(path)?;
            open_local_read(path, ReadMode::Locked, options).await
        }
        SqliteTarget::Remote { url } => {
            let (base, query_token) = split_token(url);
            let token = options
                .auth_token
                .clone()
                .or(query_token)
                .unwrap_or_default();
            let db = libsql::Builder::new_remote(base.clone(), token)
                .build()
                .await
                .map_err(|e| fail(format!("cannot connect to libSQL at {base}: {e}")))?;
            db.connect()
                .map_err(|e| fail(format!("cannot connect to libSQL at {base}: {e}")))
        }
    }
}

/// Runs `work` on a read-only connection to `target`, leaving no file beside a local database
/// (module doc). An unlocked read of a WAL file is repeated with locks when the file changed
/// while it ran (a writer checkpointed), so what `work` returns is always one consistent state.
pub async fn read<T, E: From<Error>>(
    target: &SqliteTarget,
    options: &ConnectOptions,
    work: impl AsyncFn(&libsql::Connection) -> Result<T, E>,
) -> Result<T, E> {
    let SqliteTarget::File(path) = target else {
        let conn = connect(target, options).await?;
        return work(&conn).await;
    };
    let wal = check_file(path)?;
    // No -wal and no -shm: no connection has the database open, and the main file holds every
    // committed transaction. `immutable=1` then reads it without creating either file. With a
    // writer around those files exist already, and a locked read adds nothing.
    let unused = !sidecar(path, "-wal").exists() && !sidecar(path, "-shm").exists();
    if wal && unused {
        let before = FileStamp::of(path);
        let conn = open_local_read(path, ReadMode::Immutable, options).await?;
        let result = work(&conn).await;
        drop(conn);
        if before.is_some() && FileStamp::of(path) == before {
            return result;
        }
    }
    let conn = open_local_read(path, ReadMode::Locked, options).await?;
    work(&conn).await
}

/// Opens the database for writing (`baseline`): a file must exist already and be a SQLite
/// database; a remote server is reached as in [`connect`].
pub async fn connect_writable(
    target: &SqliteTarget,
    options: &ConnectOptions,
) -> Result<libsql::Connection, Error> {
    let SqliteTarget::File(path) = target else {
        return connect(target, options).await;
    };
    if !path.is_file() {
        return Err(fail(format!(
            "cannot open SQLite database {}: no such file",
            path.display()
        )));
    }
    check_file(path)?;
    open_local(
        path,
        path,
        libsql::OpenFlags::SQLITE_OPEN_READ_WRITE,
        options,
    )
    .await
}

/// `authToken=` in the query string, as @libsql/client accepts it.
fn split_token(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let token = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("authToken="))
        .map(str::to_string);
    (base.to_string(), token)
}

/// A SQLite file starts with `SQLite format 3\0` (an empty file is an empty database). Returns
/// whether the header says WAL mode (read and write format version 2).
fn check_header(path: &Path) -> Result<bool, Error> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| {
        fail(format!(
            "cannot open SQLite database {}: {e}",
            path.display()
        ))
    })?;
    let mut head = [0u8; 20];
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => {
                return Err(fail(format!(
                    "cannot read SQLite database {}: {e}",
                    path.display()
                )))
            }
        }
    }
    if read == 0 {
        return Ok(false);
    }
    if read < 16 || &head[..16] != b"SQLite format 3\0" {
        return Err(fail(format!(
            "{} is not a SQLite database (no SQLite header)",
            path.display()
        )));
    }
    Ok(read == 20 && head[18] == 2 && head[19] == 2)
}

/// One line for a failed read: a refused token and an unreachable server said plainly.
pub fn describe_error(what: &str, display: &str, raw: &str) -> String {
    let clean = raw.replace('`', "");
    if clean.contains("401") || clean.contains("Unauthorized") || clean.contains("403") {
        return format!(
            "{display} refused the auth token (HTTP 401/403): pass a valid one with --auth-token or LIBSQL_AUTH_TOKEN / TURSO_AUTH_TOKEN"
        );
    }
    if let Some(at) = clean.find("error trying to connect: ") {
        let reason = clean[at + "error trying to connect: ".len()..].trim();
        return format!("cannot reach {display}: {reason}");
    }
    format!("reading the {what} of {display} failed: {clean}")
}

/// How a target is named in messages and in the schema's `source` (a URL without its query).
pub fn display_of(target: &SqliteTarget) -> String {
    match target {
        SqliteTarget::File(p) => p.display().to_string(),
        SqliteTarget::Remote { url } => redact(url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_keep_odd_names_as_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a b?c#d%e.db");
        std::fs::write(&path, b"").unwrap();
        let uri = file_uri(&path, ReadMode::Immutable).unwrap();
        assert!(
            uri.ends_with("/a%20b%3Fc%23d%25e.db?mode=ro&immutable=1"),
            "{uri}"
        );
        assert!(uri.starts_with("file:/"), "{uri}");
        assert!(file_uri(&path, ReadMode::Locked)
            .unwrap()
            .ends_with(".db?mode=ro"));
    }

    #[test]
    fn sources() {
        assert!(is_sqlite_source("dev.db"));
        assert!(is_sqlite_source("file:./dev.db"));
        assert!(is_sqlite_source("libsql://x.turso.io"));
        assert!(!is_sqlite_source("schema.prisma"));
        assert_eq!(
            target_of("file:./a.db"),
            SqliteTarget::File("./a.db".into())
        );
        assert_eq!(
            target_of("file:///tmp/a.db?mode=ro"),
            SqliteTarget::File("/tmp/a.db".into())
        );
    }
}
