//! Pure numerics: slices and integer-coded groups in, plain structs out. Nothing here knows
//! polars, files, charts or the command line, so every routine can be checked against reference
//! results (fixest/pyfixest, textbook formulas) in isolation.

pub mod bootstrap;
pub mod concentration;
pub mod demean;
pub mod feols;
pub mod linalg;
pub mod multiple;
pub mod ri;
pub mod rng;

/// Why a statistical routine could not produce a result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    #[error("not enough observations: {0}")]
    TooFewObservations(String),
    #[error("{0}")]
    Invalid(String),
}
