//! Connection strings, TLS and the connect call itself.
//!
//! tokio-postgres parses libpq URLs but rejects parameters it does not know (`sslmode=verify-full`,
//! `sslrootcert`, Prisma's `?schema=public`, …). So the string is split here first: the parameters
//! this module implements itself are taken out, the ones tokio-postgres understands are handed
//! over, and the rest are reported as ignored instead of failing the whole connection.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use tokio_postgres::config::{Host, SslMode as PgSslMode};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::tls::{handshake_reason, tls_config, RootCerts};
use super::{describe, one_line, Error};

/// libpq's `sslmode`, all six values (tokio-postgres itself knows only three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SslMode {
    /// Plain TCP only.
    Disable,
    /// Plain first; TLS only if the server refuses the plain connection.
    Allow,
    /// TLS if the server offers it (certificate not checked), else plain. libpq's default.
    #[default]
    Prefer,
    /// TLS or fail; the certificate is not checked (libpq semantics, not node-postgres').
    Require,
    /// TLS, certificate chain checked, host name not checked.
    VerifyCa,
    /// TLS, certificate chain and host name checked.
    VerifyFull,
}

impl SslMode {
    /// The libpq spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SslMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "disable" => Ok(SslMode::Disable),
            "allow" => Ok(SslMode::Allow),
            "prefer" => Ok(SslMode::Prefer),
            "require" => Ok(SslMode::Require),
            "verify-ca" => Ok(SslMode::VerifyCa),
            "verify-full" => Ok(SslMode::VerifyFull),
            // pg-connection-string (node-postgres) spelling for "TLS without verification".
            "no-verify" => Ok(SslMode::Require),
            other => Err(format!(
                "invalid sslmode \"{other}\" (expected disable, allow, prefer, require, verify-ca or verify-full)"
            )),
        }
    }
}

/// How to connect, beyond what the URL says.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Per-host connect timeout when the URL has no `connect_timeout` (libpq semantics: a URL
    /// value of 0 means wait forever).
    pub connect_timeout: Duration,
    /// `SET statement_timeout` right after connecting; `None` keeps the server's setting.
    pub statement_timeout: Option<Duration>,
    /// `application_name` reported to the server when the URL sets none.
    pub application_name: String,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            connect_timeout: Duration::from_secs(10),
            statement_timeout: None,
            application_name: "drizzle-port".to_owned(),
        }
    }
}

/// A connection string split into what tokio-postgres takes and what this module handles.
#[derive(Debug, Clone)]
pub struct ParsedUrl {
    /// Everything tokio-postgres understands (its `ssl_mode` is overwritten per attempt).
    pub config: Config,
    pub ssl_mode: SslMode,
    /// `sslrootcert`: a file, `system`, or nothing (the bundled Mozilla roots).
    pub ssl_root_cert: RootCerts,
    /// `connect_timeout` from the URL in seconds; `Some(0)` means no timeout.
    pub connect_timeout_secs: Option<u64>,
    /// Parameters neither we nor tokio-postgres use (Prisma's `schema`, `connection_limit`, …),
    /// by name only (values may be secret), so the caller can warn about them.
    pub ignored_params: Vec<String>,
}

/// Parameters tokio-postgres 0.7 parses itself (see `Config::param`).
const TOKIO_POSTGRES_PARAMS: &[&str] = &[
    "user",
    "password",
    "dbname",
    "options",
    "application_name",
    "sslnegotiation",
    "host",
    "hostaddr",
    "port",
    "tcp_user_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_retries",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
];

/// The parameters this module implements instead of tokio-postgres.
#[derive(Default)]
struct OwnParams {
    sslmode: Option<SslMode>,
    /// node-postgres' `ssl=true|false`, used when `sslmode` is absent.
    ssl_flag: Option<bool>,
    root_cert: Option<String>,
    connect_timeout: Option<String>,
    fallback_application_name: Option<String>,
    ignored: Vec<String>,
}

