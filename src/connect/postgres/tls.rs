//! TLS for PostgreSQL connections, verified the way libpq verifies.
//!
//! rustls/webpki does the cryptography and the chain building; [`LibpqVerifier`] only adds what
//! libpq (through OpenSSL) accepts and webpki does not:
//!
//! - a self-signed certificate with `CA:TRUE` used as the server certificate (the PostgreSQL
//!   docs' `openssl req -x509` recipe) when that very certificate is in `sslrootcert`;
//! - under `verify-full`, libpq's host-name rules: the SAN dNSName entries when there are any,
//!   else the subject's Common Name; for an IP address host the iPAddress (and dNSName) entries,
//!   then the CN when the certificate has no iPAddress entry; a leading `*.` matches one label.
//!
//! Everything else fails closed (unknown issuer, expired, not yet valid, bad signature, wrong
//! name), with a one-line message ([`CertRejected`]) instead of rustls' debug names.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, OtherError, RootCertStore,
    SignatureScheme,
};
use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::der::{Decode, Tag, Tagged};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::time::Time;
use x509_cert::Certificate;

use super::{Error, SslMode};

/// Where the trusted roots come from (`sslrootcert`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RootCerts {
    /// No `sslrootcert`: the bundled Mozilla roots (libpq would read `~/.postgresql/root.crt`).
    #[default]
    Bundled,
    /// `sslrootcert=system`: the platform's store (OpenSSL's default file and directory,
    /// `SSL_CERT_FILE` / `SSL_CERT_DIR`), the bundled roots when the platform has none.
    System,
    /// `sslrootcert=FILE`: the PEM certificates in that file, and only those.
    File(PathBuf),
}

/// Why the server's certificate was refused: one line, no debug text, nothing secret (certificate
/// names and dates are public).
#[derive(Debug, Clone, thiserror::Error)]
pub enum CertRejected {
    #[error("the server certificate is not issued by a certificate in {roots}")]
    Untrusted { roots: String },
    #[error(
        "the server certificate is a CA certificate (CA:TRUE) that is not itself in {roots}; \
         add it to sslrootcert, or use a server certificate issued by that CA"
    )]
    CaNotTrusted { roots: String },
    #[error("the server certificate expired on {not_after}")]
    Expired { not_after: String },
    #[error(
        "the server certificate's signature does not verify with {roots} \
         (a different key under the same CA name?)"
    )]
    BadSignature { roots: String },
    #[error("the server certificate is not valid before {not_before}")]
    NotYetValid { not_before: String },
    #[error(
        "the server certificate is for {names}, not for host \"{host}\" \
         (verify-full checks the host name; verify-ca does not)"
    )]
    WrongHost { host: String, names: String },
    #[error("the server certificate could not be read: {reason}")]
    Unreadable { reason: String },
    #[error("the server certificate was refused: {reason}")]
    Other { reason: String },
}

impl From<CertRejected> for rustls::Error {
    fn from(value: CertRejected) -> Self {
        rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(value))))
    }
}

fn ring_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// rustls configuration for one sslmode. `Disable` still gets a config because tokio-postgres
/// wants a connector value, it just never uses it.
pub(super) fn tls_config(mode: SslMode, roots: &RootCerts) -> Result<ClientConfig, Error> {
    let provider = ring_provider();
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::TlsConfig {
            reason: e.to_string(),
        })?;
    let verifier = Arc::new(SslModeVerifier::new(mode, roots, provider)?);
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// The trust store, the certificates it was made of (for the self-signed allowance) and how to
/// name it in messages.
fn root_store(
    roots: &RootCerts,
) -> Result<(RootCertStore, Vec<CertificateDer<'static>>, String), Error> {
    let bundled = || RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    match roots {
        RootCerts::Bundled => Ok((
            bundled(),
            Vec::new(),
            "the bundled Mozilla roots (no sslrootcert given)".to_owned(),
        )),
        RootCerts::System => {
            // A missing or unreadable platform store is not fatal: some files may still load.
            let certs = rustls_native_certs::load_native_certs().unwrap_or_default();
            let mut store = RootCertStore::empty();
            let (added, _) = store.add_parsable_certificates(certs.iter().cloned());
            if added == 0 {
                return Ok((
                    bundled(),
                    Vec::new(),
                    "the bundled Mozilla roots (sslrootcert=system; the platform store is empty)"
                        .to_owned(),
                ));
            }
            Ok((
                store,
                certs,
                "the system roots (sslrootcert=system)".to_owned(),
            ))
        }
        RootCerts::File(path) => {
            let certs = read_pem(path)?;
            let mut store = RootCertStore::empty();
            let (added, _ignored) = store.add_parsable_certificates(certs.iter().cloned());
            if added == 0 {
                return Err(Error::TlsConfig {
                    reason: format!(
                        "sslrootcert {} contains no usable PEM certificate",
                        path.display()
                    ),
                });
            }
            Ok((store, certs, format!("sslrootcert {}", path.display())))
        }
    }
}

