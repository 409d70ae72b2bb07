//! PostgreSQL snapshots of drizzle-kit 1.0 (version 9) into the model.
//!
//! A folder holds one `base` snapshot (full `ddl` rows) and `diff` snapshots whose `deltas` are
//! replayed onto it along `prevIds`, as drizzle-kit's `reconstruct` / `startingState` do: the
//! same row store (`createDDL`: every row gets all its entity's keys, identity = the identity
//! fields as a JSON array), and a rename or alter that changes an identity carries the new name
//! into every row that refers to it (the store's `edges`).
//!
//! The state reached is then written as the version-7 document drizzle-kit 0.31 would have
//! written for it and read by [`super::postgres`], so both versions share every type and
//! default rule.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::rows::{get, named, table_document, text};
use super::{parse, quoted_literal, SnapshotError};
use crate::model::Schema;

/// The parent of a base snapshot.
const ORIGIN: &str = "00000000-0000-0000-0000-000000000000";

/// One `snapshot.json` (base or diff).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct SnapshotV9 {
    #[serde(rename = "type")]
    kind: String,
    id: String,
    prev_ids: Vec<String>,
    ddl: Vec<Value>,
    deltas: Vec<Delta>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Delta {
    op: String,
    row: Option<Value>,
    key: Option<String>,
    set: Map<String, Value>,
}

/// A loaded snapshot and the file it came from.
pub(super) struct Loaded {
    path: PathBuf,
    snapshot: SnapshotV9,
}