impl OwnParams {
    /// Takes `key` if it is ours; returns `false` when it should be passed to tokio-postgres.
    fn take(&mut self, key: &str, value: &str) -> Result<bool, Error> {
        match key {
            "sslmode" => {
                let mode = value
                    .parse()
                    .map_err(|reason| Error::InvalidUrl { reason })?;
                self.sslmode = Some(mode);
            }
            "ssl" => {
                self.ssl_flag = Some(matches!(
                    value.to_ascii_lowercase().as_str(),
                    "true" | "1" | "on"
                ));
            }
            "sslrootcert" => self.root_cert = Some(value.to_owned()),
            "connect_timeout" => self.connect_timeout = Some(value.to_owned()),
            "fallback_application_name" => self.fallback_application_name = Some(value.to_owned()),
            k if TOKIO_POSTGRES_PARAMS.contains(&k) => return Ok(false),
            other => self.ignored.push(other.to_owned()),
        }
        Ok(true)
    }
}

/// Parses a `postgres://` / `postgresql://` URL or a libpq `key=value` string.
pub fn parse_url(url: &str) -> Result<ParsedUrl, Error> {
    let url = url.trim();
    if url.is_empty() {
        return Err(Error::InvalidUrl {
            reason: "the connection string is empty".to_owned(),
        });
    }
    let mut own = OwnParams::default();
    let encoded = encode_userinfo_at_signs(url);
    let url = encoded.as_str();
    let for_tokio = if let Some(rest) = strip_url_scheme(url) {
        rewrite_url(url, rest, &mut own)?
    } else if let Some((scheme, _)) = url.split_once("://") {
        return Err(Error::InvalidUrl {
            reason: format!(
                "unsupported scheme \"{}\" (expected postgres:// or postgresql://)",
                redact_url(scheme)
            ),
        });
    } else {
        rewrite_key_values(url, &mut own)?
    };

    let mut config = Config::from_str(&for_tokio).map_err(|err| {
        let mut reason = std::error::Error::source(&err)
            .map(|s| s.to_string())
            .unwrap_or_else(|| err.to_string());
        if strip_url_scheme(url).is_some() && authority_has_several_at_signs(url) {
            reason.push_str(" (percent-encode special characters in the password, e.g. @ as %40)");
        }
        Error::InvalidUrl {
            reason: one_line(&reason),
        }
    })?;

    if config.get_application_name().is_none() {
        if let Some(name) = &own.fallback_application_name {
            config.application_name(name);
        }
    }

    let connect_timeout_secs = match &own.connect_timeout {
        None => None,
        Some(raw) => {
            let secs: i64 = raw.trim().parse().map_err(|_| Error::InvalidUrl {
                reason: format!("invalid connect_timeout \"{raw}\" (expected whole seconds)"),
            })?;
            Some(u64::try_from(secs).unwrap_or(0))
        }
    };

    let ssl_root_cert = match own.root_cert.as_deref() {
        None | Some("") => RootCerts::Bundled,
        Some("system") => RootCerts::System,
        Some(path) => RootCerts::File(path.into()),
    };
    let mut ssl_mode = match (own.sslmode, own.ssl_flag) {
        (Some(mode), _) => mode,
        (None, Some(true)) => SslMode::Require,
        (None, Some(false)) => SslMode::Disable,
        // libpq 16: the system roots make verify-full the default...
        (None, None) if ssl_root_cert == RootCerts::System => SslMode::VerifyFull,
        (None, None) => SslMode::Prefer,
    };
    // ...and refuse anything weaker: anyone can get a publicly trusted certificate for a name
    // they control, so a chain check alone proves nothing.
    if ssl_root_cert == RootCerts::System && ssl_mode != SslMode::VerifyFull {
        return Err(Error::InvalidUrl {
            reason: format!(
                "sslrootcert=system needs sslmode=verify-full (got sslmode={ssl_mode}), as libpq requires"
            ),
        });
    }
    // libpq: with a root certificate file given, `require` verifies the chain like `verify-ca`.
    if ssl_mode == SslMode::Require && matches!(ssl_root_cert, RootCerts::File(_)) {
        ssl_mode = SslMode::VerifyCa;
    }

    Ok(ParsedUrl {
        config,
        ssl_mode,
        ssl_root_cert,
        connect_timeout_secs,
        ignored_params: own.ignored,
    })
}

