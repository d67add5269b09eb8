//! The stages as the runner sees them: for each [`Stage`], its parameters (part of its
//! fingerprint) and its runner, side by side in [`def`]; which stages it reads is
//! [`Stage::upstream`]. The runners read their inputs from the output folder, call the stage's
//! own module, and write its tables; a pipeline without province spending swaps in the
//! runners of `real.rs`.

use super::config::source_name;
use super::{PROGRAM_VERSION, Runner, StageOutput, remove_unlisted};
use crate::contract::manifest::{
    CheckRecord, Details, FlagsRecord, IngestRecord, PanelRecord, ValidateRecord,
};
use crate::contract::schema::col;
use crate::contract::vocab::Stage;
use crate::error::{Error, Result};
use crate::ingest::Kind;
use crate::io;
use crate::reference::Boundary;
use crate::table;
use polars::prelude::DataFrame;
use serde_json::json;

/// What the runner needs of one stage.
pub(super) struct StageDef {
    /// The stage's parameters as they enter its fingerprint (and the manifest).
    pub params: fn(&Runner) -> serde_json::Value,
    /// Runs the stage.
    pub run: fn(&mut Runner) -> Result<StageOutput>,
}

/// Each stage's parameters and runner.
pub(super) fn def(stage: Stage) -> StageDef {
    match stage {
        Stage::Ingest => StageDef {
            params: |r| json!({ "sources": r.pipeline.file.sources }),
            run: |r| r.ingest(),
        },
        Stage::Validate => StageDef {
            params: |r| json!({ "max_rejected_share": r.pipeline.file.max_rejected_share }),
            run: |r| r.validate(),
        },
        Stage::Panel => StageDef {
            params: |r| {
                let f = &r.pipeline.file;
                json!({ "panel": f.panel, "boundary": f.boundary, "years": f.years,
                        "pilot": f.pilot })
            },
            run: |r| {
                if r.has_funding() {
                    r.panel()
                } else {
                    Ok(r.not_applicable())
                }
            },
        },
        Stage::Indicators => StageDef {
            params: |r| {
                let f = &r.pipeline.file;
                if r.has_funding() {
                    json!({ "indicators": f.indicators, "boundary": f.boundary, "years": f.years })
                } else {
                    json!({ "programme": f.programme, "boundary": f.boundary, "years": f.years })
                }
            },
            run: |r| {
                if r.has_funding() {
                    r.indicators()
                } else {
                    r.real_indicators()
                }
            },
        },
        Stage::Models => StageDef {
            params: |r| {
                let f = &r.pipeline.file;
                json!({ "models": f.models, "pilot": f.pilot,
                    // The province effects use the flags' windows and lag.
                    "flag_windows": f.flags.windows, "lag_years": f.flags.lag_years,
                    "phases": f.indicators.phases, "rolling_years": f.indicators.rolling_years })
            },
            run: |r| {
                if r.has_funding() {
                    r.models()
                } else {
                    Ok(r.not_applicable())
                }
            },
        },
        Stage::Flags => StageDef {
            params: |r| json!({ "flags": r.pipeline.file.flags }),
            run: |r| {
                if r.has_funding() {
                    r.flags()
                } else {
                    Ok(r.not_applicable())
                }
            },
        },
        Stage::Report => StageDef {
            params: |r| {
                let f = &r.pipeline.file;
                json!({ "lang": r.lang, "synthetic": f.synthetic, "name": f.name,
                    "small_grant_mvnd": f.indicators.small_grant_mvnd, "pilot": f.pilot })
            },
            run: |r| {
                if r.has_funding() {
                    r.report()
                } else {
                    r.real_report()
                }
            },
        },
    }
}

