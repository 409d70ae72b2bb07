//! SQLite beside other connections (issue 14): a pull waits for a writer's lock (busy timeout,
//! `--busy-timeout`), concurrent `baseline` runs queue on the write lock and record one set of
//! rows, and reading a file leaves no `-wal`/`-shm`/`-journal` file beside it.
//!
//! Needs nothing but the binary: the databases are made and locked through the libsql crate.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const SCHEMA: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE UNIQUE INDEX users_email ON users(email);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER NOT NULL REFERENCES users(id), title TEXT);
CREATE INDEX posts_author ON posts(author);";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn open(path: &Path) -> libsql::Connection {
    libsql::Builder::new_local(path)
        .build()
        .await
        .expect("open")
        .connect()
        .expect("connect")
}

/// A database at `path` with [`SCHEMA`], in WAL mode when `wal`; every connection closed.
fn make_db(path: &Path, wal: bool) {
    runtime().block_on(async {
        let conn = open(path).await;
        if wal {
            let mut rows = conn.query("PRAGMA journal_mode = WAL", ()).await.unwrap();
            let mode = rows
                .next()
                .await
                .unwrap()
                .unwrap()
                .get::<String>(0)
                .unwrap();
            assert_eq!(mode, "wal");
        }
        conn.execute_batch(SCHEMA).await.unwrap();
    });
}

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drizzle-port"));
    cmd.env_remove("DATABASE_URL")
        .env_remove("LIBSQL_AUTH_TOKEN")
        .env("NO_COLOR", "1");
    cmd
}

fn pull(db: &Path, out: &Path, extra: &[&str]) -> Output {
    bin()
        .arg("pull")
        .arg(db)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .expect("run drizzle-port")
}

fn listing(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Holds an EXCLUSIVE lock on `db` (readers get SQLITE_BUSY) from before this returns until
/// `hold` has passed; join the handle to know it was released.
fn hold_exclusive_lock(db: PathBuf, hold: Duration) -> std::thread::JoinHandle<()> {
    let (locked, is_locked) = mpsc::channel();
    let handle = std::thread::spawn(move || {
        runtime().block_on(async {
            let conn = open(&db).await;
            conn.execute("BEGIN EXCLUSIVE", ()).await.unwrap();
            conn.execute("INSERT INTO users (email) VALUES (hex(randomblob(8)))", ())
                .await
                .unwrap();
            locked.send(()).unwrap();
            std::thread::sleep(hold);
            conn.execute("COMMIT", ()).await.unwrap();
        });
    });
    is_locked.recv().expect("writer took the lock");
    handle
}

#[test]
fn pull_waits_for_a_writer_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    make_db(&db, false);
    let out = tempfile::tempdir().unwrap();

    // A writer holds the lock for 1 s: the default busy timeout (5 s) waits it out.
    let writer = hold_exclusive_lock(db.clone(), Duration::from_secs(1));
    let started = Instant::now();
    let ok = pull(&db, &out.path().join("a"), &[]);
    let waited = started.elapsed();
    writer.join().unwrap();
    assert!(
        ok.status.success(),
        "pull beside a writer: {}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(out.path().join("a/schema.ts").is_file());
    eprintln!("pull beside a 1 s writer took {waited:?}");

    // With a busy timeout shorter than the writer's hold it fails, in one line.
    let writer = hold_exclusive_lock(db.clone(), Duration::from_secs(2));
    let refused = pull(&db, &out.path().join("b"), &["--busy-timeout", "200ms"]);
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("database is locked"), "{stderr}");

    // `check` takes the flag too (and a bare number is milliseconds).
    let writer = hold_exclusive_lock(db.clone(), Duration::from_secs(1));
    let same = bin()
        .arg("check")
        .arg(&db)
        .arg(&db)
        .args(["--busy-timeout", "5000"])
        .output()
        .unwrap();
    writer.join().unwrap();
    assert_eq!(
        same.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&same.stderr)
    );
    let bad = bin()
        .args(["check", "a.db", "b.db", "--busy-timeout", "soon"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--busy-timeout"));
}

#[test]
fn concurrent_baselines_record_one_set_of_rows() {
    const RUNS: usize = 20;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    make_db(&db, false);
    // The migrations folder `pull` writes, with its snapshot: verified baselines, not --no-verify.
    let folder = dir.path().join("drizzle");
    let out = pull(&db, &folder, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let children: Vec<_> = (0..RUNS)
        .map(|_| {
            bin()
                .arg("baseline")
                .arg("--migrations")
                .arg(&folder)
                .arg("--url")
                .arg(&db)
                .arg("--no-env-file")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn baseline")
        })
        .collect();
    let mut failures = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        if !out.status.success() {
            failures.push(format!(
                "exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {RUNS} baselines failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let rows = runtime().block_on(async {
        let conn = open(&db).await;
        let mut rows = conn
            .query(
                "SELECT count(*), count(DISTINCT hash) FROM __drizzle_migrations",
                (),
            )
            .await
            .unwrap();
        let row = rows.next().await.unwrap().unwrap();
        (row.get::<i64>(0).unwrap(), row.get::<i64>(1).unwrap())
    });
    assert_eq!(rows, (1, 1), "one migration, one row");
}

#[test]
fn reading_leaves_the_folder_as_it_was() {
    for wal in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("app.db");
        make_db(&db, wal);
        let before = listing(dir.path());
        assert_eq!(before, BTreeSet::from(["app.db".to_owned()]), "wal={wal}");
        let out = tempfile::tempdir().unwrap();
        let pulled = pull(&db, &out.path().join("drizzle"), &[]);
        assert!(
            pulled.status.success(),
            "wal={wal}: {}",
            String::from_utf8_lossy(&pulled.stderr)
        );
        let checked = bin().arg("check").arg(&db).arg(&db).output().unwrap();
        assert_eq!(checked.status.code(), Some(0), "wal={wal}");
        assert_eq!(
            listing(dir.path()),
            before,
            "wal={wal}: files left beside the database"
        );
    }

    // A WAL database another connection has open: its -wal/-shm are there already; the read
    // goes through SQLite's locks (it sees the open writer's committed rows) and adds nothing.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    make_db(&db, true);
    let rt = runtime();
    let conn = rt.block_on(open(&db));
    rt.block_on(conn.execute("CREATE TABLE late (id INTEGER PRIMARY KEY)", ()))
        .unwrap();
    let before = listing(dir.path());
    assert!(before.contains("app.db-wal"), "{before:?}");
    let out = tempfile::tempdir().unwrap();
    let pulled = pull(&db, &out.path().join("drizzle"), &[]);
    assert!(pulled.status.success());
    let schema = std::fs::read_to_string(out.path().join("drizzle/schema.ts")).unwrap();
    assert!(
        schema.contains("\"late\""),
        "the committed table in the WAL is read"
    );
    assert_eq!(listing(dir.path()), before);
    drop(conn);
}