fn strip_url_scheme(url: &str) -> Option<&str> {
    ["postgres://", "postgresql://"].iter().find_map(|prefix| {
        url.get(..prefix.len())
            .filter(|head| head.eq_ignore_ascii_case(prefix))
            .map(|_| &url[prefix.len()..])
    })
}

/// Removes our parameters from the query string; the rest of the URL is passed through untouched.
fn rewrite_url(url: &str, rest: &str, own: &mut OwnParams) -> Result<String, Error> {
    // Same split as tokio-postgres: credentials end at the first '@', the query starts at the
    // first '?' after that.
    let creds_end = rest.find('@').map_or(0, |at| at + 1);
    let Some(q) = rest[creds_end..].find('?').map(|q| q + creds_end) else {
        return Ok(url.to_owned());
    };
    let base_len = url.len() - rest.len() + q;
    let (base, query) = (&url[..base_len], &url[base_len + 1..]);
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = pair.split_once('=').ok_or_else(|| Error::InvalidUrl {
            reason: format!(
                "URL parameter \"{}\" has no value",
                redact_url_param_name(pair)
            ),
        })?;
        let key = percent_decode(raw_key)?;
        let value = percent_decode(raw_value)?;
        if !own.take(&key, &value)? {
            kept.push(pair);
        }
    }
    Ok(if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    })
}

/// Parameter names are not secret but a malformed `password…` fragment might be.
fn redact_url_param_name(pair: &str) -> String {
    if pair.to_ascii_lowercase().contains("password") {
        "password=****".to_owned()
    } else {
        pair.chars().take(40).collect()
    }
}

/// A password with an unencoded `@` (`postgres://u:p@ss@host/db`): the credentials end at the
/// LAST `@` before the query, as node's URL parser (and so drizzle-kit and node-postgres) reads
/// it; tokio-postgres would cut at the first and take the rest of the password for the host.
fn encode_userinfo_at_signs(url: &str) -> String {
    let Some(rest) = strip_url_scheme(url) else {
        return url.to_owned();
    };
    let before_query = rest.find('?').map_or(rest, |q| &rest[..q]);
    match before_query.rfind('@') {
        Some(last_at) if rest[..last_at].contains('@') => {
            let head = &url[..url.len() - rest.len()];
            format!(
                "{head}{}{}",
                rest[..last_at].replace('@', "%40"),
                &rest[last_at..]
            )
        }
        _ => url.to_owned(),
    }
}

fn authority_has_several_at_signs(url: &str) -> bool {
    let rest = strip_url_scheme(url).unwrap_or(url);
    let end = rest.rfind('@').map_or(0, |at| at + 1);
    let host_end = rest[end..].find(['/', '?']).map_or(rest.len(), |i| i + end);
    rest[..host_end].matches('@').count() > 1
}

fn rewrite_key_values(input: &str, own: &mut OwnParams) -> Result<String, Error> {
    let pairs = parse_key_values(input).map_err(|reason| Error::InvalidUrl { reason })?;
    if pairs.is_empty() {
        return Err(Error::InvalidUrl {
            reason: "no connection parameters given".to_owned(),
        });
    }
    let mut kept = Vec::new();
    for pair in pairs {
        if !own.take(&pair.key, &pair.value)? {
            let escaped = pair.value.replace('\\', "\\\\").replace('\'', "\\'");
            kept.push(format!("{}='{escaped}'", pair.key));
        }
    }
    Ok(kept.join(" "))
}

