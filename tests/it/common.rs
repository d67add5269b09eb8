//! Helpers every integration-test module uses: the repository root, a fresh temporary folder,
//! and the built binary.

use std::path::PathBuf;
use std::process::Command;

/// The repository's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh folder under the system temp dir, named after the module and `tag` (left behind for
/// inspection on failure).
pub fn temp(module: &str, tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "khuyencong-{module}-{tag}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `khuyencong` binary of this build.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_khuyencong"))
}