fn read_pem(path: &Path) -> Result<Vec<CertificateDer<'static>>, Error> {
    CertificateDer::pem_file_iter(path)
        .and_then(|iter| iter.collect::<Result<Vec<_>, _>>())
        .map_err(|e| Error::TlsConfig {
            reason: format!("could not read sslrootcert {}: {e}", path.display()),
        })
}

/// `verify-ca` / `verify-full`: webpki's verdict, plus libpq's allowances (module doc).
#[derive(Debug)]
struct LibpqVerifier {
    inner: Arc<WebPkiServerVerifier>,
    anchors: Vec<CertificateDer<'static>>,
    roots: String,
    check_host: bool,
}

impl LibpqVerifier {
    fn new(
        roots: &RootCerts,
        provider: Arc<CryptoProvider>,
        check_host: bool,
    ) -> Result<LibpqVerifier, Error> {
        let (store, anchors, described) = root_store(roots)?;
        let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider)
            .build()
            .map_err(|e| Error::TlsConfig {
                reason: e.to_string(),
            })?;
        Ok(LibpqVerifier {
            inner,
            anchors,
            roots: described,
            check_host,
        })
    }

    /// The chain is good (or the certificate is trusted as itself); decide on the name.
    fn host_check(
        &self,
        end_entity: &CertificateDer<'_>,
        server_name: &ServerName<'_>,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if !self.check_host {
            return Ok(ServerCertVerified::assertion());
        }
        let names = CertNames::read(end_entity)?;
        let host = match server_name {
            ServerName::DnsName(name) => Host::Name(name.as_ref().to_owned()),
            ServerName::IpAddress(ip) => Host::Ip(IpAddr::from(*ip)),
            other => Host::Name(other.to_str().into_owned()),
        };
        if names.matches(&host) {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(CertRejected::WrongHost {
                host: host.to_string(),
                names: names.describe(),
            }
            .into())
        }
    }

    /// The self-signed allowance: the server's certificate is byte for byte one of the roots,
    /// so it is trusted as itself; only its validity period is left to check (as OpenSSL does).
    fn trusted_as_itself(
        &self,
        end_entity: &CertificateDer<'_>,
        now: UnixTime,
    ) -> Result<bool, rustls::Error> {
        if !self
            .anchors
            .iter()
            .any(|a| a.as_ref() == end_entity.as_ref())
        {
            return Ok(false);
        }
        let cert = parse(end_entity)?;
        let validity = &cert.tbs_certificate.validity;
        let now = Duration::from_secs(now.as_secs());
        let not_before = validity.not_before.to_unix_duration();
        let not_after = validity.not_after.to_unix_duration();
        if now < not_before {
            return Err(CertRejected::NotYetValid {
                not_before: utc(not_before),
            }
            .into());
        }
        if now > not_after {
            return Err(CertRejected::Expired {
                not_after: utc(not_after),
            }
            .into());
        }
        Ok(true)
    }

    /// webpki's error in words.
    fn explain(&self, err: rustls::Error, end_entity: &CertificateDer<'_>) -> rustls::Error {
        let rustls::Error::InvalidCertificate(cert_err) = &err else {
            return err;
        };
        let dates = parse(end_entity).ok().map(|c| c.tbs_certificate.validity);
        // The context names the certificate that failed, which may be a CA in the chain; without
        // one, the date is the server certificate's own.
        let date = |context: Option<&UnixTime>, own: Option<Time>, unknown: &str| match context {
            Some(t) => utc(Duration::from_secs(t.as_secs())),
            None => own.map_or_else(|| unknown.to_owned(), |t| utc(t.to_unix_duration())),
        };
        let expired = |context| CertRejected::Expired {
            not_after: date(context, dates.map(|v| v.not_after), "an earlier date"),
        };
        let not_yet_valid = |context| CertRejected::NotYetValid {
            not_before: date(context, dates.map(|v| v.not_before), "a later date"),
        };
        let rejected = match cert_err {
            CertificateError::UnknownIssuer => CertRejected::Untrusted {
                roots: self.roots.clone(),
            },
            CertificateError::ExpiredContext { not_after, .. } => expired(Some(not_after)),
            CertificateError::Expired => expired(None),
            CertificateError::NotValidYetContext { not_before, .. } => {
                not_yet_valid(Some(not_before))
            }
            CertificateError::NotValidYet => not_yet_valid(None),
            CertificateError::BadSignature => CertRejected::BadSignature {
                roots: self.roots.clone(),
            },
            CertificateError::Other(other) if is_ca_as_end_entity(other) => {
                CertRejected::CaNotTrusted {
                    roots: self.roots.clone(),
                }
            }
            other => CertRejected::Other {
                reason: certificate_error_words(other),
            },
        };
        rejected.into()
    }
}