/// Is `input` a libpq keyword/value connection string (`host=… dbname=…`) rather than a path?
pub fn is_key_value_string(input: &str) -> bool {
    const KEYS: [&str; 6] = ["host", "hostaddr", "dbname", "user", "port", "service"];
    key_values(input)
        .iter()
        .any(|(key, _)| KEYS.contains(&key.as_str()))
}

/// The `(key, value)` pairs of a libpq keyword/value string; nothing when it is not one.
pub fn key_values(input: &str) -> Vec<(String, String)> {
    parse_key_values(input)
        .map(|pairs| pairs.into_iter().map(|p| (p.key, p.value)).collect())
        .unwrap_or_default()
}

/// One `key=value` of a libpq keyword/value string, with the byte range of its value.
struct KeyValue {
    key: String,
    value: String,
    value_span: std::ops::Range<usize>,
}

/// libpq keyword/value syntax, as tokio-postgres reads it: `key = value` separated by whitespace,
/// values either bare (backslash escapes) or single-quoted (backslash escapes `\'` and `\\`).
fn parse_key_values(input: &str) -> Result<Vec<KeyValue>, String> {
    let mut out = Vec::new();
    let mut it = input.char_indices().peekable();
    let skip_ws = |it: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
        while it.next_if(|(_, c)| c.is_whitespace()).is_some() {}
    };
    loop {
        skip_ws(&mut it);
        let Some(&(key_start, _)) = it.peek() else {
            break;
        };
        let mut key_end = input.len();
        while let Some(&(i, c)) = it.peek() {
            if c.is_whitespace() || c == '=' {
                key_end = i;
                break;
            }
            it.next();
        }
        let key = &input[key_start..key_end];
        skip_ws(&mut it);
        if it.next().map(|(_, c)| c) != Some('=') {
            return Err(format!("expected '=' after \"{key}\""));
        }
        skip_ws(&mut it);
        let value_start = it.peek().map_or(input.len(), |&(i, _)| i);
        let mut value = String::new();
        let value_end;
        if it.next_if(|&(_, c)| c == '\'').is_some() {
            loop {
                match it.next() {
                    Some((i, '\'')) => {
                        value_end = i + 1;
                        break;
                    }
                    Some((_, '\\')) => {
                        if let Some((_, c)) = it.next() {
                            value.push(c);
                        }
                    }
                    Some((_, c)) => value.push(c),
                    None => return Err(format!("unterminated quoted value for \"{key}\"")),
                }
            }
        } else {
            let mut end = input.len();
            while let Some(&(i, c)) = it.peek() {
                if c.is_whitespace() {
                    end = i;
                    break;
                }
                it.next();
                if c == '\\' {
                    if let Some((_, c2)) = it.next() {
                        value.push(c2);
                    }
                } else {
                    value.push(c);
                }
            }
            if value.is_empty() {
                return Err(format!("missing value for \"{key}\""));
            }
            value_end = end;
        }
        out.push(KeyValue {
            key: key.to_owned(),
            value,
            value_span: value_start..value_end,
        });
    }
    Ok(out)
}

fn percent_decode(raw: &str) -> Result<String, Error> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                // Two hex digits are < 256, so the cast is exact.
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| Error::InvalidUrl {
        reason: "a URL parameter is not valid UTF-8 after percent-decoding".to_owned(),
    })
}

