//! TLS like libpq (issue 14): `verify-full` / `verify-ca` accept what libpq accepts and refuse the
//! rest with one line.
//!
//! Each test starts a PostgreSQL server of its own (`initdb` in a temp dir, a free port,
//! `ssl=on`) with certificates made here with `openssl`: the PostgreSQL docs' self-signed recipe
//! (`CA:TRUE`, no SAN) and a CA-signed certificate with a CN and no SAN. Every case is also run
//! with `psql` when it is installed, and both must agree. The server is stopped and its folder
//! removed when the test ends, failed or not ([`Server`]'s `Drop`).
//!
//! Needs the PostgreSQL server binaries (`PG_BINDIR`, else `/usr/lib/postgresql/*/bin`, else
//! `initdb` on PATH) and `openssl`. Without them the tests print a `SKIPPED:` line and pass,
//! except with `CI` set, where they fail. As root the server runs as the `postgres` user
//! (`initdb` refuses root).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use drizzle_port::connect::postgres::{self as pg, ConnectOptions};

fn ci() -> bool {
    std::env::var("CI")
        .map(|v| !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false")))
        .unwrap_or(false)
}

/// `None` (after a notice) when a tool is missing outside CI; a panic under CI.
fn require<T>(what: &str, found: Option<T>) -> Option<T> {
    if found.is_none() {
        if ci() {
            panic!("{what} required (CI is set)");
        }
        eprintln!("SKIPPED: {what} not found (set CI=1 to make this fatal)");
    }
    found
}

fn on_path(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(tool))
            .find(|p| p.is_file())
    })
}

/// The folder holding `initdb`, `pg_ctl` and `postgres`: `PG_BINDIR`, the newest Debian-style
/// `/usr/lib/postgresql/N/bin`, or `initdb`'s folder on PATH.
fn pg_bindir() -> Option<PathBuf> {
    let usable = |dir: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| dir.join(b).is_file())
    };
    if let Some(dir) = std::env::var_os("PG_BINDIR").map(PathBuf::from) {
        return usable(&dir).then_some(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, dir)| usable(dir))
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, dir)| dir)
        .or_else(|| on_path("initdb").and_then(|p| p.parent().map(Path::to_path_buf)))
        .filter(|dir| usable(dir))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[track_caller]
fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn openssl(dir: &Path, args: &[&str]) {
    run(Command::new("openssl").args(args).current_dir(dir));
}

/// A PostgreSQL server in a temp dir; stopped and removed on drop.
struct Server {
    dir: tempfile::TempDir,
    bindir: PathBuf,
    as_postgres: bool,
    port: u16,
    started: bool,
}

impl Server {
    /// `initdb` (trust auth) with `server.crt` / `server.key` from `certs`, then `pg_ctl start`.
    fn start(bindir: &Path, certs: &Path) -> Server {
        let dir = tempfile::Builder::new()
            .prefix("drizzle-port-tls-")
            .tempdir()
            .expect("temp dir");
        let as_postgres = is_root();
        let mut server = Server {
            dir,
            bindir: bindir.to_path_buf(),
            as_postgres,
            port: free_port(),
            started: false,
        };
        let data = server.data();
        if as_postgres {
            run(Command::new("chown")
                .arg("postgres:")
                .arg(server.dir.path()));
        }
        server.pg(
            "initdb",
            &[
                "-D",
                &data.display().to_string(),
                "--auth=trust",
                "--username=postgres",
                "--no-sync",
            ],
        );
        for file in ["server.crt", "server.key"] {
            std::fs::copy(certs.join(file), data.join(file)).expect("copy certificate");
        }
        let conf = format!(
            "\nlisten_addresses = 'localhost'\nport = {}\nunix_socket_directories = '{}'\n\
             ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n\
             fsync = off\nshared_buffers = 16MB\nmax_connections = 20\n",
            server.port,
            server.dir.path().display()
        );
        let conf_path = data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf_path).expect("postgresql.conf");
        text.push_str(&conf);
        std::fs::write(&conf_path, text).expect("write postgresql.conf");
        let key = data.join("server.key");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        if as_postgres {
            run(Command::new("chown").arg("-R").arg("postgres:").arg(&data));
        }
        let log = server.dir.path().join("server.log");
        server.started = true;
        server.pg(
            "pg_ctl",
            &[
                "-D",
                &data.display().to_string(),
                "-l",
                &log.display().to_string(),
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
        server
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, tool: &str, args: &[&str]) -> Command {
        let exe = self.bindir.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        };
        cmd.args(args).current_dir(self.dir.path());
        cmd
    }

