//! A migrations folder as a source: every sample (PostgreSQL and SQLite) and the feature model are
//! rendered, written, and read back with `read_migrations_folder`; the physical facts must equal
//! the source model's. Where the snapshot cannot hold a fact the comparison says why it skips it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use drizzle_port::introspect::migrations::{is_migrations_folder, read_migrations_folder};
use drizzle_port::migrate::render_project;
use drizzle_port::model::{
    Column, ColumnType, DefaultValue, Dialect, Index, IndexColumn, NullsOrder, Schema, SortOrder,
    Table,
};
use drizzle_port::render::pg::plan::{plan_column, sequence_plan};
use drizzle_port::render::pg::snapshot::primary_key_name;
use drizzle_port::render::RenderOptions;

fn options() -> RenderOptions {
    RenderOptions {
        name: "baseline".into(),
        when_ms: 1_700_000_000_000,
        snapshot_id: "5d7b1c1e-0000-4000-8000-000000000001".into(),
        flavour: drizzle_port::render::Flavour::default(),
    }
}

/// Every Prisma sample (`schema.prisma` or a `schema` folder) and the feature model YAML.
fn sources() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(root.join("samples")).unwrap().flatten() {
        for name in ["schema.prisma", "schema"] {
            let p = e.path().join(name);
            if p.exists() {
                out.push(p);
                break;
            }
        }
    }
    out.sort();
    out.push(root.join("tests/fixtures/model/features.yaml"));
    out
}

/// The source model, and the model read back from its rendered migrations folder.
fn round_trip(path: &Path) -> Result<(Schema, Schema), String> {
    let source = drizzle_port::source::load(&path.to_string_lossy()).map_err(|e| e.to_string())?;
    let project = render_project(&source, &options()).map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = dir.path().join("drizzle");
    drizzle_port::migrate::output::write_project(&out, &project, false)
        .map_err(|e| e.to_string())?;
    if !is_migrations_folder(&out) {
        return Err("the written folder is not recognised as a migrations folder".into());
    }
    let read = read_migrations_folder(&out).map_err(|e| e.to_string())?;
    if read.source.as_deref() != Some(out.display().to_string().as_str()) {
        return Err(format!("source is {:?}", read.source));
    }
    Ok((source, read))
}

struct Diff {
    lines: Vec<String>,
    /// Facts compared, so a vacuous pass shows.
    checked: usize,
}

impl Diff {
    fn check<T: std::fmt::Debug + PartialEq>(&mut self, at: &str, expected: T, got: T) {
        self.checked += 1;
        if expected != got {
            self.lines
                .push(format!("{at}: expected {expected:?}, read {got:?}"));
        }
    }
}

/// What the snapshot can say about a column's type on this dialect.
fn expected_type(dialect: Dialect, c: &Column) -> ColumnType {
    match (&c.column_type, dialect) {
        // A SQLite snapshot has no enums: drizzle's `text({ enum })` column is `text`.
        (ColumnType::Enum { .. }, Dialect::Sqlite) => ColumnType::Text,
        // PostgreSQL's `char` and `bit` are `char(1)` and `bit(1)`, as the writer spells them.
        (ColumnType::Char { length: None }, Dialect::Postgresql) => {
            ColumnType::Char { length: Some(1) }
        }
        (ColumnType::Bit { length: None }, Dialect::Postgresql) => {
            ColumnType::Bit { length: Some(1) }
        }
        (t, _) => t.clone(),
    }
}

fn expected_default(dialect: Dialect, c: &Column) -> Option<DefaultValue> {
    match (&c.default, &c.column_type, dialect) {
        // No enums on SQLite (see above): an enum label default is a plain string.
        (Some(DefaultValue::EnumValue(v)), ColumnType::Enum { .. }, Dialect::Sqlite) => {
            Some(DefaultValue::String(v.clone()))
        }
        _ => c.default.clone(),
    }
}

/// Two defaults the writer spells identically are one physical fact: an `Expression("0")` of
/// the source reads back as `Number("0")`, a negative `Number("-3")` as `String("-3")`, Prisma's
/// `'{"a": 1}'` for jsonb as `'{"a":1}'::jsonb` (the snapshot holds the same text for both).
fn same_default(dialect: Dialect, table: &str, source: &Column, read: &Column) -> bool {
    let expected = expected_default(dialect, source);
    if expected == read.default {
        return true;
    }
    if dialect != Dialect::Postgresql {
        return false;
    }
    let mut as_read = source.clone();
    as_read.default = read.default.clone();
    let spelled = |c: &Column| plan_column(table, c).default.map(|d| d.snapshot);
    expected.is_some() && spelled(source) == spelled(&as_read)
}