/// Replaces the password in a connection string with `****`: the `user:password@` part of a URL,
/// `password=`/`sslpassword=` URL parameters and `password=…` in `key=value` strings. When the
/// string cannot be parsed the redaction errs on the side of hiding too much.
pub fn redact_url(url: &str) -> String {
    const MASK: &str = "****";
    let is_secret = crate::connect::secrets::is_secret_key;
    if let Some(scheme_end) = url.find("://") {
        let (head, rest) = url.split_at(scheme_end + 3);
        // `user:password@`: the password may contain unencoded '@', '/', ':' or '?', so everything
        // from the first ':' to the LAST '@' is hidden. That over-redacts when the query holds an
        // '@' too, which is the safe direction. A user part containing '/' or '?' means the '@'
        // is not in the authority at all (e.g. `host/db?x=a@b`).
        let userinfo = rest.find('@').and_then(|first_at| {
            let colon = rest[..first_at].find(':')?;
            (!rest[..colon].contains(['/', '?', '#'])).then_some(colon)
        });
        let mut out = String::from(head);
        let remainder = match userinfo {
            Some(colon) => {
                out.push_str(&rest[..=colon]);
                out.push_str(MASK);
                &rest[rest.rfind('@').unwrap_or(colon + 1)..]
            }
            None => rest,
        };
        let Some(q) = remainder.find('?') else {
            out.push_str(remainder);
            return out;
        };
        out.push_str(&remainder[..=q]);
        let query = &remainder[q + 1..];
        let (query, fragment) = match query.find('#') {
            Some(h) => (&query[..h], &query[h..]),
            None => (query, ""),
        };
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if is_secret(&percent_decode(key).unwrap_or_default()) => {
                    format!("{key}={MASK}")
                }
                Some(_) => pair.to_owned(),
                None if pair.to_ascii_lowercase().contains("password") => MASK.to_owned(),
                None => pair.to_owned(),
            })
            .collect();
        out.push_str(&pairs.join("&"));
        out.push_str(fragment);
        return out;
    }
    match parse_key_values(url) {
        Ok(pairs) => {
            let mut out = String::with_capacity(url.len());
            let mut pos = 0;
            for pair in pairs.iter().filter(|p| is_secret(&p.key)) {
                out.push_str(&url[pos..pair.value_span.start]);
                out.push_str(MASK);
                pos = pair.value_span.end;
            }
            out.push_str(&url[pos..]);
            out
        }
        Err(_) => {
            // Not parseable: hide everything after a password keyword, and any `user:pass@`.
            let lower = url.to_ascii_lowercase();
            if let Some(i) = lower.find("password") {
                format!("{}{MASK}", &url[..i])
            } else if let Some(at) = url.rfind('@') {
                format!("{MASK}{}", &url[at..])
            } else {
                url.to_owned()
            }
        }
    }
}

/// Connects, spawns the connection task on the current tokio runtime, and applies the session
/// settings from `opts`. Must be called inside a tokio runtime with IO and time enabled; the client
/// works only as long as that runtime lives (the connection task runs there).
pub async fn connect(url: &str, opts: ConnectOptions) -> Result<Client, Error> {
    let parsed = parse_url(url)?;
    connect_parsed(&parsed, &opts).await
}

/// [`connect`] for an already parsed connection string.
pub async fn connect_parsed(parsed: &ParsedUrl, opts: &ConnectOptions) -> Result<Client, Error> {
    let mut config = parsed.config.clone();
    if config.get_application_name().is_none() && !opts.application_name.is_empty() {
        config.application_name(&opts.application_name);
    }
    let per_host = match parsed.connect_timeout_secs {
        Some(0) => None,
        Some(secs) => Some(Duration::from_secs(secs)),
        None => Some(opts.connect_timeout),
    };
    if let Some(t) = per_host {
        // tokio-postgres applies this to each TCP connect only; the outer timeout below also
        // covers TLS and authentication, like libpq's connect_timeout.
        config.connect_timeout(t);
    }

    let client = match parsed.ssl_mode {
        SslMode::Disable => attempt(&config, parsed, SslMode::Disable, per_host).await?,
        SslMode::Allow => match attempt(&config, parsed, SslMode::Disable, per_host).await {
            // libpq retries with TLS when the server turned the plain connection down.
            Err(Error::Authentication { .. } | Error::Server { .. }) => {
                attempt(&config, parsed, SslMode::Require, per_host).await?
            }
            other => other?,
        },
        SslMode::Prefer => match attempt(&config, parsed, SslMode::Prefer, per_host).await {
            // libpq falls back to plain when the TLS handshake itself fails under `prefer`.
            Err(Error::Tls { .. }) => attempt(&config, parsed, SslMode::Disable, per_host).await?,
            other => other?,
        },
        mode => attempt(&config, parsed, mode, per_host).await?,
    };

    if let Some(timeout) = opts.statement_timeout {
        // An integer literal: nothing to quote, and SET cannot take bind parameters.
        let sql = format!("SET statement_timeout = {}", timeout.as_millis());
        client
            .batch_execute(&sql)
            .await
            .map_err(|err| Error::Server {
                endpoint: endpoint(&config),
                reason: format!("could not set statement_timeout: {}", describe(&err)),
            })?;
    }
    Ok(client)
}

