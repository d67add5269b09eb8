//! Pipeline files (`pipelines/*.toml`): a name and sources are enough; every other key has a
//! default, and an unknown key is an error that names it.

use crate::contract::vocab::Lang;
use crate::error::{Error, Result};
use crate::flags::FlagParams;
use crate::indicators::IndicatorParams;
use crate::ingest::SourceSpec;
use crate::panel::{PanelParams, PilotParams};
use crate::reference::Boundary;
use std::path::{Path, PathBuf};

pub use crate::models::{ModelSpec, ModelsParams};

fn default_max_rejected() -> f64 {
    crate::validate::DEFAULT_MAX_REJECTED_SHARE
}

/// A pipeline file as written.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineFile {
    /// Name of the pipeline; outputs go to `out/<name>/` by default.
    pub name: String,
    /// Input files.
    pub sources: Vec<SourceSpec>,
    /// Label every output as synthetic data (the bundled sample).
    #[serde(default)]
    pub synthetic: bool,
    /// Province map of every table: "2008" (63 provinces) or "2025" (34 units). Default: the
    /// map in force in the newest year of the data.
    #[serde(default)]
    pub boundary: Option<Boundary>,
    /// First and last year analysed.
    #[serde(default)]
    pub years: Option<[i32; 2]>,
    /// Report language, "vi" or "en".
    #[serde(default)]
    pub lang: Option<Lang>,
    /// Share of an input file's rows that may be rejected before the run fails (exit code 3).
    #[serde(default = "default_max_rejected")]
    pub max_rejected_share: f64,
    #[serde(default)]
    pub panel: PanelParams,
    #[serde(default)]
    pub indicators: IndicatorParams,
    #[serde(default)]
    pub models: ModelsParams,
    #[serde(default)]
    pub flags: FlagParams,
    /// The pilot group for the event study.
    #[serde(default)]
    pub pilot: Option<PilotParams>,
    /// The programme's published record (budget, targets and results, province spending
    /// facts), read by a run without province spending data.
    #[serde(default)]
    pub programme: Option<crate::realdata::ProgrammeFiles>,
    /// Runs kept in the output folder's `runs.jsonl` (the oldest are dropped past this).
    #[serde(default = "default_keep_runs")]
    pub keep_runs: usize,
}

fn default_keep_runs() -> usize {
    super::runs::DEFAULT_KEEP
}

/// A loaded pipeline: the file, where it is, and its sources with resolved paths.
#[derive(Debug, Clone)]
pub struct Pipeline {
    pub path: PathBuf,
    pub file: PipelineFile,
}

impl Pipeline {
    /// Reads and checks a pipeline file. Relative source paths resolve against the file's
    /// folder, so a scheduled job can run from anywhere.
    pub fn load(path: &Path) -> Result<Pipeline> {
        let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::config(
                path,
                "pipeline file not found; pass the path of a pipelines/*.toml file",
            ),
            _ => Error::io(path, e),
        })?;
        let mut file: PipelineFile = toml::from_str(&text).map_err(|e| {
            Error::config(
                path,
                e.to_string().trim().replace('\n', " ").replace("  ", " "),
            )
        })?;
        for s in &file.sources {
            crate::ingest::keys::check_source_keys(path, s)?;
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        for s in &mut file.sources {
            if s.path.is_relative() {
                s.path = dir.join(&s.path);
            }
        }
        file.sources = expand_sources(path, std::mem::take(&mut file.sources))?;
        if let Some(p) = &mut file.programme {
            p.resolve(dir);
            if file
                .sources
                .iter()
                .any(|s| s.kind == crate::ingest::Kind::Funding)
            {
                return Err(Error::config(
                    path,
                    "[programme] is read only by a pipeline without sources of kind \"funding\" \
                     (a run on published data); remove [programme] or the funding sources",
                ));
            }
        }
        if file.sources.is_empty() {
            return Err(Error::config(
                path,
                "no [[sources]]: name at least one input file",
            ));
        }
        if !(0.0..=1.0).contains(&file.max_rejected_share) {
            return Err(Error::config(
                path,
                format!(
                    "max_rejected_share = {} must lie between 0 and 1",
                    file.max_rejected_share
                ),
            ));
        }
        if file.name.trim().is_empty() || file.name.contains(['/', '\\']) {
            return Err(Error::config(
                path,
                format!("name = \"{}\" must be a plain folder name", file.name),
            ));
        }
        if let Some(p) = &file.pilot {
            p.check().map_err(|m| Error::config(path, m))?;
        }
        let mut names = std::collections::BTreeSet::new();
        for s in &file.sources {
            let n = source_name(s);
            if !names.insert(n.clone()) {
                return Err(Error::config(
                    path,
                    format!("two sources are both named \"{n}\"; give one a distinct `name`"),
                ));
            }
        }
        Ok(Pipeline {
            path: path.to_path_buf(),
            file,
        })
    }
}

/// Replaces every source whose path is a pattern by one source per matching file (sorted), each
/// named after its file (`name-stem` when the source has a `name`); its other keys apply to
/// every match. A pattern that matches nothing is an error naming it.
fn expand_sources(pipeline: &Path, sources: Vec<SourceSpec>) -> Result<Vec<SourceSpec>> {
    let mut out = Vec::with_capacity(sources.len());
    for s in sources {
        if !super::glob::is_pattern(&s.path) {
            out.push(s);
            continue;
        }
        let files = super::glob::expand(&s.path).map_err(|e| Error::config(pipeline, e))?;
        if files.is_empty() {
            return Err(Error::data(
                &s.path,
                None,
                "no file matches this source pattern; check the folder, or remove the source \
                 from the pipeline file",
            ));
        }
        for f in files {
            let stem = f
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "source".into());
            let mut one = s.clone();
            one.name = Some(match &s.name {
                Some(n) => format!("{n}-{stem}"),
                None => stem,
            });
            one.path = f;
            out.push(one);
        }
    }
    Ok(out)
}

/// The name a source's rejected rows are filed under.
pub fn source_name(s: &SourceSpec) -> String {
    s.name.clone().unwrap_or_else(|| {
        s.path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "source".into())
    })
}