/// webpki reports a CA certificate presented as the server's certificate through `Other`.
fn is_ca_as_end_entity(other: &OtherError) -> bool {
    matches!(
        other.0.downcast_ref::<webpki::Error>(),
        Some(webpki::Error::CaUsedAsEndEntity)
    )
}

/// The verifier of one sslmode. The server certificate is judged by the mode; the handshake
/// signatures are checked with the provider's algorithms in every mode, so the session keys
/// belong to the presented certificate.
#[derive(Debug)]
struct SslModeVerifier {
    /// `verify-ca` / `verify-full`; `None` for the modes that encrypt but accept any certificate
    /// (libpq does the same).
    libpq: Option<LibpqVerifier>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl SslModeVerifier {
    fn new(
        mode: SslMode,
        roots: &RootCerts,
        provider: Arc<CryptoProvider>,
    ) -> Result<SslModeVerifier, Error> {
        let algorithms = provider.signature_verification_algorithms;
        let libpq = match mode {
            SslMode::Disable | SslMode::Allow | SslMode::Prefer | SslMode::Require => None,
            SslMode::VerifyCa | SslMode::VerifyFull => Some(LibpqVerifier::new(
                roots,
                provider,
                mode == SslMode::VerifyFull,
            )?),
        };
        Ok(SslModeVerifier { libpq, algorithms })
    }
}

impl ServerCertVerifier for SslModeVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(libpq) = &self.libpq else {
            return Ok(ServerCertVerified::assertion());
        };
        match libpq.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(verified) => Ok(verified),
            // webpki checks the chain before the name: a name error means the chain is good,
            // and the name is judged by libpq's rules instead (CN fallback).
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => libpq.host_check(end_entity, server_name),
            Err(rustls::Error::InvalidCertificate(CertificateError::Other(other)))
                if is_ca_as_end_entity(&other) && libpq.trusted_as_itself(end_entity, now)? =>
            {
                libpq.host_check(end_entity, server_name)
            }
            Err(err) => Err(libpq.explain(err, end_entity)),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

fn parse(der: &CertificateDer<'_>) -> Result<Certificate, rustls::Error> {
    Certificate::from_der(der.as_ref()).map_err(|e| {
        CertRejected::Unreadable {
            reason: e.to_string(),
        }
        .into()
    })
}

fn utc(since_epoch: Duration) -> String {
    i64::try_from(since_epoch.as_secs())
        .ok()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map_or_else(
            || format!("{}s after 1970", since_epoch.as_secs()),
            |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        )
}

/// The host the client connected to, as libpq compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Host {
    Name(String),
    Ip(IpAddr),
}