async fn attempt(
    config: &Config,
    parsed: &ParsedUrl,
    mode: SslMode,
    per_host: Option<Duration>,
) -> Result<Client, Error> {
    let mut config = config.clone();
    config.ssl_mode(match mode {
        SslMode::Disable | SslMode::Allow => PgSslMode::Disable,
        SslMode::Prefer => PgSslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => PgSslMode::Require,
    });
    let tls = MakeRustlsConnect::new(tls_config(mode, &parsed.ssl_root_cert)?);
    let hosts = config
        .get_hosts()
        .len()
        .max(config.get_hostaddrs().len())
        .max(1);
    let connecting = config.connect(tls);
    let result = match per_host {
        Some(t) => {
            let total = t.saturating_mul(u32::try_from(hosts).unwrap_or(u32::MAX));
            match tokio::time::timeout(total, connecting).await {
                Ok(result) => result,
                Err(_) => {
                    return Err(Error::Timeout {
                        endpoint: endpoint(&config),
                        after: t,
                    })
                }
            }
        }
        None => connecting.await,
    };
    match result {
        Ok((client, connection)) => {
            // The connection future drives the socket; it ends when the client is dropped. Errors
            // after this point surface on the client's next query, so nothing is lost here.
            tokio::spawn(async move {
                let _ = connection.await;
            });
            Ok(client)
        }
        Err(err) => Err(classify(&err, &config, mode, per_host)),
    }
}

/// Maps a tokio-postgres connect error to a message naming what failed.
fn classify(
    err: &tokio_postgres::Error,
    config: &Config,
    mode: SslMode,
    timeout: Option<Duration>,
) -> Error {
    let endpoint = endpoint(config);
    let user = config
        .get_user()
        .map(str::to_owned)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "(current OS user)".to_owned());
    if let Some(db) = err.as_db_error() {
        let code = db.code();
        return if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            Error::Authentication {
                user,
                endpoint,
                reason: one_line(db.message()),
            }
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            let database = config.get_dbname().map_or(user, str::to_owned);
            Error::DatabaseNotFound { database, endpoint }
        } else {
            Error::Server {
                endpoint,
                reason: describe(err),
            }
        };
    }
    let cause = std::error::Error::source(err);
    let cause_text = cause
        .map(|c| one_line(&strip_os_error(&c.to_string())))
        .unwrap_or_default();
    let io_kind = cause
        .and_then(|c| c.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind);
    // tokio-postgres keeps its error kinds private; these Display strings are its stable surface.
    match err.to_string().as_str() {
        "error connecting to server" if io_kind == Some(std::io::ErrorKind::TimedOut) => {
            Error::Timeout {
                endpoint,
                after: timeout.unwrap_or_default(),
            }
        }
        "error connecting to server" => Error::Unreachable {
            endpoint,
            reason: lowercase_first(&cause_text),
        },
        "timeout waiting for server" => Error::Timeout {
            endpoint,
            after: timeout.unwrap_or_default(),
        },
        "error performing TLS handshake" if cause_text == "server does not support TLS" => {
            Error::TlsNotSupported { mode, endpoint }
        }
        "error performing TLS handshake" => Error::Tls {
            mode,
            endpoint,
            // The verifier's own words rather than rustls' debug names.
            reason: cause.and_then(handshake_reason).unwrap_or(cause_text),
        },
        "authentication error" => {
            let reason = if cause_text == "password missing" {
                "the server asked for a password but the connection string has none".to_owned()
            } else {
                cause_text
            };
            Error::Authentication {
                user,
                endpoint,
                reason,
            }
        }
        "invalid configuration" | "invalid connection string" => {
            Error::InvalidUrl { reason: cause_text }
        }
        _ => Error::Server {
            endpoint,
            reason: describe(err),
        },
    }
}

