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
pub mod twoway;
pub mod wald;

/// The one default seed of every resampling routine (wild bootstrap, randomization inference),
/// used alike by the `model` command, the pipeline and the library, so the same model gives the
/// same p-values wherever it is fitted.
pub const DEFAULT_SEED: u64 = 20_201_120;

/// Why a statistical routine could not produce a result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    #[error("not enough observations: {0}")]
    TooFewObservations(String),
    #[error("{0}")]
    Invalid(String),
}
