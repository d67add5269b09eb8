//! Settings of the models stage (the `[models]` table of a pipeline file): the models fitted
//! on the panel, and the bootstrap and randomization-inference draws.

/// One model the pipeline fits on the panel.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// File name under `models/` (without extension).
    pub name: String,
    /// fixest-style formula over panel columns.
    pub formula: String,
    /// iid | hetero | cluster:VAR | cluster:VAR1+VAR2
    #[serde(default = "default_vcov")]
    pub vcov: String,
    /// Term whose wild cluster bootstrap p-value and interval are reported beside the
    /// clustered ones (needs a cluster vcov).
    #[serde(default)]
    pub bootstrap: Option<String>,
}

fn default_vcov() -> String {
    "cluster:province_code".into()
}

/// Settings of the models stage.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelsParams {
    /// Models fitted on the panel; the first is the headline model of the report.
    #[serde(default = "default_specs")]
    pub specs: Vec<ModelSpec>,
    /// Draws of the wild cluster bootstrap.
    #[serde(default = "default_draws")]
    pub bootstrap_draws: usize,
    /// Seed of the bootstrap, so reruns give the same p-values.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Permutations of randomization inference for the pilot (treatment paths reshuffled
    /// among provinces).
    #[serde(default = "default_ri_permutations")]
    pub ri_permutations: usize,
    /// Years before and after the pilot start shown in the event study (the ends are binned).
    #[serde(default = "default_event_window")]
    pub event_window: [i32; 2],
}

fn default_specs() -> Vec<ModelSpec> {
    vec![ModelSpec {
        name: "main".into(),
        formula: "dlog_output ~ log_spend_lag1 | province_code^sector_code + sector_code^year"
            .into(),
        vcov: default_vcov(),
        bootstrap: Some("log_spend_lag1".into()),
    }]
}
fn default_draws() -> usize {
    9_999
}
fn default_seed() -> u64 {
    crate::stats::DEFAULT_SEED
}
fn default_ri_permutations() -> usize {
    999
}
fn default_event_window() -> [i32; 2] {
    [-5, 5]
}

impl Default for ModelsParams {
    fn default() -> Self {
        ModelsParams {
            specs: default_specs(),
            bootstrap_draws: default_draws(),
            seed: default_seed(),
            ri_permutations: default_ri_permutations(),
            event_window: default_event_window(),
        }
    }
}
