//! File output that is whole or absent: every write goes to a temporary file in the target's
//! folder and is renamed into place, so a killed run never leaves a half-written table.

use crate::error::{Error, PolarsContext, Result};
use polars::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `path` atomically with whatever `write` puts into the file.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<()>,
) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let tmp = temp_path(path);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        write(&mut file)?;
        file.flush().map_err(|e| Error::io(&tmp, e))?;
        file.sync_all().map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes bytes atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes).map_err(|e| Error::io(path, e)))
}

/// Writes a table as Parquet (zstd) atomically.
pub fn write_parquet(df: &mut DataFrame, path: &Path) -> Result<()> {
    write_atomic_with(path, |f| {
        ParquetWriter::new(f)
            .with_compression(ParquetCompression::Zstd(None))
            .finish(df)
            .map(|_| ())
            .ctx(|| format!("cannot write {}", path.display()))
    })
}

/// Writes a table as CSV (comma, header, UTF-8) atomically.
pub fn write_csv(df: &mut DataFrame, path: &Path) -> Result<()> {
    write_atomic_with(path, |f| {
        CsvWriter::new(f)
            .include_header(true)
            .finish(df)
            .ctx(|| format!("cannot write {}", path.display()))
    })
}

/// Reads a whole Parquet file.
pub fn read_parquet(path: &Path) -> Result<DataFrame> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    ParquetReader::new(file)
        .finish()
        .ctx(|| format!("cannot read {} as Parquet", path.display()))
}

/// Content hash (SHA-256, hex) of a file, for manifests and freshness checks.
pub fn file_hash(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

/// Content hash of bytes already in memory.
pub fn bytes_hash(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
