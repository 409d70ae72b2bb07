//! A small SQL tokenizer and the few parses of `sqlite_schema.sql` that the pragmas cannot
//! answer: AUTOINCREMENT, constraint names, CHECK expressions, generated columns, index
//! expressions and predicates, view bodies. Tokens keep their byte offsets, so expressions are
//! cut from the original text verbatim (whitespace, quoting and comments inside them kept).

/// Token kinds SQLite's own tokenizer distinguishes that matter here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A bare word: keyword or identifier.
    Word,
    /// A quoted identifier (`"x"`, `` `x` ``, `[x]`); `text` is unquoted.
    Quoted,
    /// A string literal; `text` is unquoted.
    String,
    Number,
    /// `x'00ff'`.
    Blob,
    /// `(`, `)`, `,`, `;`, `.` or an operator character.
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    /// The value: unquoted for identifiers and strings, as written otherwise.
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl Token {
    fn is_word(&self, word: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(word)
    }

    fn is_punct(&self, c: &str) -> bool {
        self.kind == Kind::Punct && self.text == c
    }

    fn is_name(&self) -> bool {
        matches!(self.kind, Kind::Word | Kind::Quoted | Kind::String)
    }
}

/// Splits SQL into tokens, skipping whitespace and comments.
pub fn tokenize(sql: &str) -> Result<Vec<Token>, String> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'-' && bytes.get(i + 1) == Some(&b'-') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                i += 1;
            }
            i = (i + 2).min(bytes.len());
            continue;
        }
        let quoted = |close: u8, i: &mut usize, doubled: bool| -> Result<String, String> {
            let mut text = String::new();
            let mut j = *i + 1;
            loop {
                let Some(&b) = bytes.get(j) else {
                    return Err(format!("unterminated quote at offset {start}"));
                };
                if b == close {
                    if doubled && bytes.get(j + 1) == Some(&close) {
                        text.push(close as char);
                        j += 2;
                        continue;
                    }
                    *i = j + 1;
                    return Ok(text);
                }
                let len = utf8_len(b);
                text.push_str(&sql[j..j + len]);
                j += len;
            }
        };
        let (kind, text) = match c {
            b'\'' => (Kind::String, quoted(b'\'', &mut i, true)?),
            b'"' => (Kind::Quoted, quoted(b'"', &mut i, true)?),
            b'`' => (Kind::Quoted, quoted(b'`', &mut i, true)?),
            b'[' => (Kind::Quoted, quoted(b']', &mut i, false)?),
            b'x' | b'X' if bytes.get(i + 1) == Some(&b'\'') => {
                i += 1;
                let hex = quoted(b'\'', &mut i, false)?;
                (Kind::Blob, format!("x'{hex}'"))
            }
            b'0'..=b'9' => {
                i += 1;
                while i < bytes.len() {
                    let b = bytes[i];
                    let exp_sign = (b == b'+' || b == b'-')
                        && matches!(bytes[i - 1], b'e' | b'E')
                        && !sql[start..i].starts_with("0x");
                    if b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || exp_sign {
                        i += 1;
                    } else {
                        break;
                    }
                }
                (Kind::Number, sql[start..i].to_string())
            }
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                    i += 1;
                }
                (Kind::Number, sql[start..i].to_string())
            }
            _ if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                while i < bytes.len() {
                    let b = bytes[i];
                    if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' {
                        i += 1;
                    } else if b >= 0x80 {
                        i += utf8_len(b);
                    } else {
                        break;
                    }
                }
                (Kind::Word, sql[start..i].to_string())
            }
            _ => {
                i += utf8_len(c);
                (Kind::Punct, sql[start..i].to_string())
            }
        };
        out.push(Token {
            kind,
            text,
            start,
            end: i,
        });
    }
    Ok(out)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Index of the `)` matching the `(` at `open`.