fn compare_columns(
    diff: &mut Diff,
    dialect: Dialect,
    at: &str,
    t: &Table,
    src: &Column,
    got: &Column,
) {
    let at = format!("{at}.{}", src.name);
    diff.check(
        &format!("{at} type"),
        expected_type(dialect, src),
        got.column_type.clone(),
    );
    diff.check(&format!("{at} dimensions"), src.dimensions, got.dimensions);
    diff.check(&format!("{at} nullable"), src.nullable, got.nullable);
    if !same_default(dialect, &t.name, src, got) {
        diff.lines.push(format!(
            "{at} default: expected {:?}, read {:?}",
            expected_default(dialect, src),
            got.default
        ));
    }
    // The snapshot spells every identity option out; compare them with the defaults resolved
    // the way the writer resolves them (the source may leave them unset).
    diff.check(
        &format!("{at} identity"),
        plan_column(&t.name, src).identity,
        plan_column(&t.name, got).identity,
    );
    diff.check(
        &format!("{at} generated"),
        src.generated.clone(),
        got.generated.clone(),
    );
}

/// An index column as a PostgreSQL snapshot can hold it.
fn expected_index_column(dialect: Dialect, c: &IndexColumn) -> IndexColumn {
    let mut c = c.clone();
    if dialect == Dialect::Postgresql && c.is_expression {
        // drizzle keeps an expression's operator class inside its sql`` text and records no
        // order or NULLS placement for it.
        if let Some(op) = c.opclass.take() {
            c.expression = format!("{} {op}", c.expression);
        }
        c.order = SortOrder::Asc;
        c.nulls = None;
    }
    if dialect == Dialect::Postgresql && !c.is_expression {
        // A NULLS placement equal to the order's default is no fact of its own.
        let default = match c.order {
            SortOrder::Asc => NullsOrder::Last,
            SortOrder::Desc => NullsOrder::First,
        };
        if c.nulls == Some(default) {
            c.nulls = None;
        }
    }
    c
}

fn compare_indexes(diff: &mut Diff, dialect: Dialect, at: &str, src: &Table, got: &Table) {
    let mut expected: Vec<Index> = src.indexes.clone();
    if dialect == Dialect::Sqlite {
        // drizzle-kit's SQLite flavour makes unique constraints unique indexes.
        for u in &src.unique_constraints {
            expected.push(Index {
                name: u.name.clone(),
                unique: true,
                method: "btree".into(),
                columns: u
                    .columns
                    .iter()
                    .map(|c| IndexColumn {
                        expression: c.clone(),
                        is_expression: false,
                        order: SortOrder::Asc,
                        nulls: None,
                        opclass: None,
                    })
                    .collect(),
                predicate: None,
                include: vec![],
            });
        }
    }
    let names = |list: &[Index]| list.iter().map(|i| i.name.clone()).collect::<BTreeSet<_>>();
    diff.check(
        &format!("{at} index names"),
        names(&expected),
        names(&got.indexes),
    );
    for i in &expected {
        let Some(g) = got.indexes.iter().find(|g| g.name == i.name) else {
            continue;
        };
        let at = format!("{at} index {}", i.name);
        diff.check(&format!("{at} unique"), i.unique, g.unique);
        diff.check(&format!("{at} method"), &i.method, &g.method);
        let cols: Vec<IndexColumn> = i
            .columns
            .iter()
            .map(|c| expected_index_column(dialect, c))
            .collect();
        diff.check(&format!("{at} columns"), &cols, &g.columns);
        diff.check(&format!("{at} predicate"), &i.predicate, &g.predicate);
        // INCLUDE columns: drizzle's index builder cannot declare them, a snapshot has none;
        // the read side must at least not invent any.
        diff.check(
            &format!("{at} include"),
            Vec::<String>::new(),
            g.include.clone(),
        );
    }
}

