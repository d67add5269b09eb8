//! The `model` command: what it was asked (`ModelCommand`), reading the data once, fitting each
//! formula, randomization inference on request, and the text it prints (a side-by-side table,
//! one JSON object, or a JSON array for several formulas).

use super::*;
use crate::error::{Error, Result};

/// Randomization inference asked for on the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct RiSpec {
    pub term: String,
    pub strata: Option<String>,
    pub permutations: usize,
    pub seed: u64,
}

/// What `khuyencong model` was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelCommand {
    pub data: std::path::PathBuf,
    /// One or more formulas, fitted on the same data with the same options.
    pub formulas: Vec<String>,
    pub vcov: String,
    pub fixef_rm: String,
    pub format: String,
    pub weights: Option<String>,
    /// `UNIT,TIME` for lags and leads.
    pub panel_id: Option<String>,
    /// `--ssc` text (None: fixest's defaults).
    pub ssc: Option<String>,
    pub bootstrap: Option<BootstrapSpec>,
    /// `--ri TERM`: treatment paths permuted among the clusters of `--vcov` (or the units of
    /// `--panel-id`), over the periods of `--panel-id` when given.
    pub ri: Option<RiSpec>,
}

/// Parses `--panel-id UNIT,TIME`.
pub fn parse_panel_id(text: &str) -> Result<(String, String)> {
    match text.split(',').map(str::trim).collect::<Vec<_>>()[..] {
        [u, t] if !u.is_empty() && !t.is_empty() => Ok((u.to_string(), t.to_string())),
        _ => Err(Error::Usage(format!(
            "--panel-id {text}: expected the unit and time columns as UNIT,TIME"
        ))),
    }
}

/// Every column the command uses: those of its formulas, the cluster, weight and panel
/// columns, and randomization inference's strata. Only these are read from a Parquet file.
fn needed_columns(cmd: &ModelCommand, vcov: &VcovSpec) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for f in &cmd.formulas {
        out.extend(formula::parse(f)?.columns());
    }
    if let VcovSpec::Cluster(c) = vcov {
        out.extend(c.iter().cloned());
    }
    out.extend(cmd.weights.iter().cloned());
    out.extend(cmd.bootstrap.iter().filter_map(|b| b.cluster.clone()));
    if let Some(p) = &cmd.panel_id {
        let (u, t) = parse_panel_id(p)?;
        out.extend([u, t]);
    }
    if let Some(ri) = &cmd.ri {
        out.extend(ri.strata.iter().cloned());
    }
    Ok(out)
}

/// `khuyencong model`: reads the data, fits each formula, and returns the text to print: one
/// side-by-side table, or JSON (an object for one formula, an array for several).
pub fn run_model_command(cmd: &ModelCommand) -> Result<String> {
    let vcov = VcovSpec::parse(&cmd.vcov)?;
    let drop_singletons = match cmd.fixef_rm.as_str() {
        "singleton" | "singletons" => true,
        "none" => false,
        other => {
            return Err(Error::Usage(format!(
                "--fixef-rm {other}: expected singleton or none"
            )));
        }
    };
    let format = cmd.format.as_str();
    if !matches!(format, "table" | "json") {
        return Err(Error::Usage(format!(
            "--format {format}: expected table or json"
        )));
    }
    if cmd.formulas.is_empty() {
        return Err(Error::Usage("give at least one --formula".into()));
    }
    // Parse before reading so a typo is reported without waiting for a large file.
    for f in &cmd.formulas {
        formula::parse(f)?;
    }
    let clock = std::time::Instant::now();
    let needed = needed_columns(cmd, &vcov)?;
    let df = data::read_table_columns(&cmd.data, Some(&needed))?;
    tracing::debug!(
        rows = df.height(),
        secs = clock.elapsed().as_secs_f64(),
        "model: read data"
    );
    if let Some(w) = &cmd.weights
        && df.column(w).is_ok()
    {
        let v = data::numeric(&df, w)?;
        if let Some(i) = v.iter().position(|x| *x < 0.0) {
            return Err(Error::data(
                &cmd.data,
                None,
                format!(
                    "data row {} (after the header): weight column {w} holds {}, a negative \
                     weight; fix the weights or choose another column (zero weights are left \
                     out, as fixest does)",
                    i + 1,
                    v[i]
                ),
            ));
        }
    }
    let opts = ModelOptions {
        vcov,
        drop_singletons,
        tol: feols::DEFAULT_TOL,
        max_iter: feols::DEFAULT_MAX_ITER,
        bootstrap: cmd.bootstrap.clone(),
        weights: cmd.weights.clone(),
        panel_id: cmd.panel_id.as_deref().map(parse_panel_id).transpose()?,
        ssc: cmd
            .ssc
            .as_deref()
            .map(parse_ssc)
            .transpose()?
            .unwrap_or_default(),
    };
    let mut results = Vec::with_capacity(cmd.formulas.len());
    if cmd.formulas.len() == 1 && !has_sunab(&formula::parse(&cmd.formulas[0])?) {
        let md = model_data(&df, &cmd.formulas[0], &opts)?;
        // The model holds its own columns now; the table's memory can go before the numerics
        // (randomization inference reads it again afterwards).
        drop(df);
        tracing::debug!(
            secs = clock.elapsed().as_secs_f64(),
            "model: columns extracted"
        );
        results.push(fit_model_data(&md, &opts)?);
    } else {
        for f in &cmd.formulas {
            results.push(fit_formula(&df, f, &opts)?);
        }
    }
    if let Some(ri) = &cmd.ri {
        if cmd.formulas.len() != 1 {
            return Err(Error::Usage("--ri works on one --formula at a time".into()));
        }
        let unit = match (&opts.vcov, &opts.panel_id) {
            (VcovSpec::Cluster(c), _) => c[0].clone(),
            (_, Some((u, _))) => u.clone(),
            _ => {
                return Err(Error::Usage(
                    "--ri permutes treatment among clusters: give --vcov cluster:VAR or \
                     --panel-id UNIT,TIME"
                        .into(),
                ));
            }
        };
        let df = data::read_table_columns(&cmd.data, Some(&needed))?;
        let time = opts.panel_id.as_ref().map(|(_, t)| t.as_str());
        results[0].ri = Some(randomization_inference_within(
            &df,
            &cmd.formulas[0],
            &opts,
            &ri.term,
            &unit,
            time,
            ri.strata.as_deref(),
            &crate::stats::ri::RiOptions {
                permutations: ri.permutations,
                seed: ri.seed,
            },
        )?);
    }
    tracing::debug!(secs = clock.elapsed().as_secs_f64(), "model: fitted");
    for r in &results {
        if !r.converged {
            tracing::warn!(
                formula = r.formula.as_str(),
                iterations = r.iterations,
                "the fixed-effect demeaning did not converge; the estimates are inexact \
                 (JSON: converged = false)"
            );
        }
    }
    Ok(match format {
        "json" if results.len() == 1 => results[0].to_json(),
        "json" => serde_json::to_string_pretty(&results)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")),
        _ => format_table(&results),
    })
}