fn matching(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        if t.is_punct("(") {
            depth += 1;
        } else if t.is_punct(")") {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Ranges of `tokens[from..to]` split at commas of depth 0.
fn split_commas(tokens: &[Token], from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = from;
    for (i, t) in tokens.iter().enumerate().take(to).skip(from) {
        if t.is_punct("(") {
            depth += 1;
        } else if t.is_punct(")") {
            depth -= 1;
        } else if t.is_punct(",") && depth == 0 {
            out.push((start, i));
            start = i + 1;
        }
    }
    if start < to {
        out.push((start, to));
    }
    out
}

/// The source text between two tokens (exclusive), trimmed.
fn between(sql: &str, tokens: &[Token], open: usize, close: usize) -> String {
    sql[tokens[open].end..tokens[close].start]
        .trim()
        .to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnDdl {
    pub name: String,
    pub autoincrement: bool,
    /// `(constraint name, expression)`.
    pub checks: Vec<(Option<String>, String)>,
    /// `(expression, stored)`.
    pub generated: Option<(String, bool)>,
    /// Name of an inline `REFERENCES` constraint, with the referenced table.
    pub references: Option<(Option<String>, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintDdl {
    Check {
        name: Option<String>,
        expression: String,
    },
    ForeignKey {
        name: Option<String>,
        columns: Vec<String>,
        table: String,
    },
    Unique {
        name: Option<String>,
        columns: Vec<String>,
    },
    PrimaryKey {
        name: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableDdl {
    pub columns: Vec<ColumnDdl>,
    pub constraints: Vec<ConstraintDdl>,
    pub without_rowid: bool,
    pub strict: bool,
}

/// Names in a parenthesised list starting at `open` (`("a", b COLLATE x DESC)` → `a`, `b`).
fn name_list(tokens: &[Token], open: usize) -> (Vec<String>, usize) {
    let Some(close) = matching(tokens, open) else {
        return (vec![], tokens.len());
    };
    let names = split_commas(tokens, open + 1, close)
        .into_iter()
        .filter(|(a, b)| a < b)
        .map(|(a, _)| tokens[a].text.clone())
        .collect();
    (names, close)
}

/// Parses `CREATE TABLE name (…) [WITHOUT ROWID] [, STRICT]`.
pub fn parse_create_table(sql: &str) -> Result<TableDdl, String> {
    let tokens = tokenize(sql)?;
    let open = tokens
        .iter()
        .position(|t| t.is_punct("("))
        .ok_or("no column list")?;
    let close = matching(&tokens, open).ok_or("unbalanced parentheses")?;
    let mut ddl = TableDdl::default();
    for t in &tokens[close + 1..] {
        if t.is_word("ROWID") {
            ddl.without_rowid = true;
        }
        if t.is_word("STRICT") {
            ddl.strict = true;
        }
    }
    for (a, b) in split_commas(&tokens, open + 1, close) {
        if a >= b {
            continue;
        }
        let first = &tokens[a];
        let is_constraint = first.kind == Kind::Word
            && ["CONSTRAINT", "CHECK", "PRIMARY", "UNIQUE", "FOREIGN"]
                .iter()
                .any(|k| first.is_word(k));
        if is_constraint {
            let (name, at) = if first.is_word("CONSTRAINT") && a + 1 < b {
                (Some(tokens[a + 1].text.clone()), a + 2)
            } else {
                (None, a)
            };
            let Some(head) = tokens.get(at).filter(|_| at < b) else {
                continue;
            };
            if head.is_word("CHECK") {
                if let Some(c) = matching(&tokens, at + 1).filter(|_| tokens[at + 1].is_punct("("))
                {
                    ddl.constraints.push(ConstraintDdl::Check {
                        name,
                        expression: between(sql, &tokens, at + 1, c),
                    });
                }
            } else if head.is_word("FOREIGN") {
                let Some(open) = (at..b).find(|&i| tokens[i].is_punct("(")) else {
                    continue;
                };
                let (columns, close) = name_list(&tokens, open);
                let table = (close..b)
                    .find(|&i| tokens[i].is_word("REFERENCES"))
                    .and_then(|i| tokens.get(i + 1))
                    .map(|t| t.text.clone())
                    .unwrap_or_default();
                ddl.constraints.push(ConstraintDdl::ForeignKey {
                    name,
                    columns,
                    table,
                });
            } else if head.is_word("UNIQUE") {
                let Some(open) = (at..b).find(|&i| tokens[i].is_punct("(")) else {
                    continue;
                };
                let (columns, _) = name_list(&tokens, open);
                ddl.constraints
                    .push(ConstraintDdl::Unique { name, columns });
            } else if head.is_word("PRIMARY") {
                ddl.constraints.push(ConstraintDdl::PrimaryKey { name });
            }
            continue;
        }
        let mut col = ColumnDdl {
            name: first.text.clone(),
            ..ColumnDdl::default()
        };
        let mut pending: Option<String> = None;
        let mut i = a + 1;
        while i < b {
            let t = &tokens[i];
            if t.is_word("CONSTRAINT") && i + 1 < b {
                pending = Some(tokens[i + 1].text.clone());
                i += 2;
                continue;
            }
            if t.is_word("AUTOINCREMENT") {
                col.autoincrement = true;
            } else if t.is_word("CHECK") && i + 1 < b && tokens[i + 1].is_punct("(") {
                if let Some(c) = matching(&tokens, i + 1) {
                    col.checks
                        .push((pending.take(), between(sql, &tokens, i + 1, c)));
                    i = c + 1;
                    continue;
                }
            } else if t.is_word("AS") && i + 1 < b && tokens[i + 1].is_punct("(") {
                if let Some(c) = matching(&tokens, i + 1) {
                    let stored = tokens.get(c + 1).is_some_and(|t| t.is_word("STORED"));
                    col.generated = Some((between(sql, &tokens, i + 1, c), stored));
                    i = c + 1;
                    continue;
                }
            } else if t.is_word("REFERENCES") && i + 1 < b {
                col.references = Some((pending.take(), tokens[i + 1].text.clone()));
            } else if t.is_punct("(") {
                if let Some(c) = matching(&tokens, i) {
                    i = c + 1;
                    continue;
                }
            } else if t.is_word("PRIMARY")
                || t.is_word("UNIQUE")
                || t.is_word("NOT")
                || t.is_word("NULL")
                || t.is_word("DEFAULT")
                || t.is_word("COLLATE")
                || t.is_word("GENERATED")
            {
                // Constraint keywords end a pending `CONSTRAINT name` only when the constraint
                // kind is one we do not record.
                if !t.is_word("GENERATED") {
                    pending = None;
                }
            }
            i += 1;
        }
        ddl.columns.push(col);
    }
    Ok(ddl)
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IndexDdl {
    /// Each key term without its `ASC`/`DESC`/`COLLATE` tail, verbatim.
    pub terms: Vec<String>,
    /// The `WHERE` predicate, verbatim.
    pub predicate: Option<String>,
}

/// Parses `CREATE [UNIQUE] INDEX … ON table (terms) [WHERE predicate]`.
pub fn parse_create_index(sql: &str) -> Result<IndexDdl, String> {
    let tokens = tokenize(sql)?;
    let on = tokens
        .iter()
        .position(|t| t.is_word("ON"))
        .ok_or("no ON clause")?;
    let open = (on..tokens.len())
        .find(|&i| tokens[i].is_punct("("))
        .ok_or("no key list")?;
    let close = matching(&tokens, open).ok_or("unbalanced parentheses")?;
    let mut out = IndexDdl::default();
    for (a, b) in split_commas(&tokens, open + 1, close) {
        let mut end = b;
        // Drop the trailing ASC/DESC and COLLATE name (at depth 0 of the term).
        if end > a && (tokens[end - 1].is_word("ASC") || tokens[end - 1].is_word("DESC")) {
            end -= 1;
        }
        if end >= a + 2 && tokens[end - 2].is_word("COLLATE") {
            end -= 2;
        }
        if end > a {
            out.terms
                .push(sql[tokens[a].start..tokens[end - 1].end].trim().to_string());
        }
    }
    if let Some(w) = tokens.get(close + 1).filter(|t| t.is_word("WHERE")) {
        let last = tokens
            .iter()
            .rposition(|t| !t.is_punct(";"))
            .unwrap_or(tokens.len() - 1);
        if last > close + 1 {
            out.predicate = Some(sql[w.end..tokens[last].end].trim().to_string());
        }
    }
    Ok(out)
}

/// The `SELECT` of `CREATE VIEW name [(cols)] AS select`.
pub fn view_body(sql: &str) -> Option<String> {
    let tokens = tokenize(sql).ok()?;
    let mut depth = 0i32;
    for t in &tokens {
        if t.is_punct("(") {
            depth += 1;
        } else if t.is_punct(")") {
            depth -= 1;
        } else if depth == 0 && t.is_word("AS") {
            let body = sql[t.end..].trim();
            return Some(body.trim_end_matches(';').trim_end().to_string());
        }
    }
    None
}

/// Classifies a `dflt_value` from `pragma table_info`: a single literal token, or an expression.
pub fn default_tokens(text: &str) -> Option<Vec<Token>> {
    tokenize(text).ok()
}

/// Is the token list a (signed) number?
pub fn signed_number(tokens: &[Token]) -> bool {
    match tokens {
        [n] => n.kind == Kind::Number,
        [s, n] => (s.is_punct("-") || s.is_punct("+")) && n.kind == Kind::Number,
        _ => false,
    }
}

/// Is `t` the bare word `word` (case-insensitive)?
pub fn is_word(t: &Token, word: &str) -> bool {
    t.is_word(word)
}

/// Does the token list name something (used for `REFERENCES` targets)?
pub fn is_name(t: &Token) -> bool {
    t.is_name()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parts() {
        let sql = r#"CREATE TABLE "t" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, -- a comment, with (parens
    "n" TEXT CONSTRAINT n_ok CHECK (length("n") > 0 AND n <> ')'),
    g INTEGER GENERATED ALWAYS AS (id * 2) STORED,
    "o" INTEGER REFERENCES other(id),
    CONSTRAINT "t_o_fkey" FOREIGN KEY ("o") REFERENCES "other" ("id") ON DELETE CASCADE,
    CHECK (id > 0)
) STRICT"#;
        let ddl = parse_create_table(sql).unwrap();
        assert!(ddl.strict && !ddl.without_rowid);
        assert_eq!(ddl.columns.len(), 4);
        assert!(ddl.columns[0].autoincrement);
        assert_eq!(
            ddl.columns[1].checks,
            vec![(
                Some("n_ok".to_string()),
                "length(\"n\") > 0 AND n <> ')'".to_string()
            )]
        );
        assert_eq!(ddl.columns[2].generated, Some(("id * 2".into(), true)));
        assert_eq!(
            ddl.constraints,
            vec![
                ConstraintDdl::ForeignKey {
                    name: Some("t_o_fkey".into()),
                    columns: vec!["o".into()],
                    table: "other".into()
                },
                ConstraintDdl::Check {
                    name: None,
                    expression: "id > 0".into()
                }
            ]
        );
    }

    #[test]
    fn index_parts() {
        let ddl = parse_create_index(
            "CREATE UNIQUE INDEX \"i\" ON \"t\"(\"a\" DESC, lower(b) COLLATE NOCASE ASC) WHERE a IS NOT NULL",
        )
        .unwrap();
        assert_eq!(ddl.terms, vec!["\"a\"", "lower(b)"]);
        assert_eq!(ddl.predicate.as_deref(), Some("a IS NOT NULL"));
    }

    #[test]
    fn view() {
        assert_eq!(
            view_body("CREATE VIEW v (a) AS SELECT 1 AS a;").as_deref(),
            Some("SELECT 1 AS a")
        );
    }
}