impl std::fmt::Display for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Host::Name(name) => f.write_str(name),
            Host::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

/// The names a certificate is issued for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct CertNames {
    /// SAN dNSName entries.
    dns: Vec<String>,
    /// SAN iPAddress entries (4 or 16 bytes; anything else never matches).
    ips: Vec<Vec<u8>>,
    /// The subject's first Common Name (libpq looks at the first one only).
    common_name: Option<String>,
}

const OID_COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const OID_SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");

impl CertNames {
    fn read(der: &CertificateDer<'_>) -> Result<CertNames, rustls::Error> {
        let cert = parse(der)?;
        let tbs = &cert.tbs_certificate;
        let mut names = CertNames::default();
        for ext in tbs.extensions.iter().flatten() {
            if ext.extn_id != OID_SUBJECT_ALT_NAME {
                continue;
            }
            let san = SubjectAltName::from_der(ext.extn_value.as_bytes()).map_err(|e| {
                rustls::Error::from(CertRejected::Unreadable {
                    reason: format!("subjectAltName: {e}"),
                })
            })?;
            for name in san.0 {
                match name {
                    GeneralName::DnsName(dns) => names.dns.push(dns.as_str().to_owned()),
                    GeneralName::IpAddress(ip) => names.ips.push(ip.as_bytes().to_vec()),
                    _ => {}
                }
            }
        }
        names.common_name = tbs
            .subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .find(|atv| atv.oid == OID_COMMON_NAME)
            .and_then(|atv| {
                // The directory string types that hold ASCII/UTF-8 text; a BMPString CN cannot
                // name a host anyway.
                matches!(
                    atv.value.tag(),
                    Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::TeletexString
                )
                .then(|| String::from_utf8(atv.value.value().to_vec()).ok())
                .flatten()
            });
        Ok(names)
    }

    /// libpq's rules (module doc).
    fn matches(&self, host: &Host) -> bool {
        match host {
            Host::Name(name) => {
                if self.dns.is_empty() {
                    self.common_name
                        .as_deref()
                        .is_some_and(|cn| name_matches(cn, name))
                } else {
                    self.dns.iter().any(|d| name_matches(d, name))
                }
            }
            Host::Ip(ip) => {
                let bytes = match ip {
                    IpAddr::V4(v4) => v4.octets().to_vec(),
                    IpAddr::V6(v6) => v6.octets().to_vec(),
                };
                let text = ip.to_string();
                if self.ips.contains(&bytes) || self.dns.iter().any(|d| name_matches(d, &text)) {
                    return true;
                }
                self.ips.is_empty()
                    && self
                        .common_name
                        .as_deref()
                        .is_some_and(|cn| name_matches(cn, &text))
            }
        }
    }

    /// The names for a message: SAN entries, else the CN.
    fn describe(&self) -> String {
        // Escaped: a certificate's text must not break the one-line message.
        let mut all: Vec<String> = self
            .dns
            .iter()
            .map(|d| format!("\"{}\"", d.escape_default()))
            .collect();
        all.extend(self.ips.iter().map(|b| match b.len() {
            4 => format!(
                "{}",
                IpAddr::from(<[u8; 4]>::try_from(&b[..]).unwrap_or([0; 4]))
            ),
            16 => format!(
                "{}",
                IpAddr::from(<[u8; 16]>::try_from(&b[..]).unwrap_or([0; 16]))
            ),
            _ => "(a malformed IP address)".to_owned(),
        }));
        if all.is_empty() {
            return match &self.common_name {
                Some(cn) => format!("CN \"{}\"", cn.escape_default()),
                None => "no host name at all (no SAN, no CN)".to_owned(),
            };
        }
        format!("{} (subjectAltName)", all.join(", "))
    }
}

