//! The one part of a comparison that asks the database: how PostgreSQL spells a literal of a
//! type whose text form it rewrites (`box`, `uuid`, `inet`, `interval`, `time` …), so that a
//! default written one way in a schema and stored another way is not reported as drift.

use std::collections::HashMap;

use super::{align_literals, literal_questions, LiteralQuestion};
use crate::introspect::{Error, PgIntrospectOptions};
use crate::model::Schema;

/// Gives `side` the database's default wherever the PostgreSQL database at `url` (whose model is
/// `database`) reads `side`'s literal as the very value it stores. Asks nothing when no default
/// differs that way.
pub fn align_with_postgres(side: &mut Schema, database: &Schema, url: &str) -> Result<(), Error> {
    let questions = literal_questions(side, database);
    if questions.is_empty() {
        return Ok(());
    }
    let pairs: Vec<(String, String)> = questions
        .iter()
        .map(|q| (q.text.clone(), q.sql_type.clone()))
        .collect();
    let answers = crate::introspect::postgres::canonical_literals(
        url,
        &PgIntrospectOptions::default(),
        &pairs,
    )?;
    let answers: HashMap<_, _> = questions
        .into_iter()
        .zip(answers)
        .filter_map(|(q, a)| Some((q, a?)))
        .collect();
    align_literals(side, database, &answers);
    Ok(())
}

/// [`align_with_postgres`] for several sides at once (each snapshot of a migrations folder), on a
/// connection the caller keeps: the questions of all sides are asked together, once.
pub async fn align_all_with_client(
    sides: &mut [&mut Schema],
    database: &Schema,
    client: &tokio_postgres::Client,
) -> Result<(), Error> {
    let mut questions: Vec<LiteralQuestion> = sides
        .iter()
        .flat_map(|side| literal_questions(side, database))
        .collect();
    questions.sort_by(|a, b| (&a.text, &a.sql_type).cmp(&(&b.text, &b.sql_type)));
    questions.dedup();
    if questions.is_empty() {
        return Ok(());
    }
    let pairs: Vec<(String, String)> = questions
        .iter()
        .map(|q| (q.text.clone(), q.sql_type.clone()))
        .collect();
    let answers = crate::introspect::postgres::canonical_literals_with(client, &pairs).await?;
    let answers: HashMap<_, _> = questions
        .into_iter()
        .zip(answers)
        .filter_map(|(q, a)| Some((q, a?)))
        .collect();
    for side in sides.iter_mut() {
        align_literals(side, database, &answers);
    }
    Ok(())
}