/// `host:port[, host:port…]` for messages (IPv6 in brackets, Unix sockets as paths).
fn endpoint(config: &Config) -> String {
    let ports = config.get_ports();
    let port_at = |i: usize| ports.get(i).or(ports.first()).copied().unwrap_or(5432);
    let mut parts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| match host {
            Host::Tcp(name) if name.contains(':') => format!("[{name}]:{}", port_at(i)),
            Host::Tcp(name) => format!("{name}:{}", port_at(i)),
            #[cfg(unix)]
            Host::Unix(path) => format!("{} (port {})", path.display(), port_at(i)),
        })
        .collect();
    if parts.is_empty() {
        parts = config
            .get_hostaddrs()
            .iter()
            .enumerate()
            .map(|(i, addr)| match addr {
                std::net::IpAddr::V6(v6) => format!("[{v6}]:{}", port_at(i)),
                std::net::IpAddr::V4(v4) => format!("{v4}:{}", port_at(i)),
            })
            .collect();
    }
    if parts.is_empty() {
        "(no host given)".to_owned()
    } else {
        parts.join(", ")
    }
}

/// "Connection refused (os error 111)" → "Connection refused".
fn strip_os_error(text: &str) -> String {
    match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => text[..i].to_owned(),
        _ => text.to_owned(),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unencoded_at_sign_belongs_to_the_password() {
        let p = parse_url("postgres://u:p@ss@db.example:5433/app").unwrap();
        assert_eq!(p.config.get_password(), Some(&b"p@ss"[..]));
        assert_eq!(
            p.config.get_hosts(),
            [tokio_postgres::config::Host::Tcp("db.example".into())]
        );
    }

    #[test]
    fn redacts_url_password() {
        assert_eq!(
            redact_url("postgres://postgres:s3cret@127.0.0.1:5432/db"),
            "postgres://postgres:****@127.0.0.1:5432/db"
        );
        assert_eq!(redact_url("postgresql://u@h/db"), "postgresql://u@h/db");
        assert_eq!(
            redact_url("postgres://h:5432/db?sslmode=require"),
            "postgres://h:5432/db?sslmode=require"
        );
        // Unencoded special characters in the password must not leak either.
        for url in [
            "postgres://u:p@ss/w?rd@host/db",
            "postgres://u:p:a@b@host:5432/db?x=1",
            "postgres://u:pa?s@host/db",
        ] {
            let red = redact_url(url);
            assert!(
                !red.contains("ss") && !red.contains("pa") && !red.contains("rd"),
                "{url} -> {red}"
            );
            assert!(red.starts_with("postgres://u:****@host"), "{url} -> {red}");
        }
    }

    #[test]
    fn redacts_password_query_params() {
        assert_eq!(
            redact_url("postgres://h/db?user=u&password=s3cret&sslmode=require"),
            "postgres://h/db?user=u&password=****&sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://h/db?pass%77ord=s3cret"),
            "postgres://h/db?pass%77ord=****"
        );
        assert_eq!(
            redact_url("postgres://h/db?sslpassword=x#frag"),
            "postgres://h/db?sslpassword=****#frag"
        );
    }

    #[test]
    fn redacts_key_value_password() {
        assert_eq!(
            redact_url("host=h user=u password=s3cret dbname=d"),
            "host=h user=u password=**** dbname=d"
        );
        assert_eq!(
            redact_url("host=h password = 'a b\\' c' dbname=d"),
            "host=h password = **** dbname=d"
        );
        assert_eq!(redact_url("password=s3cret"), "password=****");
        // Malformed: hide everything from the keyword on.
        let red = redact_url("host=h password='unterminated s3cret");
        assert!(!red.contains("s3cret"), "{red}");
        let red = redact_url("postgres:u:s3cret@host");
        assert!(!red.contains("s3cret"), "{red}");
    }

    #[test]
    fn parses_sslmode_values() {
        for (text, mode) in [
            ("disable", SslMode::Disable),
            ("allow", SslMode::Allow),
            ("prefer", SslMode::Prefer),
            ("require", SslMode::Require),
            ("verify-ca", SslMode::VerifyCa),
            ("VERIFY-FULL", SslMode::VerifyFull),
            ("no-verify", SslMode::Require),
        ] {
            assert_eq!(text.parse::<SslMode>(), Ok(mode), "{text}");
        }
        assert!("verify".parse::<SslMode>().is_err());
    }

    #[test]
    fn url_sslmode_is_taken_out_before_tokio_postgres() {
        let p = parse_url(
            "postgres://u:pw@db.example.com:6543/app?sslmode=verify-full&application_name=x",
        )
        .unwrap();
        assert_eq!(p.ssl_mode, SslMode::VerifyFull);
        assert_eq!(p.config.get_application_name(), Some("x"));
        assert_eq!(p.config.get_ports(), &[6543]);
        assert_eq!(p.config.get_dbname(), Some("app"));
        assert_eq!(p.config.get_password(), Some(&b"pw"[..]));
        assert_eq!(
            parse_url("postgres://h/db").unwrap().ssl_mode,
            SslMode::Prefer
        );
        assert_eq!(
            parse_url("postgres://h/db?ssl=true").unwrap().ssl_mode,
            SslMode::Require
        );
        let p = parse_url("postgres://h/db?sslmode=require&sslrootcert=/tmp/ca.pem").unwrap();
        assert_eq!(p.ssl_mode, SslMode::VerifyCa);
        assert_eq!(p.ssl_root_cert, RootCerts::File("/tmp/ca.pem".into()));
        let p = parse_url("postgres://h/db?sslrootcert=system").unwrap();
        assert_eq!(
            (p.ssl_mode, p.ssl_root_cert),
            (SslMode::VerifyFull, RootCerts::System)
        );
        for weaker in ["require", "verify-ca", "prefer"] {
            let err = parse_url(&format!(
                "postgres://h/db?sslrootcert=system&sslmode={weaker}"
            ))
            .unwrap_err()
            .to_string();
            assert!(err.contains("verify-full"), "{err}");
        }
        assert!(matches!(
            parse_url("postgres://h/db?sslmode=bogus"),
            Err(Error::InvalidUrl { .. })
        ));
    }

    #[test]
    fn key_value_sslmode_and_ignored_params() {
        let p = parse_url("host=localhost port=5433 user=u password='p w' dbname=d sslmode=verify-ca connect_timeout=3")
            .unwrap();
        assert_eq!(p.ssl_mode, SslMode::VerifyCa);
        assert_eq!(p.connect_timeout_secs, Some(3));
        assert_eq!(p.config.get_password(), Some(&b"p w"[..]));
        assert_eq!(p.config.get_ports(), &[5433]);
        let p = parse_url("postgresql://u@h/db?schema=public&connection_limit=1&pgbouncer=true")
            .unwrap();
        assert_eq!(
            p.ignored_params,
            vec!["schema", "connection_limit", "pgbouncer"]
        );
        assert_eq!(p.config.get_dbname(), Some("db"));
    }

    #[test]
    fn invalid_strings_do_not_echo_password() {
        for url in [
            "postgres://u:s3cret@h:notaport/db",
            "mysql://u:s3cret@h/db",
            "host=h password=s3cret port=x",
            "postgres://u:s3cret@h/db?password",
        ] {
            let err = parse_url(url).unwrap_err().to_string();
            assert!(!err.contains("s3cret"), "{url}: {err}");
        }
    }
}