impl Loaded {
    pub(super) fn read(path: &Path, text: &str) -> Result<Loaded, SnapshotError> {
        Ok(Loaded {
            path: path.to_path_buf(),
            snapshot: parse(path, text)?,
        })
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

// ---------------------------------------------------------------------------------------------
// The row store (drizzle-kit's `createDDL` for postgres)

/// An entity type: its keys (every row has all of them, `null` when absent) and identity fields,
/// each a space-separated list.
struct Entity {
    name: &'static str,
    keys: &'static str,
    identity: &'static str,
}

const ENTITIES: &[Entity] = &[
    Entity {
        name: "schemas",
        keys: "name",
        identity: "name",
    },
    Entity {
        name: "tables",
        keys: "schema name isRlsEnabled",
        identity: "schema name",
    },
    Entity {
        name: "enums",
        keys: "schema name values",
        identity: "schema name",
    },
    Entity {
        name: "columns",
        keys: "schema table name type typeSchema notNull dimensions default generated identity",
        identity: "schema table name",
    },
    Entity {
        name: "indexes",
        keys: "schema table name nameExplicit columns isUnique where with method concurrently",
        // Index names are unique per schema, not per table.
        identity: "schema name",
    },
    Entity {
        name: "fks",
        keys: "schema table name nameExplicit columns schemaTo tableTo columnsTo onUpdate onDelete",
        identity: "schema table name",
    },
    Entity {
        name: "pks",
        keys: "schema table name columns nameExplicit",
        identity: "schema table name",
    },
    Entity {
        name: "uniques",
        keys: "schema table name nameExplicit columns nullsNotDistinct",
        identity: "schema table name",
    },
    Entity {
        name: "checks",
        keys: "schema table name value",
        identity: "schema table name",
    },
    Entity {
        name: "sequences",
        keys: "schema name incrementBy minValue maxValue startWith cacheSize cycle",
        identity: "schema name",
    },
    Entity {
        name: "roles",
        keys: "name superuser createDb createRole inherit canLogin replication bypassRls connLimit password validUntil",
        identity: "name",
    },
    Entity {
        name: "privileges",
        keys: "grantor grantee schema table type isGrantable",
        identity: "schema table grantor grantee type",
    },
    Entity {
        name: "policies",
        keys: "schema table name as for roles using withCheck",
        identity: "schema table name",
    },
    Entity {
        name: "views",
        keys: "schema name definition with withNoData using tablespace materialized",
        identity: "schema name",
    },
];

fn entity(name: &str) -> Option<&'static Entity> {
    ENTITIES.iter().find(|e| e.name == name)
}

/// A reference from one row to another: `target field ← source field` pairs, and at most one
/// list of names (`columns`), optionally picked from objects and skipping expressions.
struct Edge {
    from: &'static str,
    to: &'static str,
    scalars: &'static [(&'static str, &'static str)],
    list: Option<ListEdge>,
    /// Only columns whose `typeSchema` names a user type refer to an enum.
    enum_typed: bool,
}

struct ListEdge {
    target: &'static str,
    list: &'static str,
    pick: Option<&'static str>,
    skip_when: Option<&'static str>,
}

const fn edge(
    from: &'static str,
    to: &'static str,
    scalars: &'static [(&'static str, &'static str)],
) -> Edge {
    Edge {
        from,
        to,
        scalars,
        list: None,
        enum_typed: false,
    }
}

const fn list_edge(
    from: &'static str,
    to: &'static str,
    scalars: &'static [(&'static str, &'static str)],
    list: ListEdge,
) -> Edge {
    Edge {
        from,
        to,
        scalars,
        list: Some(list),
        enum_typed: false,
    }
}

const COLUMNS_LIST: ListEdge = ListEdge {
    target: "name",
    list: "columns",
    pick: None,
    skip_when: None,
};

const IN_TABLE: &[(&str, &str)] = &[("schema", "schema"), ("name", "table")];
const OF_TABLE: &[(&str, &str)] = &[("schema", "schema"), ("table", "table")];
const IN_SCHEMA: &[(&str, &str)] = &[("name", "schema")];

/// drizzle-kit's postgres `edges`, in its order.
const EDGES: &[Edge] = &[
    edge("tables", "schemas", IN_SCHEMA),
    edge("enums", "schemas", IN_SCHEMA),
    edge("sequences", "schemas", IN_SCHEMA),
    edge("views", "schemas", IN_SCHEMA),
    edge("checks", "tables", IN_TABLE),
    edge("policies", "tables", IN_TABLE),
    list_edge(
        "policies",
        "roles",
        &[],
        ListEdge {
            target: "name",
            list: "roles",
            pick: None,
            skip_when: None,
        },
    ),
    edge("privileges", "tables", IN_TABLE),
    edge("privileges", "roles", &[("name", "grantee")]),
    edge("privileges", "roles", &[("name", "grantor")]),
    edge("columns", "tables", IN_TABLE),
    Edge {
        from: "columns",
        to: "enums",
        scalars: &[("schema", "typeSchema"), ("name", "type")],
        list: None,
        enum_typed: true,
    },
    edge("indexes", "tables", IN_TABLE),
    list_edge(
        "indexes",
        "columns",
        OF_TABLE,
        ListEdge {
            target: "name",
            list: "columns",
            pick: Some("value"),
            skip_when: Some("isExpression"),
        },
    ),
    edge("pks", "tables", IN_TABLE),
    list_edge("pks", "columns", OF_TABLE, COLUMNS_LIST),
    edge("uniques", "tables", IN_TABLE),
    list_edge("uniques", "columns", OF_TABLE, COLUMNS_LIST),
    edge("fks", "tables", IN_TABLE),
    list_edge("fks", "columns", OF_TABLE, COLUMNS_LIST),
    edge(
        "fks",
        "tables",
        &[("schema", "schemaTo"), ("name", "tableTo")],
    ),
    list_edge(
        "fks",
        "columns",
        &[("schema", "schemaTo"), ("table", "tableTo")],
        ListEdge {
            target: "name",
            list: "columnsTo",
            pick: None,
            skip_when: None,
        },
    ),
];

impl Edge {
    fn applies(&self, row: &Map<String, Value>) -> bool {
        !self.enum_typed
            || row
                .get("typeSchema")
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty() && s != "pg_catalog")
    }

