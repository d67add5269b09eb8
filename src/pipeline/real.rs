//! The stages of a run without province spending (real published data): the indicators stage
//! writes the provincial index tables and the programme's published record, the report stage
//! writes the real-data report. The stage graph, freshness and manifest stay in `mod.rs`.

use super::{Runner, StageOutput};
use crate::contract::schema::col;
use crate::error::{Error, Result};
use crate::io;
use crate::reference::Boundary;

impl Runner<'_> {
    /// The map of a run without funding: the pipeline's, or the one in force in the newest
    /// year of the output data.
    fn real_boundary(&self, output: &polars::prelude::DataFrame) -> Result<Boundary> {
        match self.pipeline.file.boundary {
            Some(b) => Ok(b),
            None => Ok(crate::table::i32s(output, col::YEAR)?
                .into_iter()
                .flatten()
                .max()
                .map(Boundary::in_force)
                .unwrap_or(Boundary::B2008)),
        }
    }

    pub(super) fn real_indicators(&mut self) -> Result<StageOutput> {
        let mut output = io::read_parquet(&self.path("clean/output.parquet"))?;
        if let Some([a, b]) = self.pipeline.file.years {
            let years = crate::table::i32s(&output, col::YEAR)?;
            let keep: polars::prelude::BooleanChunked = years
                .iter()
                .map(|y| Some(y.is_some_and(|y| y >= a && y <= b)))
                .collect();
            output = output.filter(&keep).map_err(|e| Error::Polars {
                context: "cannot select the years of the pipeline".into(),
                source: e,
            })?;
        }
        let boundary = self.real_boundary(&output)?;
        let ind = crate::realdata::compute(&output, self.pipeline.file.programme.as_ref())?;
        let mut out = StageOutput {
            rows_in: (output.height() + ind.programme_rows_in) as u64,
            rejected: ind.programme_rejected as u64,
            details: crate::contract::manifest::Details::RealIndicators(
                crate::contract::manifest::RealIndicatorsRecord {
                    status: crate::contract::vocab::DetailStatus::RealData,
                    spending: crate::realdata::NO_SPENDING_REASON.into(),
                    notes: ind.notes,
                },
            ),
            ..Default::default()
        };
        for (name, mut df) in ind.tables {
            out.rows_out += df.height() as u64;
            self.write(
                &mut df,
                &format!("indicators/{name}.parquet"),
                &mut out.outputs,
            )?;
        }
        self.manifest.boundary = Some(boundary.as_str().to_string());
        Ok(out)
    }

    pub(super) fn real_report(&mut self) -> Result<StageOutput> {
        let f = &self.pipeline.file;
        let lang = self.lang;
        let ctx = crate::report::real::RealContext {
            pipeline_name: f.name.clone(),
            lang,
            sources: f
                .sources
                .iter()
                .filter_map(|s| s.path.file_name().map(|n| n.to_string_lossy().into_owned()))
                .chain(
                    f.programme
                        .iter()
                        .flat_map(|p| p.paths())
                        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())),
                )
                .collect(),
            manifest: self.manifest.clone(),
        };
        let files = crate::report::real::build_report(&self.out, &ctx)?;
        Ok(StageOutput {
            rows_out: files.len() as u64,
            outputs: files,
            ..Default::default()
        })
    }
}