/// One certificate name against the host, case-insensitively; a leading `*.` stands for exactly
/// one non-empty label. A name with a NUL byte never matches (a classic forgery).
fn name_matches(pattern: &str, host: &str) -> bool {
    if pattern.contains('\0') || host.is_empty() {
        return false;
    }
    let (pattern, host) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    match pattern.strip_prefix('*') {
        Some(suffix) if suffix.starts_with('.') && suffix.len() > 1 => host
            .strip_suffix(suffix)
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        _ => pattern == host,
    }
}

/// rustls' certificate errors in words (the ones webpki's own messages do not already name).
fn certificate_error_words(err: &CertificateError) -> String {
    match err {
        CertificateError::BadEncoding => "it is not correctly encoded".to_owned(),
        CertificateError::BadSignature => "a signature in its chain is not valid".to_owned(),
        CertificateError::Revoked => "it has been revoked".to_owned(),
        CertificateError::UnhandledCriticalExtension => {
            "it has a critical extension that cannot be processed".to_owned()
        }
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "it is not meant for a TLS server (extended key usage)".to_owned()
        }
        CertificateError::ApplicationVerificationFailure => "verification failed".to_owned(),
        other => {
            // Remaining variants: use rustls' text, minus its "invalid peer certificate" prefix.
            let text = rustls::Error::InvalidCertificate(other.clone()).to_string();
            text.trim_start_matches("invalid peer certificate: ")
                .to_owned()
        }
    }
}

/// One line for a failed TLS handshake, from the error tokio-postgres hands back: the verifier's
/// own words when it refused the certificate, rustls' text otherwise.
pub(super) fn handshake_reason(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        // tokio-rustls wraps rustls' error in an io::Error, whose `source` skips the inner error.
        let inner = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|inner| inner as &(dyn std::error::Error + 'static))
            .unwrap_or(e);
        if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
            return Some(describe_rustls(tls));
        }
        current = e.source();
    }
    None
}