    /// The identities (of `self.to`) that `row` refers to.
    fn resolve(&self, row: &Map<String, Value>) -> Vec<String> {
        if !self.applies(row) {
            return vec![];
        }
        let Some(to) = entity(self.to) else {
            return vec![];
        };
        let mut target = Map::new();
        for (t, s) in self.scalars {
            target.insert(t.to_string(), row.get(*s).cloned().unwrap_or(Value::Null));
        }
        let Some(list) = &self.list else {
            return vec![identity_of(to, &target)];
        };
        let Some(elements) = row.get(list.list).and_then(Value::as_array) else {
            return vec![];
        };
        elements
            .iter()
            .filter(|e| !list.skip_when.is_some_and(|f| truthy(e.get(f))))
            .filter_map(|e| match list.pick {
                Some(p) => e.get(p)?.as_str(),
                None => e.as_str(),
            })
            .map(|name| {
                let mut t = target.clone();
                t.insert(list.target.into(), Value::String(name.into()));
                identity_of(to, &t)
            })
            .collect()
    }

    /// The fields of `row` to change when the row it refers to moves from `from` to `to`.
    fn relocate(
        &self,
        row: &Map<String, Value>,
        from: &Map<String, Value>,
        to: &Map<String, Value>,
    ) -> Option<Map<String, Value>> {
        if !self.applies(row) {
            return None;
        }
        let field = |m: &Map<String, Value>, k: &str| m.get(k).cloned().unwrap_or(Value::Null);
        for (t, s) in self.scalars {
            if field(row, s) != field(from, t) {
                return None;
            }
        }
        let mut patch = Map::new();
        let Some(list) = &self.list else {
            for (t, s) in self.scalars {
                patch.insert(s.to_string(), field(to, t));
            }
            return Some(patch);
        };
        let elements = row.get(list.list)?.as_array()?;
        let old = field(from, list.target);
        let new = field(to, list.target);
        let mut changed = false;
        let next: Vec<Value> = elements
            .iter()
            .map(|e| {
                if list.skip_when.is_some_and(|f| truthy(e.get(f))) {
                    return e.clone();
                }
                let name = match list.pick {
                    Some(p) => e.get(p).cloned().unwrap_or(Value::Null),
                    None => e.clone(),
                };
                if name != old {
                    return e.clone();
                }
                changed = true;
                match (list.pick, e) {
                    (Some(p), Value::Object(o)) => {
                        let mut o = o.clone();
                        o.insert(p.into(), new.clone());
                        Value::Object(o)
                    }
                    _ => new.clone(),
                }
            })
            .collect();
        if !changed {
            return None;
        }
        patch.insert(list.list.into(), Value::Array(next));
        for (t, s) in self.scalars {
            patch.insert(s.to_string(), field(to, t));
        }
        Some(patch)
    }
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(_) => true,
    }
}

/// `JSON.stringify([row.f1, row.f2, …])` over the identity fields (serde_json escapes strings
/// as JavaScript does).
fn identity_of(e: &Entity, row: &Map<String, Value>) -> String {
    let values: Vec<Value> = e
        .identity
        .split(' ')
        .map(|f| row.get(f).cloned().unwrap_or(Value::Null))
        .collect();
    Value::Array(values).to_string()
}

/// A delta's `key`: entity type, NUL, identity.
fn qualified(e: &Entity, identity: &str) -> String {
    format!("{}\0{identity}", e.name)
}

struct Row {
    entity: &'static Entity,
    fields: Map<String, Value>,
}

impl Row {
    fn key(&self) -> String {
        qualified(self.entity, &identity_of(self.entity, &self.fields))
    }
}

/// The rows in insertion order (a dropped row leaves a hole, so positions stay stable), and
/// where each key is.
#[derive(Default)]
pub(super) struct State {
    rows: Vec<Option<Row>>,
    index: HashMap<String, usize>,
}

/// Why a replay failed; the caller names the snapshot.
type Replay<T> = Result<T, String>;

impl State {
    /// A row with exactly its entity's keys (drizzle-kit's `prepare`).
    fn prepare(input: &Value) -> Replay<Row> {
        let obj = input
            .as_object()
            .ok_or_else(|| format!("a row is not an object: {input}"))?;
        let kind = obj
            .get("entityType")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let entity = entity(kind).ok_or_else(|| format!("unknown entityType `{kind}`"))?;
        let mut fields = Map::new();
        for k in entity.keys.split(' ') {
            fields.insert(k.to_string(), obj.get(k).cloned().unwrap_or(Value::Null));
        }
        Ok(Row { entity, fields })
    }

