//! Connections and the secrets they carry: [`postgres`] turns a connection string into a
//! connected client (TLS, timeouts, errors a user can act on); [`secrets`] finds what every
//! connection string carries and keeps it out of anything printed. A command opens one
//! connection here and passes it to whoever reads or writes.

pub mod postgres;
pub mod secrets;
