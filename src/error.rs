//! The library's error type and how each kind maps to the process exit code.
//!
//! Every variant carries what a person needs to act: the file, the row or key, and the value.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file operation failed; the message (from `fs-err`) names the operation and the file.
    #[error(transparent)]
    File(#[from] std::io::Error),
    /// The pipeline file or a command-line value is wrong (exit code 2).
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    /// A command-line argument is wrong (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// An input file cannot be read at all, or too many of its rows were rejected (exit code 3).
    #[error("{path}{}: {message}", row.map(|r| format!(", row {r}")).unwrap_or_default())]
    Data {
        path: PathBuf,
        row: Option<usize>,
        message: String,
    },
    /// Another run holds the output folder's lock (exit code 4).
    #[error(
        "another run holds the lock {path}; try again when it ends (the lock is released when that run ends, however it ends), or pass --wait SECONDS"
    )]
    Locked { path: PathBuf },
    /// A table operation failed.
    #[error("{context}")]
    Polars {
        context: String,
        #[source]
        source: polars::error::PolarsError,
    },
    /// A statistical computation could not be done with the data given: too few observations,
    /// collinear regressors (exit code 3).
    #[error(transparent)]
    Stats(#[from] crate::stats::StatsError),
    /// The data cannot support what was asked — an empty panel, no rows left after a filter
    /// (exit code 3).
    #[error("{0}")]
    Insufficient(String),
    /// A model formula or specification is wrong (exit code 2).
    #[error("{0}")]
    Model(String),
    /// Anything else (exit code 1).
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// The exit code the README assigns to this kind of error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config { .. } | Error::Usage(_) | Error::Model(_) => 2,
            Error::Data { .. } | Error::Stats(_) | Error::Insufficient(_) => 3,
            Error::Locked { .. } => 4,
            Error::Io { .. } | Error::File(_) | Error::Polars { .. } | Error::Other(_) => 1,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn data(path: impl Into<PathBuf>, row: Option<usize>, message: impl Into<String>) -> Self {
        Error::Data {
            path: path.into(),
            row,
            message: message.into(),
        }
    }

    pub fn config(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Config {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Attaches a human context line to polars errors.
pub trait PolarsContext<T> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> PolarsContext<T> for std::result::Result<T, polars::error::PolarsError> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| Error::Polars {
            context: context(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_error_is_one_line_naming_the_file_once() {
        let e: super::Error = fs_err::read("no/such/file.csv").unwrap_err().into();
        let text = crate::commands::render_error(&e);
        assert_eq!(e.exit_code(), 1);
        assert!(
            text.starts_with("error: failed to open file `no/such/file.csv`: "),
            "{text}"
        );
        assert_eq!(text.lines().count(), 1, "{text}");
    }

    #[test]
    fn data_problems_exit_3() {
        let stats: super::Error =
            crate::stats::StatsError::TooFewObservations("2 observations for 2 parameters".into())
                .into();
        assert_eq!(stats.exit_code(), 3);
        assert_eq!(
            super::Error::Insufficient("empty panel".into()).exit_code(),
            3
        );
        assert_eq!(super::Error::data("a.csv", Some(4), "bad").exit_code(), 3);
        assert_eq!(super::Error::Other("bug".into()).exit_code(), 1);
    }
}
