//! Connections and the secrets they carry: [`postgres`] and [`sqlite`] turn a connection string
//! into a connected client (TLS, timeouts, busy timeout, errors a user can act on); [`secrets`]
//! finds what every connection string carries and keeps it out of anything printed. A command
//! opens one connection here and passes it to whoever reads or writes.

pub mod postgres;
pub mod secrets;
pub mod sqlite;