    /// `entities.push`: `Err(existing row)` when the key is taken.
    fn push(&mut self, row: Row) -> Result<(), &Row> {
        let key = row.key();
        if let Some(&at) = self.index.get(&key) {
            return Err(self.rows[at].as_ref().expect("indexed rows are present"));
        }
        self.index.insert(key, self.rows.len());
        self.rows.push(Some(row));
        Ok(())
    }

    fn from_ddl(ddl: &[Value]) -> Replay<State> {
        let mut state = State::default();
        for r in ddl {
            let row = State::prepare(r)?;
            let key = row.key();
            if state.push(row).is_err() {
                return Err(format!(
                    "it lists two rows with the key {}",
                    printable(&key)
                ));
            }
        }
        Ok(state)
    }

    fn rekey(&mut self) {
        self.index = self
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((r.as_ref()?.key(), i)))
            .collect();
    }

    fn apply(&mut self, deltas: &[Delta]) -> Replay<()> {
        for d in deltas {
            match d.op.as_str() {
                "create" => {
                    let row = d.row.as_ref().ok_or("a create delta has no row")?;
                    let row = State::prepare(row)?;
                    let key = row.key();
                    if let Err(stored) = self.push(row) {
                        // The same row created twice (merged branches) is no conflict.
                        let new = State::prepare(d.row.as_ref().expect("checked"))?;
                        if stored.fields != new.fields {
                            return Err(format!(
                                "the create delta adds {}, and another row already has this key",
                                printable(&key)
                            ));
                        }
                    }
                }
                "drop" => {
                    let key = d.key.as_deref().ok_or("a drop delta has no key")?;
                    if let Some(at) = self.index.remove(key) {
                        self.rows[at] = None;
                    }
                }
                "alter" | "rename" => {
                    let key = d.key.as_deref().ok_or("an alter delta has no key")?;
                    self.update(key, &d.set)?;
                }
                other => return Err(format!("unknown delta op `{other}`")),
            }
        }
        Ok(())
    }

    /// `entities.update({ set, where: key })`: a missing row is no error; a new identity is
    /// carried into every row that refers to the old one.
    fn update(&mut self, key: &str, set: &Map<String, Value>) -> Replay<()> {
        let Some(&at) = self.index.get(key) else {
            return Ok(());
        };
        let row = self.rows[at].as_mut().expect("indexed rows are present");
        let old = row.fields.clone();
        for (k, v) in set {
            // Only keys the row has (drizzle-kit's `applySet`).
            if let Some(slot) = row.fields.get_mut(k) {
                *slot = v.clone();
            }
        }
        if row.key() == key {
            return Ok(());
        }
        let snapshot: Vec<Option<Map<String, Value>>> = self
            .rows
            .iter()
            .map(|r| r.as_ref().map(|r| r.fields.clone()))
            .collect();
        // Who refers to whom, from the rows as they are now.
        let mut refs: HashMap<String, Vec<(usize, &'static Edge)>> = HashMap::new();
        for (i, r) in self.rows.iter().enumerate() {
            let Some(r) = r else { continue };
            for e in EDGES.iter().filter(|e| e.from == r.entity.name) {
                let Some(to) = entity(e.to) else { continue };
                for target in e.resolve(&r.fields) {
                    refs.entry(qualified(to, &target)).or_default().push((i, e));
                }
            }
        }
        let new = self.rows[at].as_ref().expect("present").fields.clone();
        let mut queue = vec![(key.to_string(), old, new)];
        let mut visited: HashSet<String> = HashSet::from([key.to_string()]);
        let mut i = 0;
        while i < queue.len() {
            let (old_key, from, to) = queue[i].clone();
            i += 1;
            for (dep, e) in refs.get(&old_key).cloned().unwrap_or_default() {
                let Some(row) = self.rows[dep].as_mut() else {
                    continue;
                };
                let Some(patch) = e.relocate(&row.fields, &from, &to) else {
                    continue;
                };
                let dep_old = row.fields.clone();
                let dep_old_key = row.key();
                for (k, v) in patch {
                    row.fields.insert(k, v);
                }
                if row.key() != dep_old_key && visited.insert(dep_old_key.clone()) {
                    queue.push((dep_old_key, dep_old, row.fields.clone()));
                }
            }
        }
        let mut held = HashSet::new();
        let collision = self
            .rows
            .iter()
            .flatten()
            .map(Row::key)
            .find(|k| !held.insert(k.clone()));
        if let Some(k) = collision {
            for (slot, fields) in self.rows.iter_mut().zip(snapshot) {
                if let (Some(r), Some(f)) = (slot.as_mut(), fields) {
                    r.fields = f;
                }
            }
            return Err(format!(
                "the {} delta moves {} onto {}, which another row already has",
                "alter/rename",
                printable(key),
                printable(&k)
            ));
        }
        self.rekey();
        Ok(())
    }

    fn rows_of<'s>(&'s self, kind: &'s str) -> impl Iterator<Item = &'s Map<String, Value>> + 's {
        self.rows
            .iter()
            .flatten()
            .filter(move |r| r.entity.name == kind)
            .map(|r| &r.fields)
    }
}

