//! Source paths that name many files (`path = "gso/*.xlsx"`): which paths are patterns, and the
//! files a pattern matches, sorted. `*` matches any run of characters within one path component
//! and `?` one character; `**` (any depth) is not supported. Hidden files and the lock files
//! office programs leave beside an open workbook (`~$…`) never match.

use std::path::{Component, Path, PathBuf};

/// Whether a path holds a wildcard.
pub fn is_pattern(path: &Path) -> bool {
    path.to_string_lossy().contains(['*', '?'])
}

/// Whether `name` matches the one-component `pattern`.
pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative wildcard matching with backtracking to the last `*`.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

/// The files a pattern matches, sorted by path. A `**` component is an error.
pub fn expand(pattern: &Path) -> Result<Vec<PathBuf>, String> {
    let mut current = vec![PathBuf::new()];
    let components: Vec<Component> = pattern.components().collect();
    for (k, c) in components.iter().enumerate() {
        let last = k + 1 == components.len();
        let text = c.as_os_str().to_string_lossy();
        if text == "**" {
            return Err(format!(
                "{}: `**` is not supported; name each folder level with `*`",
                pattern.display()
            ));
        }
        if !text.contains(['*', '?']) {
            for p in &mut current {
                p.push(c.as_os_str());
            }
            continue;
        }
        let mut next = Vec::new();
        for dir in &current {
            let listing = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir.as_path()
            };
            let Ok(entries) = std::fs::read_dir(listing) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || name.starts_with("~$") || !matches(&text, &name) {
                    continue;
                }
                let is_dir = e.path().is_dir();
                if last != is_dir {
                    next.push(dir.join(&name));
                }
            }
        }
        current = next;
    }
    current.retain(|p| p.is_file());
    current.sort();
    current.dedup();
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_as_in_a_shell() {
        assert!(matches("*.xlsx", "2024.xlsx"));
        assert!(!matches("*.xlsx", "2024.xlsx.bak"));
        assert!(matches("funding_20??.csv", "funding_2024.csv"));
        assert!(!matches("funding_20??.csv", "funding_202.csv"));
        assert!(matches("*", "anything"));
        assert!(matches("a*b*c", "aXXbYYc"));
        assert!(!matches("a*b*c", "aXXbYY"));
        assert!(matches("Biểu-*.xlsx", "Biểu-T12.xlsx"));
    }

    #[test]
    fn expand_lists_matching_files_sorted_and_skips_lock_files() {
        let dir = std::env::temp_dir().join(format!("khuyencong-glob-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("y/2021")).unwrap();
        for f in [
            "b.csv",
            "a.csv",
            "~$a.csv",
            ".hidden.csv",
            "c.txt",
            "y/2021/d.csv",
        ] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        let got = expand(&dir.join("*.csv")).unwrap();
        assert_eq!(got, vec![dir.join("a.csv"), dir.join("b.csv")]);
        let nested = expand(&dir.join("y/*/*.csv")).unwrap();
        assert_eq!(nested, vec![dir.join("y/2021/d.csv")]);
        assert!(expand(&dir.join("*.parquet")).unwrap().is_empty());
        assert!(expand(&dir.join("**/*.csv")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
