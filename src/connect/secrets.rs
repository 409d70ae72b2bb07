//! Secrets in connection strings, and scrubbing them from text.
//!
//! [`secrets_in`] finds every password or token in any form the tool accepts (a URL's
//! `user:password@` — also with an unencoded `@` or `/` in the password —, `password`/`authToken`
//! URL parameters, libpq `password=` in `key=value` strings). The command line registers what it
//! is handed ([`register`]) and passes every line it prints through [`scrub`], which also masks
//! the password part of any URL in the text ([`crate::connect::postgres::redact_url`]): a message built anywhere
//! from a connection string cannot carry the secret out, whatever its wording.

use std::sync::Mutex;

const MASK: &str = "****";
/// Shorter values would mask ordinary words; they are masked inside URLs all the same.
const MIN_LEN: usize = 3;

static REGISTERED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// URL parameter and libpq keywords whose value is a secret.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.trim().to_ascii_lowercase().replace(['_', '-'], "");
    matches!(
        key.as_str(),
        "password" | "sslpassword" | "authtoken" | "token" | "pass" | "pwd" | "secret" | "apikey"
    )
}

fn percent_decoded(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every secret `conn` carries, in each spelling a message might show it (as written,
/// percent-decoded, and split where a parser could cut it at an `@`).
pub fn secrets_in(conn: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |value: &str| {
        for v in [value.to_string(), percent_decoded(value)] {
            let v = v.trim_matches(|c| c == '\'' || c == '"').to_string();
            for piece in std::iter::once(v.as_str()).chain(v.split('@')) {
                if piece.chars().count() >= MIN_LEN && !out.iter().any(|o| o == piece) {
                    out.push(piece.to_string());
                }
            }
        }
    };
    let text = conn.trim();
    if let Some(i) = text.find("://") {
        let rest = &text[i + 3..];
        // The authority ends before the path or query that follows the LAST '@' (a password may
        // hold '@', '/' or ':'); the user ends at the first ':'.
        if let Some(last_at) = rest.rfind('@') {
            let userinfo = &rest[..last_at];
            if let Some(colon) = userinfo.find(':') {
                if !userinfo[..colon].contains(['/', '?', '#']) {
                    add(&userinfo[colon + 1..]);
                }
            }
        }
    }
    // `?password=…&authToken=…` in a URL or a `file:` path.
    if let Some(q) = text.find('?') {
        for pair in text[q + 1..].split(['&', '#']) {
            if let Some((key, value)) = pair.split_once('=') {
                if is_secret_key(&percent_decoded(key)) {
                    add(value);
                }
            }
        }
    }
    // libpq `key=value` strings, quoted values included; when the string does not parse, every
    // `password = value` in it all the same.
    if !text.contains("://") {
        let pairs = crate::connect::postgres::key_values(text);
        if pairs.is_empty() {
            for value in loose_secret_values(text) {
                add(&value);
            }
        }
        for pair in pairs {
            if is_secret_key(&pair.0) {
                add(&pair.1);
            }
        }
    }
    out
}

/// The values after `password=` (and the other secret keywords) in text that is not a valid
/// `key=value` string: a quoted value up to its closing quote (or the end), else one word.
fn loose_secret_values(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (eq, _) in text.match_indices('=') {
        let key_start = text[..eq]
            .trim_end()
            .rfind(char::is_whitespace)
            .map_or(0, |i| i + 1);
        if !is_secret_key(&text[key_start..eq]) {
            continue;
        }
        let value = text[eq + 1..].trim_start();
        let found = match value.strip_prefix('\'') {
            Some(quoted) => quoted.split('\'').next().unwrap_or(quoted),
            None => value.split_whitespace().next().unwrap_or(""),
        };
        out.push(found.to_string());
    }
    out
}

/// Remembers the secrets of `conn` (a connection string, or a bare token when `whole` is set)
/// for [`scrub`].
pub fn register(conn: &str, whole: bool) {
    let mut found = secrets_in(conn);
    if whole && conn.trim().chars().count() >= MIN_LEN {
        found.push(conn.trim().to_string());
    }
    if found.is_empty() {
        return;
    }
    let mut registered = REGISTERED.lock().unwrap_or_else(|e| e.into_inner());
    for s in found {
        if !registered.contains(&s) {
            registered.push(s);
        }
    }
    // Longest first, so a secret that contains another is masked whole.
    registered.sort_by_key(|s| std::cmp::Reverse(s.len()));
}

/// `text` with every registered secret masked and every URL's password hidden.
pub fn scrub(text: &str) -> String {
    let mut out = mask_urls(text);
    let registered = REGISTERED.lock().unwrap_or_else(|e| e.into_inner());
    for secret in registered.iter() {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), MASK);
        }
    }
    out
}

/// Every whitespace-separated token holding `://` or a secret URL parameter, redacted.
fn mask_urls(text: &str) -> String {
    if !text.contains("://") && !text.contains('?') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        if token.contains("://") || (token.contains('?') && !secrets_in(token).is_empty()) {
            let trimmed = token.trim_end_matches(['`', '\'', '"', ',', ';', ')', '.', ':']);
            let tail = token[trimmed.len()..].to_string();
            let head_len = trimmed.len() - trimmed.trim_start_matches(['`', '\'', '"', '(']).len();
            out.push_str(&trimmed[..head_len]);
            let body = &trimmed[head_len..];
            let mut masked = crate::connect::postgres::redact_url(body);
            for secret in secrets_in(body) {
                masked = masked.replace(&secret, MASK);
            }
            out.push_str(&masked);
            out.push_str(&tail);
        } else {
            out.push_str(token);
        }
        token.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut token, &mut out);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_secrets_in_every_form() {
        let has = |conn: &str, secret: &str| {
            let found = secrets_in(conn);
            assert!(found.iter().any(|s| s == secret), "{conn}: {found:?}");
        };
        has("postgres://u:s3cret@h/db", "s3cret");
        has("postgres://u:aaa@bbb@h/db", "aaa@bbb");
        has("postgres://u:aaa@bbb@h/db", "bbb");
        has("postgres://u:p%40ss@h/db", "p@ss");
        has("postgres://h/db?sslmode=disable&password=s3cret", "s3cret");
        has("libsql://h?authToken=tok123", "tok123");
        has("file:/tmp/a.db?authToken=tok123", "tok123");
        has("host=h user=u password='a b c' dbname=d", "a b c");
        has("host=h password=s3cret", "s3cret");
        has("host=h password='a b' trailing", "a b");
        has("host=h password=s3cret trailing", "s3cret");
        assert!(secrets_in("postgres://u@h/db").is_empty());
        assert!(secrets_in("samples/schema.prisma").is_empty());
    }

    #[test]
    fn scrubs_urls_and_registered_secrets() {
        register("host=h password='kv secret'", false);
        register("tokentoken", true);
        assert_eq!(
            scrub("cannot reach https://u:pw1234@h:1/: refused; kv secret; tokentoken"),
            "cannot reach https://u:****@h:1/: refused; ****; ****"
        );
        assert_eq!(scrub("`postgres://u:x@y@h/db`"), "`postgres://u:****@h/db`");
        assert_eq!(scrub("no secrets here"), "no secrets here");
    }
}