/// A key with its NUL shown, for messages.
fn printable(key: &str) -> String {
    key.replace('\0', " ")
}

// ---------------------------------------------------------------------------------------------
// History (drizzle-kit's `reconstruct` / `startingState`)

/// The snapshots of one folder, in folder order.
pub(super) struct History<'a> {
    pub(super) snapshots: &'a [Loaded],
}

impl History<'_> {
    fn lookup(&self, id: &str, from: &Loaded) -> Result<&Loaded, SnapshotError> {
        self.snapshots
            .iter()
            .find(|s| s.snapshot.id == id)
            .ok_or_else(|| SnapshotError::History {
                path: from.path.clone(),
                message: format!("its parent snapshot {id} is not in the folder"),
            })
    }

    /// Every id reachable from `ids` through `prevIds`, except those in `known`.
    fn history_of(
        &self,
        ids: &[String],
        known: &HashSet<String>,
        from: &Loaded,
    ) -> Result<HashSet<String>, SnapshotError> {
        let mut found = HashSet::new();
        let mut stack: Vec<String> = ids.to_vec();
        while let Some(id) = stack.pop() {
            if id == ORIGIN || found.contains(&id) || known.contains(&id) {
                continue;
            }
            found.insert(id.clone());
            stack.extend(self.lookup(&id, from)?.snapshot.prev_ids.iter().cloned());
        }
        Ok(found)
    }

    fn apply(state: &mut State, s: &Loaded) -> Result<(), SnapshotError> {
        state
            .apply(&s.snapshot.deltas)
            .map_err(|message| SnapshotError::History {
                path: s.path.clone(),
                message,
            })
    }

    /// The diffs of the other parents' histories, merged in.
    fn apply_other_parents(
        &self,
        state: &mut State,
        prev_ids: &[String],
        from: &Loaded,
    ) -> Result<(), SnapshotError> {
        let Some((first, others)) = prev_ids.split_first() else {
            return Ok(());
        };
        let known = self.history_of(std::slice::from_ref(first), &HashSet::new(), from)?;
        let rest = self.history_of(others, &known, from)?;
        for s in self.snapshots {
            if rest.contains(&s.snapshot.id) && s.snapshot.kind == "diff" {
                History::apply(state, s)?;
            }
        }
        Ok(())
    }

    /// The state after snapshot `target`: its base's rows with every diff on the way replayed.
    fn reconstruct(&self, target: &Loaded) -> Result<State, SnapshotError> {
        let mut diffs = vec![];
        let mut s = target;
        let mut seen = HashSet::new();
        while s.snapshot.kind == "diff" {
            if !seen.insert(s.snapshot.id.clone()) {
                return Err(SnapshotError::History {
                    path: s.path.clone(),
                    message: "its prevIds lead back to itself".into(),
                });
            }
            diffs.push(s);
            let parent = s.snapshot.prev_ids.first().map(String::as_str);
            match parent {
                Some(p) if p != ORIGIN => s = self.lookup(p, s)?,
                _ => {
                    return Err(SnapshotError::History {
                        path: s.path.clone(),
                        message: "this diff snapshot's history reaches no base snapshot".into(),
                    })
                }
            }
        }
        if s.snapshot.kind != "base" {
            return Err(SnapshotError::History {
                path: s.path.clone(),
                message: format!("`type` is `{}`, not `base` or `diff`", s.snapshot.kind),
            });
        }
        let mut state =
            State::from_ddl(&s.snapshot.ddl).map_err(|message| SnapshotError::History {
                path: s.path.clone(),
                message,
            })?;
        for d in diffs.into_iter().rev() {
            if d.snapshot.prev_ids.len() > 1 {
                self.apply_other_parents(&mut state, &d.snapshot.prev_ids, d)?;
            }
            History::apply(&mut state, d)?;
        }
        Ok(state)
    }

    /// The state after the snapshot at index `at`.
    pub(super) fn state_at(&self, at: usize) -> Result<State, SnapshotError> {
        self.reconstruct(&self.snapshots[at])
    }

    /// The combined state of every leaf (snapshots no other names as a parent), as drizzle-kit
    /// `generate` starts from it; `None` for an empty folder.
    pub(super) fn latest(&self) -> Result<Option<State>, SnapshotError> {
        let parents: HashSet<&str> = self
            .snapshots
            .iter()
            .flat_map(|s| s.snapshot.prev_ids.iter().map(String::as_str))
            .collect();
        let leaves: Vec<&Loaded> = self
            .snapshots
            .iter()
            .filter(|s| !parents.contains(s.snapshot.id.as_str()))
            .collect();
        let Some(first) = leaves.first() else {
            return Ok(None);
        };
        let mut state = self.reconstruct(first)?;
        if leaves.len() > 1 {
            let ids: Vec<String> = leaves.iter().map(|s| s.snapshot.id.clone()).collect();
            self.apply_other_parents(&mut state, &ids, first)?;
        }
        Ok(Some(state))
    }
}

