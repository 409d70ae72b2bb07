//! The integration suite as one test binary: one link instead of one per file, and every test
//! in one pool of test threads. Each module is one of the former test files, unchanged.

mod common;

mod baseline_pg;
mod baseline_sqlite;
mod check_cli;
mod cli;
mod cli_pg;
mod convert_pg;
mod convert_pg_v1;
mod convert_sqlite;
mod convert_sqlite_v1;
mod e2e_pg;
mod harness_selftest;
mod hybrid_pg;
mod introspect_e2e;
mod introspect_features;
mod introspect_pg;
mod introspect_rows;
mod introspect_sqlite;
mod invalid_schemas;
mod npm;
mod parse;
mod project_config;
mod relation_names;
mod relations_v2;
mod render_features;
mod rendered_bytes;
mod secrets;
mod snapshot_source;
mod snapshot_source_v1;
mod snapshots;
mod sqlite_busy;
mod tls_pg;
mod validation_differential;