    fn pg(&self, tool: &str, args: &[&str]) {
        run(&mut self.command(tool, args));
    }

    /// A URL to this server; `host` is what the certificate's name is checked against.
    fn url(&self, host: &str, params: &str) -> String {
        format!(
            "postgres://postgres@{host}:{}/postgres?connect_timeout=10&{params}",
            self.port
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.started {
            let data = self.data().display().to_string();
            let _ = self
                .command("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"])
                .output();
        }
        // The TempDir removes the folder after this.
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Connects with the library and reports whether the session really is encrypted.
fn connect(rt: &tokio::runtime::Runtime, url: &str) -> Result<tokio_postgres::Client, pg::Error> {
    let opts = ConnectOptions {
        connect_timeout: Duration::from_secs(10),
        ..ConnectOptions::default()
    };
    let client = rt.block_on(pg::connect(url, opts))?;
    let ssl: bool = rt
        .block_on(client.query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        ))
        .expect("pg_stat_ssl")
        .get(0);
    assert!(ssl, "connected without TLS: {url}");
    Ok(client)
}

/// What psql (libpq) says about the same connection: `Some(connected)`, `None` without psql.
fn psql_connects(server: &Server, host: &str, mode: &str, rootcert: &Path) -> Option<bool> {
    let psql = on_path("psql").or_else(|| {
        let p = server.bindir.join("psql");
        p.is_file().then_some(p)
    })?;
    let conninfo = format!(
        "host={host} port={} user=postgres dbname=postgres sslmode={mode} sslrootcert={} connect_timeout=10",
        server.port,
        rootcert.display()
    );
    let out = Command::new(psql)
        .args(["-X", "-A", "-t", "-q", "-c", "SELECT 1", &conninfo])
        // No client certificate or service file of the caller's may take part.
        .env("HOME", server.dir.path())
        .env_remove("PGSSLCERT")
        .env_remove("PGSSLKEY")
        .env_remove("PGSSLMODE")
        .env_remove("PGSSLROOTCERT")
        .env_remove("PGSERVICE")
        .output()
        .expect("run psql");
    Some(out.status.success())
}

/// One connection attempt: the library must do what `expect_ok` says (and what psql does).
#[track_caller]
fn case(
    rt: &tokio::runtime::Runtime,
    server: &Server,
    host: &str,
    mode: &str,
    rootcert: &Path,
    expect: Result<(), &str>,
) {
    let url = server.url(
        host,
        &format!("sslmode={mode}&sslrootcert={}", rootcert.display()),
    );
    let got = connect(rt, &url);
    let what = format!(
        "sslmode={mode} host={host} sslrootcert={}",
        rootcert.display()
    );
    match (&got, expect) {
        (Ok(_), Ok(())) => {}
        (Err(err), Err(needle)) => {
            let text = err.to_string();
            assert!(matches!(err, pg::Error::Tls { .. }), "{what}: {text}");
            assert!(!text.contains('\n'), "{what}: not one line: {text}");
            for debug in [
                "CaUsedAsEndEntity",
                "Other(",
                "InvalidCertificate",
                "{",
                "::",
            ] {
                assert!(!text.contains(debug), "{what}: debug text in: {text}");
            }
            assert!(text.contains(needle), "{what}: {needle:?} not in: {text}");
            eprintln!("refused as expected: {text}");
        }
        (Ok(_), Err(needle)) => panic!("{what}: connected, expected a refusal ({needle})"),
        (Err(err), Ok(())) => panic!("{what}: refused: {err}"),
    }
    if let Some(libpq) = psql_connects(server, host, mode, rootcert) {
        assert_eq!(
            libpq,
            expect.is_ok(),
            "{what}: psql {} where drizzle-port {}",
            if libpq { "connects" } else { "refuses" },
            if got.is_ok() { "connects" } else { "refuses" },
        );
    }
}

/// The tools, or `None` after a notice (a panic under CI).
fn tools() -> Option<PathBuf> {
    let bindir = require(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres)",
        pg_bindir(),
    )?;
    require("openssl", on_path("openssl"))?;
    if is_root() {
        let exists = Command::new("id")
            .arg("postgres")
            .output()
            .is_ok_and(|o| o.status.success());
        require(
            "a `postgres` user to run the test server as (initdb refuses root)",
            exists.then_some(()),
        )?;
        require("runuser", on_path("runuser"))?;
    }
    Some(bindir)
}

