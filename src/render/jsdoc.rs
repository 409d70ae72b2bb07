//! JSDoc blocks for the documentation and comments a schema carries, in both dialects' files.

/// JSDoc block for documentation text (`*/` cannot end it early), indented.
pub fn doc_comment(doc: Option<&str>, indent: &str) -> String {
    let Some(doc) = doc.filter(|d| !d.trim().is_empty()) else {
        return String::new();
    };
    let doc = doc.replace("*/", "*\\/");
    let lines: Vec<&str> = doc.lines().collect();
    if lines.len() == 1 {
        return format!("{indent}/** {} */\n", lines[0].trim());
    }
    let mut out = format!("{indent}/**\n");
    for line in lines {
        out.push_str(&format!("{indent} * {}\n", line.trim_end()));
    }
    out.push_str(&format!("{indent} */\n"));
    out
}