// ---------------------------------------------------------------------------------------------
// Into the model, through the version-7 document

/// `(schema.name, value)` with the row's `name` and `schema` added to `value`: a version-7
/// object keyed as drizzle-kit keys it.
fn by_name(row: &Map<String, Value>, mut value: Value) -> (String, Value) {
    if let Value::Object(fields) = &mut value {
        fields.insert("name".into(), get(row, "name"));
        fields.insert("schema".into(), get(row, "schema"));
    }
    (
        format!("{}.{}", text(row, "schema"), text(row, "name")),
        value,
    )
}

/// A version-9 default as version 7 held it. Strings whose backslashes 1.0 doubled (its
/// `escapeForSqlDefault`) get them back single; the trimmed casts stay trimmed (the comparison
/// ignores casts).
fn default_v7(row: &Map<String, Value>) -> Value {
    match row.get("default") {
        Some(Value::String(s)) => {
            let dimensions = row.get("dimensions").and_then(Value::as_u64).unwrap_or(0);
            if dimensions == 0 && quoted_literal(s).is_some() {
                Value::String(s.replace("\\\\", "\\"))
            } else {
                Value::String(s.clone())
            }
        }
        Some(other) => other.clone(),
        None => Value::Null,
    }
}

fn column_v7(c: &Map<String, Value>) -> Value {
    let dimensions = c.get("dimensions").and_then(Value::as_u64).unwrap_or(0);
    let brackets = "[]".repeat(usize::try_from(dimensions).unwrap_or(0));
    json!({
        "name": get(c, "name"),
        "type": format!("{}{brackets}", text(c, "type")),
        "typeSchema": get(c, "typeSchema"),
        "notNull": get(c, "notNull"),
        "default": default_v7(c),
        "generated": get(c, "generated"),
        "identity": get(c, "identity"),
    })
}

