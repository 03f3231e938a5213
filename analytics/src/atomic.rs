//! Files that appear whole or not at all.
//!
//! Every file the crate writes (cache entries, tables, charts, pages) is written under a
//! temporary name beside its final one and then renamed over it, so a reader, or a re-run after
//! Ctrl-C, sees the old file or the new one, never part of one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file operation that failed, and the file it was for.
#[derive(Debug)]
pub(crate) struct FileError {
    pub(crate) path: PathBuf,
    pub(crate) source: io::Error,
}

/// How far a file must have got before it takes its final name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Durability {
    /// Synced to disk: survives a power cut. For the outputs an analyst keeps.
    Disk,
    /// Handed to the operating system: survives the program stopping, not a power cut. For the
    /// block cache, which writes a file per block and fetches again any file it cannot read.
    Os,
}

/// The error of an operation on `path`.
pub(crate) fn at(path: &Path) -> impl FnOnce(io::Error) -> FileError + '_ {
    move |source| FileError {
        path: path.to_path_buf(),
        source,
    }
}

/// The temporary name for `path`: hidden, unique to this process, in the same folder (a rename
/// within a file system is atomic) and with the same extension (the PNG encoder picks the image
/// format from it).
pub(crate) fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let extension = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}{extension}", std::process::id()))
}

/// Gives the finished file `tmp` (from [`temp_path`]) the name `path`; on failure `tmp` is
/// removed.
pub(crate) fn commit(tmp: &Path, path: &Path, durability: Durability) -> Result<(), FileError> {
    let synced = match durability {
        // Write access: some systems refuse to sync a file opened read-only.
        Durability::Disk => OpenOptions::new()
            .write(true)
            .open(tmp)
            .and_then(|f| f.sync_all()),
        Durability::Os => Ok(()),
    };
    let result = synced
        .map_err(at(path))
        .and_then(|()| fs::rename(tmp, path).map_err(at(path)));
    if result.is_err() {
        let _ = fs::remove_file(tmp);
    }
    result
}

/// Writes `path` atomically with what `fill` writes.
pub(crate) fn write_with<E: From<FileError>>(
    path: &Path,
    durability: Durability,
    fill: impl FnOnce(&mut BufWriter<File>) -> Result<(), E>,
) -> Result<(), E> {
    write_through(path, durability, |tmp| {
        let mut w = BufWriter::new(File::create(tmp).map_err(at(path))?);
        fill(&mut w)?;
        Ok(w.flush().map_err(at(path))?)
    })
}

/// Writes `path` atomically through `produce`, which writes whatever it makes to the temporary
/// path it is given (for encoders that take a path, such as the PNG backend).
pub(crate) fn write_through<E: From<FileError>>(
    path: &Path,
    durability: Durability,
    produce: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), E> {
    let tmp = temp_path(path);
    match produce(&tmp) {
        Ok(()) => Ok(commit(&tmp, path, durability)?),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Writes `bytes` to `path` atomically.
pub(crate) fn write(path: &Path, durability: Durability, bytes: &[u8]) -> Result<(), FileError> {
    write_with(path, durability, |w| w.write_all(bytes).map_err(at(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chart.png");
        assert_eq!(
            temp_path(&path).extension().and_then(|e| e.to_str()),
            Some("png")
        );
        write(&path, Durability::Disk, b"old").unwrap();
        write(&path, Durability::Os, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");

        // A failed fill leaves the old file and no temporary.
        let failed: Result<(), FileError> = write_with(&path, Durability::Disk, |w| {
            w.write_all(b"half").map_err(at(&path))?;
            Err(at(&path)(io::Error::other("disk full")))
        });
        assert_eq!(failed.unwrap_err().source.to_string(), "disk full");
        assert_eq!(fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["chart.png"]);

        // A producer that wrote part of its file and failed: the same.
        let failed: Result<(), FileError> = write_through(&path, Durability::Disk, |tmp| {
            fs::write(tmp, b"half").map_err(at(tmp))?;
            Err(at(tmp)(io::Error::other("encoder failed")))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);

        // A folder that does not exist: an error naming the file, not a panic.
        let missing = dir.path().join("no/such/summary.json");
        let e = write(&missing, Durability::Disk, b"x").unwrap_err();
        assert_eq!(e.path, missing);
    }
}