/// The PostgreSQL docs' recipe ("Creating Certificates"), with `cn` as the subject.
fn docs_self_signed(dir: &Path, cn: &str) {
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-x509",
            "-days",
            "365",
            "-nodes",
            "-text",
            "-out",
            "server.crt",
            "-keyout",
            "server.key",
            "-subj",
            &format!("/CN={cn}"),
        ],
    );
}

/// A CA (`ca.crt`) in `dir`.
fn make_ca(dir: &Path, name: &str) {
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-x509",
            "-days",
            "365",
            "-nodes",
            "-out",
            "ca.crt",
            "-keyout",
            "ca.key",
            "-subj",
            &format!("/CN={name}"),
        ],
    );
}

/// `server.crt` issued by `dir`'s CA with only a CN (no subjectAltName at all), valid for `days`
/// from now (`-1`: expired yesterday).
fn cn_only_leaf(dir: &Path, cn: &str, days: i32) {
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-nodes",
            "-out",
            "server.csr",
            "-keyout",
            "server.key",
            "-subj",
            &format!("/CN={cn}"),
        ],
    );
    std::fs::write(dir.join("leaf.ext"), "basicConstraints=critical,CA:FALSE\n").unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-days",
            &days.to_string(),
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-extfile",
            "leaf.ext",
        ],
    );
    let text = run(Command::new("openssl")
        .args(["x509", "-noout", "-text", "-in"])
        .arg(dir.join("server.crt")))
    .stdout;
    assert!(
        !String::from_utf8_lossy(&text).contains("Subject Alternative Name"),
        "the leaf must have no SAN"
    );
}