fn index_v7(i: &Map<String, Value>) -> Value {
    let columns: Vec<Value> = i
        .get("columns")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    let nulls_first = c.get("nullsFirst").and_then(Value::as_bool) == Some(true);
                    json!({
                        "expression": c.get("value").cloned().unwrap_or(Value::Null),
                        "isExpression": c.get("isExpression").cloned().unwrap_or(Value::Bool(false)),
                        "asc": c.get("asc").cloned().unwrap_or(Value::Bool(true)),
                        "nulls": if nulls_first { "first" } else { "last" },
                        "opclass": c.get("opclass").and_then(|o| o.get("name")).cloned().unwrap_or(Value::Null),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    json!({
        "name": get(i, "name"),
        "columns": columns,
        "isUnique": get(i, "isUnique"),
        "where": get(i, "where"),
        "method": get(i, "method"),
    })
}

/// PostgreSQL keeps 63 bytes of a name; drizzle-kit's implied `<table>_pkey` may be longer.
fn pg_identifier(name: &str) -> String {
    let mut end = name.len().min(63);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_string()
}

/// A named-object map entry (version 7 keys objects by name; only the order matters here).
fn keyed(entries: impl Iterator<Item = (String, Value)>) -> Value {
    Value::Object(entries.collect())
}

fn to_v7(state: &State) -> Value {
    let same_table = |r: &Map<String, Value>, t: &Map<String, Value>| {
        text(r, "schema") == text(t, "schema") && text(r, "table") == text(t, "name")
    };
    let tables = state.rows_of("tables").map(|t| {
        let of = |kind: &'static str| state.rows_of(kind).filter(|r| same_table(r, t));
        let columns = named(of("columns"), column_v7);
        let indexes = named(of("indexes"), index_v7);
        let fks = named(of("fks"), |f| {
            json!({
                "name": get(f, "name"),
                "tableTo": get(f, "tableTo"),
                "schemaTo": get(f, "schemaTo"),
                "columnsFrom": get(f, "columns"),
                "columnsTo": get(f, "columnsTo"),
                "onDelete": get(f, "onDelete"),
                "onUpdate": get(f, "onUpdate"),
            })
        });
        let pks = keyed(of("pks").map(|p| {
            let table = text(t, "name");
            // drizzle-kit's implied name is an inline `PRIMARY KEY` in the SQL, which PostgreSQL
            // names itself, shortening the table part.
            let implied = p.get("nameExplicit").and_then(Value::as_bool) != Some(true)
                && text(p, "name") == format!("{table}_pkey");
            let name = if implied {
                super::postgres::inline_pkey_name(table)
            } else {
                pg_identifier(text(p, "name"))
            };
            (
                name.clone(),
                json!({ "name": name, "columns": get(p, "columns") }),
            )
        }));
        let uniques = named(of("uniques"), |u| {
            json!({
                "name": get(u, "name"),
                "columns": get(u, "columns"),
                "nullsNotDistinct": get(u, "nullsNotDistinct"),
            })
        });
        let checks = named(
            of("checks"),
            |c| json!({ "name": get(c, "name"), "value": get(c, "value") }),
        );
        let policies = named(of("policies"), |p| {
            json!({
                "name": get(p, "name"),
                "as": get(p, "as"),
                "for": get(p, "for"),
                "to": get(p, "roles"),
                "using": get(p, "using"),
                "withCheck": get(p, "withCheck"),
            })
        });
        let mut table = table_document([columns, indexes, fks, pks, uniques, checks]);
        table.insert("policies".into(), policies);
        table.insert("isRLSEnabled".into(), get(t, "isRlsEnabled"));
        by_name(t, Value::Object(table))
    });
    let enums = state.rows_of("enums").map(|e| {
        let value = json!({ "values": get(e, "values") });
        by_name(e, value)
    });
    let sequences = state.rows_of("sequences").map(|q| {
        let value = json!({
            "increment": get(q, "incrementBy"),
            "startWith": get(q, "startWith"),
            "minValue": get(q, "minValue"),
            "maxValue": get(q, "maxValue"),
            "cache": get(q, "cacheSize"),
            "cycle": get(q, "cycle"),
        });
        by_name(q, value)
    });
    let views = state.rows_of("views").map(|v| {
        let value = json!({
            "definition": get(v, "definition"),
            "materialized": get(v, "materialized"),
        });
        by_name(v, value)
    });
    let schemas = state
        .rows_of("schemas")
        .map(|s| (text(s, "name").to_string(), get(s, "name")));
    let roles = state.rows_of("roles").map(|r| {
        (
            text(r, "name").to_string(),
            json!({ "name": get(r, "name") }),
        )
    });
    json!({
        "tables": keyed(tables),
        "enums": keyed(enums),
        "schemas": keyed(schemas),
        "sequences": keyed(sequences),
        "roles": keyed(roles),
        "views": keyed(views),
    })
}

/// The model of a reconstructed state; `path` names the snapshot in errors.
pub(super) fn to_model(state: &State, path: &Path) -> Result<Schema, SnapshotError> {
    let v7: super::postgres::Snapshot = super::from_mapped(path, to_v7(state))?;
    Ok(super::postgres::to_model(v7))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(name: &str, doc: Value) -> Loaded {
        Loaded {
            path: PathBuf::from(format!("{name}/snapshot.json")),
            snapshot: serde_json::from_value(doc).unwrap(),
        }
    }

    fn column(table: &str, name: &str) -> Value {
        json!({"entityType": "columns", "schema": "public", "table": table, "name": name,
               "type": "integer", "typeSchema": null, "notNull": true, "dimensions": 0,
               "default": null, "generated": null, "identity": null})
    }

    #[test]
    fn renames_carry_into_referring_rows() {
        let base = loaded(
            "1_base",
            json!({"type": "base", "id": "a", "prevIds": [ORIGIN], "ddl": [
                {"entityType": "tables", "schema": "public", "name": "t", "isRlsEnabled": false},
                column("t", "id"),
                {"entityType": "pks", "schema": "public", "table": "t", "name": "t_pkey",
                 "columns": ["id"], "nameExplicit": false},
                {"entityType": "indexes", "schema": "public", "table": "t", "name": "t_idx",
                 "nameExplicit": true, "isUnique": false, "where": null, "with": "",
                 "method": "btree", "concurrently": false,
                 "columns": [{"value": "id", "isExpression": false, "asc": true,
                              "nullsFirst": false, "opclass": null}]},
            ]}),
        );
        let diff = loaded(
            "2_diff",
            json!({"type": "diff", "id": "b", "prevIds": ["a"], "deltas": [
                {"op": "rename", "key": "tables\u{0}[\"public\",\"t\"]", "set": {"name": "u"}},
                {"op": "rename", "key": "columns\u{0}[\"public\",\"u\",\"id\"]", "set": {"name": "uid"}},
                {"op": "create", "row": column("u", "extra")},
                {"op": "drop", "key": "indexes\u{0}[\"public\",\"t_idx\"]"},
            ]}),
        );
        let all = [base, diff];
        let history = History { snapshots: &all };
        let state = history.latest().unwrap().unwrap();
        let model = to_model(&state, Path::new("x")).unwrap();
        let t = &model.tables[0];
        assert_eq!(t.name, "u");
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["uid", "extra"]);
        assert_eq!(t.primary_key.as_ref().unwrap().columns, ["uid"]);
        assert!(t.indexes.is_empty());
        // The base alone is still the first state.
        let first = to_model(&history.state_at(0).unwrap(), Path::new("x")).unwrap();
        assert_eq!(first.tables[0].name, "t");
    }

    #[test]
    fn broken_histories_name_the_snapshot() {
        let error_of = |snapshot: Loaded| {
            let all = [snapshot];
            History { snapshots: &all }
                .latest()
                .err()
                .unwrap()
                .to_string()
        };
        let e = error_of(loaded(
            "2_diff",
            json!({"type": "diff", "id": "b", "prevIds": ["gone"], "deltas": []}),
        ));
        assert!(e.contains("2_diff") && e.contains("gone"), "{e}");
        let e = error_of(loaded(
            "1_base",
            json!({"type": "base", "id": "a", "prevIds": [ORIGIN],
                   "ddl": [column("t", "id"), column("t", "id")]}),
        ));
        assert!(e.contains("1_base") && e.contains("two rows"), "{e}");
    }
}
