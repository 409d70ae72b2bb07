//! Reading a user's input file as text, bounded: only regular files (a device or a FIFO such as
//! `/dev/zero` would never end), at most a size no schema or model comes near, and UTF-8 checked
//! with the position of the first bad byte, so hostile input ends at once with a clear error.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Far above any real schema or model (the largest public Prisma schemas are well under 1 MiB).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` is not a regular file", path.display())]
    NotAFile { path: PathBuf },
    #[error("`{}` is larger than {} MiB; this is not a schema", path.display(), MAX_INPUT_BYTES / 1024 / 1024)]
    TooLarge { path: PathBuf },
    #[error("{}:{line}:{col}: not valid UTF-8 (byte 0x{byte:02X}); save the file as UTF-8", path.display())]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        col: usize,
        byte: u8,
    },
}

/// The text of the regular file at `path`.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(InputError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file growing while it is read stops at the limit all the same.
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let byte = e.as_bytes()[valid.len()];
        // Valid up to here by construction.
        let before = std::str::from_utf8(valid).unwrap_or_default();
        let (line, col) = crate::prisma::source::line_col_of(before, before.len());
        InputError::NotUtf8 {
            path: path.to_path_buf(),
            line,
            col,
            byte,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_bytes_are_placed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.prisma");
        std::fs::write(&path, b"model A {\n  id Int \xff@id\n}\n").unwrap();
        let err = read_text(&path).unwrap_err().to_string();
        assert!(
            err.ends_with("s.prisma:2:10: not valid UTF-8 (byte 0xFF); save the file as UTF-8"),
            "{err}"
        );
        assert!(matches!(
            read_text(Path::new("/dev/zero")),
            Err(InputError::NotAFile { .. })
        ));
        assert!(matches!(
            read_text(dir.path()),
            Err(InputError::NotAFile { .. })
        ));
    }
}