impl Runner<'_> {
    fn ingest(&mut self) -> Result<StageOutput> {
        let mut out = StageOutput::default();
        let mut details = Vec::new();
        for spec in &self.pipeline.file.sources {
            let name = source_name(spec);
            let sha256 = io::file_hash(&spec.path)?;
            let spec_json = serde_json::to_value(spec).unwrap_or_default();
            if let Some(mut previous) = self.reusable_ingest(&name, &sha256, &spec_json) {
                previous.kept = true;
                tracing::info!(source = %spec.path.display(), "unchanged: kept");
                out.rows_in += previous.rows_in as u64;
                out.rows_out += previous.rows as u64;
                out.rejected += previous.rejected as u64;
                for f in ["", ".rejected"] {
                    out.outputs
                        .push(self.path(&format!("staging/{name}{f}.parquet")));
                }
                details.push(previous);
                continue;
            }
            tracing::info!(source = %spec.path.display(), "ingesting");
            let mut ing = crate::ingest::ingest_file(spec)?;
            out.rows_in += ing.rows_in as u64;
            out.rows_out += ing.table.height() as u64;
            out.rejected += ing.rejected.height() as u64;
            self.write(
                &mut ing.table,
                &format!("staging/{name}.parquet"),
                &mut out.outputs,
            )?;
            self.write(
                &mut ing.rejected,
                &format!("staging/{name}.rejected.parquet"),
                &mut out.outputs,
            )?;
            details.push(IngestRecord {
                sha256,
                spec: spec_json,
                program_version: PROGRAM_VERSION.into(),
                kept: false,
                source: name,
                file: spec
                    .path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned()),
                kind: spec.kind,
                rows_in: ing.rows_in,
                rows: ing.table.height(),
                rejected: ing.rejected.height(),
                skipped: ing.skipped,
                boundary: ing.boundary,
                notes: ing.notes,
                headers: ing.headers,
                checks: ing
                    .checks
                    .iter()
                    .map(|c| CheckRecord {
                        line: c.line,
                        column: c.column.clone(),
                        expected: Some(c.expected).filter(|x| x.is_finite()),
                    })
                    .collect(),
            });
        }
        out.details = Details::Ingest(details);
        remove_unlisted(&self.path("staging"), &out.outputs);
        Ok(out)
    }

    /// The previous run's ingest record of a source whose file and settings are unchanged and
    /// whose staging tables are still intact, so a new or changed file in a folder of yearly
    /// files re-reads only that file.
    fn reusable_ingest(
        &self,
        name: &str,
        sha256: &str,
        spec: &serde_json::Value,
    ) -> Option<IngestRecord> {
        if self.force {
            return None;
        }
        let entry = self.manifest.stage(Stage::Ingest).filter(|e| e.is_ok())?;
        let Details::Ingest(records) = &entry.details else {
            return None;
        };
        let detail = records.iter().find(|d| {
            d.source == name
                && d.sha256 == sha256
                && &d.spec == spec
                && d.program_version == PROGRAM_VERSION
        })?;
        let intact = ["", ".rejected"].iter().all(|f| {
            let rel = format!("staging/{name}{f}.parquet");
            entry.outputs.iter().any(|o| {
                o.path == rel && io::file_hash(&self.path(&rel)).is_ok_and(|h| h == o.sha256)
            })
        });
        intact.then(|| detail.clone())
    }

    fn validate(&mut self) -> Result<StageOutput> {
        let records = match self.manifest.stage(Stage::Ingest).map(|e| &e.details) {
            Some(Details::Ingest(records)) => records.clone(),
            _ => Vec::new(),
        };
        let mut out = StageOutput::default();
        let mut funding = Vec::new();
        let mut output = Vec::new();
        let mut details = Vec::new();
        let mut failures = Vec::new();
        for spec in &self.pipeline.file.sources {
            let name = source_name(spec);
            let record = records.iter().find(|r| r.source == name).ok_or_else(|| {
                Error::Other(format!(
                    "source {name}: the manifest has no ingest record of it; rerun with --force"
                ))
            })?;
            let ingested = crate::ingest::Ingested::from_record(
                spec.clone(),
                io::read_parquet(&self.path(&format!("staging/{name}.parquet")))?,
                io::read_parquet(&self.path(&format!("staging/{name}.rejected.parquet")))?,
                record,
            );
            let mut v = crate::validate::validate(ingested)?;
            out.rows_in += v.rows_in as u64;
            out.rejected += v.rejected.height() as u64;
            out.rows_out += v.clean.height() as u64;
            self.write(
                &mut v.rejected,
                &format!("rejected/{name}.parquet"),
                &mut out.outputs,
            )?;
            if let Err(e) = crate::validate::check_rejected_share(
                &v,
                &spec.path,
                self.pipeline.file.max_rejected_share,
            ) {
                failures.push(e);
            }
            details.push(ValidateRecord {
                source: name,
                rows_in: v.rows_in,
                clean: v.clean.height(),
                rejected: v.rejected.height(),
                skipped: v.skipped,
                notes: v.notes.clone(),
            });
            match spec.kind {
                Kind::Funding => funding.push(v.clean),
                Kind::Output => output.push(v.clean),
            }
        }
        if let Some(e) = failures.into_iter().next() {
            return Err(e);
        }
        if output.is_empty() {
            return Err(Error::config(
                &self.pipeline.path,
                "a pipeline needs at least one source of kind \"output\"",
            ));
        }
        remove_unlisted(&self.path("rejected"), &out.outputs);
        // Without funding the run describes the output data only (see `has_funding`).
        for (tables, name) in [(&funding, "funding"), (&output, "output")] {
            if tables.is_empty() {
                continue;
            }
            let mut clean = table::concat_aligned(tables)?;
            self.write(
                &mut clean,
                &format!("clean/{name}.parquet"),
                &mut out.outputs,
            )?;
            let by_year = io::write_parquet_by_year(&clean, &self.path(&format!("clean/{name}")))?;
            out.outputs.extend(by_year);
        }
        out.details = Details::Validate(details);
        Ok(out)
    }

    fn clean(&self) -> Result<(DataFrame, DataFrame)> {
        Ok((
            io::read_parquet(&self.path("clean/funding.parquet"))?,
            io::read_parquet(&self.path("clean/output.parquet"))?,
        ))
    }

    fn boundary(&self, funding: &DataFrame, output: &DataFrame) -> Result<Boundary> {
        match self.pipeline.file.boundary {
            Some(b) => Ok(b),
            None => crate::panel::default_boundary(funding, output),
        }
    }

    fn panel(&mut self) -> Result<StageOutput> {
        let (funding, output) = self.clean()?;
        let boundary = self.boundary(&funding, &output)?;
        let f = &self.pipeline.file;
        let mut panel = crate::panel::build(
            &funding,
            &output,
            boundary,
            &f.panel,
            f.years,
            f.pilot.as_ref(),
        )?;
        let missing = table::bools(&panel, col::MISSING_OUTPUT)?
            .into_iter()
            .filter(|m| *m == Some(true))
            .count();
        let mut out = StageOutput {
            rows_in: (funding.height() + output.height()) as u64,
            rows_out: panel.height() as u64,
            details: Details::Panel(PanelRecord {
                boundary,
                missing_output_cells: missing,
            }),
            ..Default::default()
        };
        self.write(&mut panel, "panel/panel.parquet", &mut out.outputs)?;
        out.outputs
            .extend(io::write_parquet_by_year(&panel, &self.path("panel"))?);
        self.manifest.boundary = Some(boundary.as_str().to_string());
        Ok(out)
    }

    fn indicators(&mut self) -> Result<StageOutput> {
        let (funding, output) = self.clean()?;
        let boundary = self.boundary(&funding, &output)?;
        let years = self.pipeline.file.years;
        let in_years = |y: i32| years.is_none_or(|[a, b]| y >= a && y <= b);
        let grants: Vec<_> = crate::panel::grants_on(&funding, boundary)?
            .into_iter()
            .filter(|g| in_years(g.year))
            .collect();
        let mut outputs = crate::panel::output_on(&output, boundary)?;
        outputs.retain(|(y, _, _), _| in_years(*y));
        let mut ind =
            crate::indicators::compute(&grants, &outputs, &self.pipeline.file.indicators)?;
        let mut out = StageOutput {
            rows_in: grants.len() as u64,
            ..Default::default()
        };
        for (df, name) in [
            (&mut ind.spending_by_year, "spending_by_year"),
            (&mut ind.growth, "growth"),
            (&mut ind.growth_cagr, "growth_cagr"),
            (&mut ind.intensity, "intensity"),
            (&mut ind.achievement, "achievement"),
            (&mut ind.concentration, "concentration"),
            (&mut ind.national, "national"),
            (&mut ind.lorenz, "lorenz"),
        ] {
            out.rows_out += df.height() as u64;
            self.write(df, &format!("indicators/{name}.parquet"), &mut out.outputs)?;
        }
        Ok(out)
    }

    fn models(&mut self) -> Result<StageOutput> {
        let panel = io::read_parquet(&self.path("panel/panel.parquet"))?;
        let f = &self.pipeline.file;
        let flag_windows = crate::flags::evaluation_windows(&panel, &f.indicators, &f.flags)?;
        let outputs = crate::models::stage::run(
            &panel,
            &f.models,
            f.pilot.as_ref(),
            &flag_windows,
            &self.out.join("models"),
        )?;
        // Province effects for the flags: the same windows of support years as the
        // concentration, growth `lag_years` later.
        let mut outputs = outputs;
        let mut effects =
            crate::models::province::province_effects(&panel, &flag_windows, f.flags.lag_years)?;
        let p = self.out.join("models/province_effects.parquet");
        io::write_parquet(&mut effects, &p)?;
        outputs.push(p);
        Ok(StageOutput {
            rows_in: panel.height() as u64,
            rows_out: outputs.len() as u64,
            outputs,
            ..Default::default()
        })
    }

    fn flags(&mut self) -> Result<StageOutput> {
        let conc = io::read_parquet(&self.path("indicators/concentration.parquet"))?;
        let effects = io::read_parquet(&self.path("models/province_effects.parquet"))?;
        let mut df = crate::flags::run(
            &conc,
            &effects,
            &self.pipeline.file.flags,
            self.target_boundary(),
        )?;
        let flagged = table::bools(&df, col::FLAGGED)?
            .into_iter()
            .filter(|f| *f == Some(true))
            .count();
        let mut changes = match self.previous_flags()? {
            Some(previous) => crate::flags::changes::compare(&previous, &df)?,
            None => crate::flags::changes::empty()?,
        };
        let mut out = StageOutput {
            rows_in: effects.height() as u64,
            rows_out: df.height() as u64,
            details: Details::Flags(FlagsRecord {
                flagged_rows: flagged,
                changed_rows: changes.height(),
            }),
            ..Default::default()
        };
        self.write(&mut df, "flags/flags.parquet", &mut out.outputs)?;
        self.write(&mut changes, "flags/changes.parquet", &mut out.outputs)?;
        if self.path("flags/previous.parquet").exists() {
            out.outputs.push(self.path("flags/previous.parquet"));
        }
        Ok(out)
    }

    /// The flags table of the last completed flags stage, kept as `flags/previous.parquet`
    /// before it is replaced. A flags table that no completed stage recorded (a killed run
    /// wrote it) is not taken: the last recorded one stays the comparison.
    fn previous_flags(&self) -> Result<Option<DataFrame>> {
        let current = self.path("flags/flags.parquet");
        let previous = self.path("flags/previous.parquet");
        let recorded = self
            .manifest
            .stage(Stage::Flags)
            .filter(|e| e.is_ok())
            .and_then(|e| e.outputs.iter().find(|o| o.path == "flags/flags.parquet"))
            .map(|o| o.sha256.clone());
        if let Some(hash) = recorded
            && io::file_hash(&current).is_ok_and(|h| h == hash)
        {
            let bytes = fs_err::read(&current)?;
            io::write_atomic(&previous, &bytes)?;
        }
        if previous.exists() {
            io::read_parquet(&previous).map(Some)
        } else {
            Ok(None)
        }
    }

    fn report(&mut self) -> Result<StageOutput> {
        use crate::report::ReportContext;
        let f = &self.pipeline.file;
        let lang = self.lang;
        let ctx = ReportContext {
            pipeline_name: f.name.clone(),
            boundary: self.target_boundary(),
            synthetic: f.synthetic,
            lang,
            sources: f
                .sources
                .iter()
                .filter_map(|s| s.path.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect(),
            pilot_provinces: f
                .pilot
                .as_ref()
                .map(|p| p.provinces.clone())
                .unwrap_or_default(),
            pilot_start: f.pilot.as_ref().map(|p| p.start_year),
            small_grant_mvnd: f.indicators.small_grant_mvnd,
        };
        let summary = crate::report::build_report(&self.out, &ctx)?;
        Ok(StageOutput {
            rows_out: summary.files.len() as u64,
            outputs: summary.files,
            ..Default::default()
        })
    }
}