fn compare_tables(diff: &mut Diff, dialect: Dialect, src: &Table, got: &Table) {
    let at = src.object_name().to_string();
    let names = |t: &Table| {
        t.columns
            .iter()
            .map(|c| c.name.clone())
            .collect::<BTreeSet<_>>()
    };
    diff.check(&format!("{at} columns"), names(src), names(got));
    for c in &src.columns {
        if let Some(g) = got.column(&c.name) {
            compare_columns(diff, dialect, &at, src, c, g);
        }
    }
    let pk_columns = |t: &Table| t.primary_key.as_ref().map(|pk| pk.columns.clone());
    diff.check(
        &format!("{at} primary key"),
        pk_columns(src),
        pk_columns(got),
    );
    if dialect == Dialect::Postgresql {
        // A key without a name gets the one drizzle-kit's writer implies.
        let implied = src.primary_key.as_ref().map(|_| primary_key_name(src));
        diff.check(
            &format!("{at} primary key name"),
            implied,
            got.primary_key.as_ref().and_then(|pk| pk.name.clone()),
        );
    }
    compare_indexes(diff, dialect, &at, src, got);
    if dialect == Dialect::Postgresql {
        let mut expected = src.unique_constraints.clone();
        // DEFERRABLE: drizzle cannot declare it, the snapshot has no field for it.
        for u in &mut expected {
            u.deferrable = None;
        }
        diff.check(
            &format!("{at} unique constraints"),
            expected,
            got.unique_constraints.clone(),
        );
    }
    let mut fks = src.foreign_keys.clone();
    // DEFERRABLE again: not in drizzle's foreign key either.
    for fk in &mut fks {
        fk.deferrable = None;
    }
    diff.check(&format!("{at} foreign keys"), fks, got.foreign_keys.clone());
    diff.check(&format!("{at} checks"), &src.checks, &got.checks);
    diff.check(&format!("{at} rls"), src.rls_enabled, got.rls_enabled);
    diff.check(&format!("{at} policies"), &src.policies, &got.policies);
}

fn compare(src: &Schema, got: &Schema) -> Diff {
    let mut diff = Diff {
        lines: Vec::new(),
        checked: 0,
    };
    diff.check("dialect", src.dialect, got.dialect);
    let dialect = src.dialect;
    let names = |s: &Schema| {
        s.tables
            .iter()
            .map(|t| t.object_name())
            .collect::<BTreeSet<_>>()
    };
    diff.check("tables", names(src), names(got));
    for t in &src.tables {
        if let Some(g) = got.table(&t.object_name()) {
            compare_tables(&mut diff, dialect, t, g);
        }
    }
    if dialect == Dialect::Postgresql {
        let enums = |s: &Schema| {
            s.enums
                .iter()
                .map(|e| {
                    let labels: Vec<String> = e.values.iter().map(|v| v.label.clone()).collect();
                    (e.object_name(), labels)
                })
                .collect::<Vec<_>>()
        };
        diff.check("enums", enums(src), enums(got));
        // Sequence options compared with PostgreSQL's defaults resolved, as the writer does.
        let sequences = |s: &Schema| {
            s.sequences
                .iter()
                .map(|q| (q.schema.clone(), q.name.clone(), sequence_plan(q)))
                .collect::<Vec<_>>()
        };
        diff.check("sequences", sequences(src), sequences(got));
        diff.check("namespaces", &src.namespaces, &got.namespaces);
    }
    let views = |s: &Schema| {
        s.views
            .iter()
            .map(|v| (v.schema.clone(), v.name.clone()))
            .collect::<BTreeSet<_>>()
    };
    diff.check("views", views(src), views(got));
    diff
}

#[test]
fn migrations_folders_read_back_the_source_facts() {
    let mut failures = Vec::new();
    let mut dialects = BTreeSet::new();
    let mut checked = 0;
    let all = sources();
    for path in &all {
        let rel = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path)
            .display()
            .to_string();
        match round_trip(path) {
            Ok((src, got)) => {
                dialects.insert(format!("{:?}", src.dialect));
                let diff = compare(&src, &got);
                checked += diff.checked;
                if !diff.lines.is_empty() {
                    failures.push(format!("{rel}:\n  {}", diff.lines.join("\n  ")));
                }
            }
            Err(e) => failures.push(format!("{rel}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} sources differ after the round trip:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
    assert_eq!(dialects.len(), 2, "both dialects covered: {dialects:?}");
    eprintln!("{} sources, {checked} facts compared", all.len());
    assert!(checked > 1000, "only {checked} facts compared");
}