#[test]
fn docs_self_signed_certificate_like_libpq() {
    let Some(bindir) = tools() else {
        return;
    };
    let certs = tempfile::tempdir().unwrap();
    docs_self_signed(certs.path(), "localhost");
    // An unrelated CA: a root that did not issue the server's certificate.
    let other = tempfile::tempdir().unwrap();
    make_ca(other.path(), "Some other CA");
    let server = Server::start(&bindir, certs.path());
    let rt = runtime();
    let own = certs.path().join("server.crt");
    let foreign = other.path().join("ca.crt");

    // The certificate is CA:TRUE and trusted as itself: libpq accepts it.
    case(&rt, &server, "localhost", "verify-full", &own, Ok(()));
    case(&rt, &server, "localhost", "verify-ca", &own, Ok(()));
    // Its only name is CN=localhost: an IP host does not match it.
    case(
        &rt,
        &server,
        "127.0.0.1",
        "verify-full",
        &own,
        Err("not for host \"127.0.0.1\""),
    );
    case(&rt, &server, "127.0.0.1", "verify-ca", &own, Ok(()));
    // Not in sslrootcert: refused whatever the name.
    case(
        &rt,
        &server,
        "localhost",
        "verify-full",
        &foreign,
        Err("not itself in sslrootcert"),
    );
    case(
        &rt,
        &server,
        "localhost",
        "verify-ca",
        &foreign,
        Err("not itself in sslrootcert"),
    );

    // The platform's roots do not hold this certificate either (psql 16 says the same; older
    // libpq reads "system" as a missing file and refuses too).
    case(
        &rt,
        &server,
        "localhost",
        "verify-full",
        Path::new("system"),
        Err("not itself in the "),
    );

    // The CLI end to end: `pull` over verify-full reads the table; a wrong host fails in one line.
    let client = connect(
        &rt,
        &server.url(
            "localhost",
            &format!("sslmode=verify-full&sslrootcert={}", own.display()),
        ),
    )
    .expect("connect");
    rt.block_on(client.batch_execute("CREATE TABLE t (id int PRIMARY KEY)"))
        .expect("create table");
    let out_dir = tempfile::tempdir().unwrap();
    let pull = |host: &str| {
        Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
            .arg("pull")
            .arg(server.url(
                host,
                &format!("sslmode=verify-full&sslrootcert={}", own.display()),
            ))
            .arg("-o")
            .arg(out_dir.path().join(host))
            .env("NO_COLOR", "1")
            .output()
            .expect("run drizzle-port")
    };
    let ok = pull("localhost");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(out_dir.path().join("localhost/schema.ts").is_file());
    let refused = pull("127.0.0.1");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains("TLS handshake"))
        .unwrap_or_else(|| panic!("no TLS line in: {stderr}"));
    assert!(
        line.contains("the server certificate is for CN \"localhost\", not for host \"127.0.0.1\""),
        "{stderr}"
    );
    assert!(!stderr.contains("NotValidForName"), "{stderr}");
}

#[test]
fn ca_signed_cn_only_certificate_like_libpq() {
    let Some(bindir) = tools() else {
        return;
    };
    let certs = tempfile::tempdir().unwrap();
    make_ca(certs.path(), "drizzle-port test CA");
    cn_only_leaf(certs.path(), "localhost", 365);
    let other = tempfile::tempdir().unwrap();
    make_ca(other.path(), "drizzle-port test CA");
    let server = Server::start(&bindir, certs.path());
    let rt = runtime();
    let ca = certs.path().join("ca.crt");
    // Same subject as the real CA, different key: a forged root must not pass.
    let forged = other.path().join("ca.crt");

    // No SAN: libpq falls back to the CN.
    case(&rt, &server, "localhost", "verify-full", &ca, Ok(()));
    case(
        &rt,
        &server,
        "127.0.0.1",
        "verify-full",
        &ca,
        Err("not for host \"127.0.0.1\""),
    );
    case(&rt, &server, "127.0.0.1", "verify-ca", &ca, Ok(()));
    case(
        &rt,
        &server,
        "localhost",
        "verify-full",
        &forged,
        Err("signature does not verify with sslrootcert"),
    );
    // The leaf alone is no root: its issuer is missing.
    let leaf = certs.path().join("server.crt");
    case(
        &rt,
        &server,
        "localhost",
        "verify-ca",
        &leaf,
        Err("not issued by a certificate in sslrootcert"),
    );
}

#[test]
fn expired_certificate_is_refused_like_libpq() {
    let Some(bindir) = tools() else {
        return;
    };
    let certs = tempfile::tempdir().unwrap();
    make_ca(certs.path(), "drizzle-port test CA");
    cn_only_leaf(certs.path(), "localhost", -1);
    let server = Server::start(&bindir, certs.path());
    let rt = runtime();
    let ca = certs.path().join("ca.crt");
    for mode in ["verify-full", "verify-ca"] {
        case(
            &rt,
            &server,
            "localhost",
            mode,
            &ca,
            Err("the server certificate expired on "),
        );
    }
    // `require` does not look at the certificate, in libpq either.
    let plain_require = server.url("localhost", "sslmode=require");
    connect(&rt, &plain_require).expect("sslmode=require ignores the dates");
}