fn describe_rustls(err: &rustls::Error) -> String {
    match err {
        rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(inner))) => {
            match inner.downcast_ref::<CertRejected>() {
                Some(rejected) => rejected.to_string(),
                None => format!("the server certificate was refused: {inner}"),
            }
        }
        rustls::Error::InvalidCertificate(other) => CertRejected::Other {
            reason: certificate_error_words(other),
        }
        .to_string(),
        rustls::Error::AlertReceived(_) => {
            "the server ended the TLS handshake with an alert (see the server log)".to_owned()
        }
        rustls::Error::NoCertificatesPresented => "the server sent no certificate".to_owned(),
        other => super::one_line(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs openssl in `dir`; false when openssl is not installed.
    fn openssl(dir: &Path, args: &[&str]) -> bool {
        match std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
        {
            Ok(out) => {
                assert!(out.status.success(), "openssl {args:?}: {out:?}");
                true
            }
            Err(_) => false,
        }
    }

    fn verify(
        roots: &Path,
        leaf: &Path,
        host: &str,
        now: UnixTime,
    ) -> Result<ServerCertVerified, String> {
        let roots = RootCerts::File(roots.into());
        let verifier = SslModeVerifier::new(SslMode::VerifyFull, &roots, ring_provider()).unwrap();
        let leaf = read_pem(leaf).unwrap().remove(0);
        let name = ServerName::try_from(host.to_owned()).unwrap();
        verifier
            .verify_server_cert(&leaf, &[], &name, &[], now)
            .map_err(|e| describe_rustls(&e))
    }

    /// Expired and not yet valid certificates are refused on both paths (webpki's chain and the
    /// self-signed allowance), with the date in words.
    #[test]
    fn validity_period_is_enforced() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let subj = |cn: &str| format!("/CN={cn}");
        if !openssl(
            d,
            &[
                "req",
                "-new",
                "-x509",
                "-days",
                "30",
                "-nodes",
                "-out",
                "self.crt",
                "-keyout",
                "self.key",
                "-subj",
                &subj("localhost"),
            ],
        ) {
            eprintln!("SKIPPED: openssl not installed");
            return;
        }
        openssl(
            d,
            &[
                "req",
                "-new",
                "-x509",
                "-days",
                "30",
                "-nodes",
                "-out",
                "ca.crt",
                "-keyout",
                "ca.key",
                "-subj",
                &subj("Test CA"),
            ],
        );
        openssl(
            d,
            &[
                "req",
                "-new",
                "-nodes",
                "-out",
                "leaf.csr",
                "-keyout",
                "leaf.key",
                "-subj",
                &subj("localhost"),
            ],
        );
        std::fs::write(d.join("leaf.ext"), "basicConstraints=CA:FALSE\n").unwrap();
        openssl(
            d,
            &[
                "x509",
                "-req",
                "-in",
                "leaf.csr",
                "-days",
                "30",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "leaf.crt",
                "-extfile",
                "leaf.ext",
            ],
        );
        let now = UnixTime::now();
        let later = UnixTime::since_unix_epoch(Duration::from_secs(now.as_secs() + 400 * 86_400));
        let before = UnixTime::since_unix_epoch(Duration::from_secs(86_400));
        let (self_signed, ca, leaf) = (d.join("self.crt"), d.join("ca.crt"), d.join("leaf.crt"));
        assert!(verify(&self_signed, &self_signed, "localhost", now).is_ok());
        assert!(verify(&ca, &leaf, "localhost", now).is_ok());
        for (roots, cert) in [(&self_signed, &self_signed), (&ca, &leaf)] {
            let err = verify(roots, cert, "localhost", later).unwrap_err();
            assert!(
                err.starts_with("the server certificate expired on 20"),
                "{err}"
            );
            assert!(err.ends_with(" UTC"), "{err}");
            let err = verify(roots, cert, "localhost", before).unwrap_err();
            assert!(
                err.starts_with("the server certificate is not valid before 20"),
                "{err}"
            );
        }
        let err = verify(&self_signed, &self_signed, "db.example.com", now).unwrap_err();
        assert_eq!(
            err,
            "the server certificate is for CN \"localhost\", not for host \"db.example.com\" \
             (verify-full checks the host name; verify-ca does not)"
        );
    }

    #[test]
    fn wildcards_match_one_label() {
        assert!(name_matches("db.example.com", "DB.Example.com"));
        assert!(name_matches("*.example.com", "db.example.com"));
        assert!(!name_matches("*.example.com", "example.com"));
        assert!(!name_matches("*.example.com", ".example.com"));
        assert!(!name_matches("*.example.com", "a.b.example.com"));
        assert!(!name_matches("*", "localhost"));
        assert!(!name_matches("*example.com", "db.example.com"));
        assert!(!name_matches("localhost\0.evil", "localhost"));
    }

    #[test]
    fn san_first_then_common_name() {
        let cn_only = CertNames {
            common_name: Some("localhost".into()),
            ..Default::default()
        };
        assert!(cn_only.matches(&Host::Name("localhost".into())));
        assert!(!cn_only.matches(&Host::Name("db.example.com".into())));
        // With any dNSName, the CN is ignored.
        let with_san = CertNames {
            dns: vec!["db.example.com".into()],
            common_name: Some("localhost".into()),
            ..Default::default()
        };
        assert!(!with_san.matches(&Host::Name("localhost".into())));
        assert!(with_san.matches(&Host::Name("db.example.com".into())));
        // An IP host: iPAddress entries, dNSName text, CN only without iPAddress entries.
        let ip = Host::Ip("127.0.0.1".parse().unwrap());
        let cn_ip = CertNames {
            common_name: Some("127.0.0.1".into()),
            ..Default::default()
        };
        assert!(cn_ip.matches(&ip));
        let other_ip = CertNames {
            ips: vec![vec![10, 0, 0, 1]],
            common_name: Some("127.0.0.1".into()),
            ..Default::default()
        };
        assert!(!other_ip.matches(&ip));
        let san_ip = CertNames {
            ips: vec![vec![127, 0, 0, 1]],
            ..Default::default()
        };
        assert!(san_ip.matches(&ip));
        assert_eq!(san_ip.describe(), "127.0.0.1 (subjectAltName)");
        assert_eq!(cn_only.describe(), "CN \"localhost\"");
    }
}
