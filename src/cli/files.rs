//! Files the user keeps (an exported plan) are written whole or not at
//! all: a crash, a full disk or a second writer never leaves half a file.

use std::{io::Write, path::Path};

use anyhow::Context;

/// Writes `contents` to `path` atomically: into a temporary file in the
/// same folder (so the rename stays on one file system), flushed to disk
/// (fsync), then renamed over `path`, and the folder synced so the rename
/// itself survives a power cut. A file already there keeps its
/// permissions; a new one is readable by all (0644), as a plan in a
/// repository should be.
pub fn write_atomically(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".quarterdeck-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|error| cannot_create_in(path, folder, &error))?;
    temporary.write_all(contents).with_context(|| format!("writing {}", path.display()))?;
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => Some(existing.permissions()),
        Err(_) => new_file_permissions(),
    };
    if let Some(permissions) = permissions {
        std::fs::set_permissions(temporary.path(), permissions).with_context(|| format!("writing {}", path.display()))?;
    }
    temporary.as_file().sync_all().with_context(|| format!("writing {}: flushing to disk", path.display()))?;
    temporary.persist(path).map_err(|error| anyhow::anyhow!("writing {}: {}", path.display(), error.error))?;
    // The rename is durable once the folder's entry is on disk too.
    #[cfg(unix)]
    std::fs::File::open(folder).and_then(|folder| folder.sync_all()).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Why no file can be made in `folder`, naming the folder the user gave
/// (not the temporary file's name, which means nothing to them) and what
/// to do.
fn cannot_create_in(path: &Path, folder: &Path, error: &std::io::Error) -> anyhow::Error {
    let (path, folder) = (path.display(), folder.display());
    let why = match error.kind() {
        std::io::ErrorKind::NotFound => format!("there is no folder {folder}: create it first"),
        std::io::ErrorKind::NotADirectory => format!("{folder} is not a folder"),
        std::io::ErrorKind::PermissionDenied => format!("the folder {folder} cannot be written to (permission denied)"),
        std::io::ErrorKind::ReadOnlyFilesystem => format!("the folder {folder} is on a read-only file system"),
        kind => format!("no file can be made in the folder {folder} ({kind})"),
    };
    anyhow::anyhow!("cannot write {path}: {why}, or name a file in another folder; nothing was written")
}

/// The temporary file is private (0600); a new plan is not.
#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    Some(std::os::unix::fs::PermissionsExt::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

/// The file name's extension in lower case (`R.HTML`: `html`), which
/// chooses an output's format when `--format` does not.
pub fn extension(path: Option<&Path>) -> Option<String> {
    path.and_then(Path::extension).and_then(std::ffi::OsStr::to_str).map(str::to_ascii_lowercase)
}

/// Reads a text file the user keeps (a plan, the settings, the keymap). A
/// file that is not UTF-8 is told by the line and column of its first bad
/// byte and what to do, where the standard library says only "stream did
/// not contain valid UTF-8" (the error is `InvalidData`; other errors, as
/// `NotFound`, are the standard library's).
pub fn read_user_text(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    String::from_utf8(bytes).map_err(|error| {
        let good = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let line = good.iter().filter(|byte| **byte == b'\n').count() + 1;
        let line_start = good.iter().rposition(|byte| *byte == b'\n').map_or(0, |newline| newline + 1);
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        let byte = error.as_bytes()[good.len()];
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("line {line}, column {column} is not UTF-8 text (byte 0x{byte:02x}): save the file as UTF-8"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_file_stays() {
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join("plan.toml");
        write_atomically(&path, b"first\n").expect("written");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "first\n");
        write_atomically(&path, b"second\n").expect("rewritten");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "second\n");
        let names: Vec<String> = std::fs::read_dir(folder.path())
            .expect("list")
            .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["plan.toml"], "only the file itself is left");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_readable_by_all_and_an_old_one_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join("plan.toml");
        write_atomically(&path, b"x").expect("written");
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o644);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        write_atomically(&path, b"y").expect("rewritten");
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn a_folder_that_does_not_exist_is_named_and_nothing_is_written() {
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join("missing").join("plan.toml");
        let error = format!("{:#}", write_atomically(&path, b"x").expect_err("no folder"));
        let folder = path.parent().expect("a folder").display();
        assert_eq!(
            error,
            format!(
                "cannot write {}: there is no folder {folder}: create it first, or name a file in another folder; \
                 nothing was written",
                path.display()
            )
        );
        assert!(!error.contains(".quarterdeck-"), "the temporary file's name means nothing to the user: {error}");
        assert!(!path.exists());
    }
}
