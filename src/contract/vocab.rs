//! Every closed vocabulary of the program, once: the stages, what a stage did, the funding
//! table's activities and sources, the flags' statuses, reason codes and change codes, the kinds
//! of evaluation window, the measures of the output table, and the report language. Each is an enum whose `as_str()` is the exact text written
//! to Parquet files and JSON; reading a value outside the list (a pipeline file, a manifest)
//! fails and names the value and the allowed ones.

/// Declares a closed vocabulary: the enum, its serde form (the listed strings; an unknown value
/// is an error naming it and the allowed ones), `ALL`, `NAMES`, `as_str`, `parse` and `Display`.
macro_rules! vocab {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every value, in the documented order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The text of every value, in the documented order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The text written to tables and JSON.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value with this exact text.
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }
    };
}

/// "unknown <what> `value`; expected one of: a, b, c" — the message of a value outside a list.
pub fn unknown(what: &str, value: &str, allowed: &[&str]) -> String {
    format!(
        "unknown {what} `{value}`; expected one of: {}",
        allowed.join(", ")
    )
}

vocab! {
    /// The stages of a pipeline, in the order they run; each reads the outputs of its
    /// [`Stage::upstream`] stages (the runner holds each stage's parameters and runner).
    pub enum Stage {
        Ingest = "ingest",
        Validate = "validate",
        Panel = "panel",
        Indicators = "indicators",
        Models = "models",
        Flags = "flags",
        Report = "report",
    }
}

impl Stage {
    /// The earlier stages whose outputs this stage reads (its inputs, for freshness).
    pub fn upstream(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Ingest => &[],
            Validate => &[Ingest],
            Panel | Indicators => &[Validate],
            Models => &[Panel],
            Flags => &[Indicators, Models],
            Report => &[Validate, Panel, Indicators, Models, Flags],
        }
    }
}

vocab! {
    /// How a stage ended, as the manifest records it.
    pub enum StageStatus {
        Ok = "ok",
        Failed = "failed",
    }
}

vocab! {
    /// What a stage did in one run (`runs.jsonl`).
    pub enum StageRun {
        Ran = "ran",
        Skipped = "skipped",
        Failed = "failed",
        /// Ran and found nothing to do for this kind of data (a run without province spending).
        NotApplicable = "not_applicable",
    }
}

vocab! {
    /// Whether a run now would skip a stage (`status --json`).
    pub enum StageFreshness {
        Fresh = "fresh",
        Stale = "stale",
        Failed = "failed",
        NeverRun = "never_run",
        /// Fresh, with nothing to do for this kind of data.
        NotApplicable = "not_applicable",
    }
}

vocab! {
    /// What a stage's `details.status` says when it is not an ordinary run: nothing to do for
    /// this kind of data, or the indicators of a run on published data.
    pub enum DetailStatus {
        NotApplicable = "not_applicable",
        RealData = "real_data",
    }
}

vocab! {
    /// What an input file holds (`kind` of a pipeline's `[[sources]]`).
    pub enum SourceKind {
        Funding = "funding",
        Output = "output",
    }
}

vocab! {
    /// The activity classes of the canonical funding table (`activity` column).
    pub enum Activity {
        Demonstration = "demonstration",
        Machinery = "machinery",
        Training = "training",
        Management = "management",
        TradePromotion = "trade_promotion",
        Consulting = "consulting",
        Conference = "conference",
        Information = "information",
        Other = "other",
    }
}

vocab! {
    /// Who paid for a grant (`source` column of the funding table).
    pub enum FundingSource {
        National = "national",
        Local = "local",
        Other = "other",
    }
}

vocab! {
    /// The status of a province in a window (`status` column of the flags table).
    pub enum FlagStatus {
        Flagged = "flagged",
        ScatteredEffectUnknown = "scattered_effect_unknown",
        ScatteredEffective = "scattered_effective",
        FocusedLowImpact = "focused_low_impact",
        EffectUnknown = "effect_unknown",
        Ok = "ok",
        InsufficientData = "insufficient_data",
    }
}

vocab! {
    /// The reason codes of a verdict (`reasons` column of the flags table, joined by ";").
    pub enum ReasonCode {
        ManySectors = "MANY_SECTORS",
        SmallGrants = "SMALL_GRANTS",
        ClearEffect = "CLEAR_EFFECT",
        EffectBelowMinimum = "EFFECT_BELOW_MINIMUM",
        IntervalTooWide = "INTERVAL_TOO_WIDE",
        PlaceboFailed = "PLACEBO_FAILED",
        FewSupportedCells = "FEW_SUPPORTED_CELLS",
        NoComparison = "NO_COMPARISON",
        NoEstimate = "NO_ESTIMATE",
    }
}

vocab! {
    /// What changed for a province since the previous run (`change` column of the flags'
    /// changes table, joined by ";").
    pub enum ChangeCode {
        /// A window the previous run did not assess.
        NewWindow = "NEW_WINDOW",
        /// A window the previous run assessed and this one does not.
        WindowGone = "WINDOW_GONE",
        /// The window now ends later (alongside another change).
        WindowExtended = "WINDOW_EXTENDED",
        /// The effect verdict changed.
        Verdict = "VERDICT",
        /// The province was flagged or no longer is.
        Flag = "FLAG",
        /// Support became scattered or no longer is.
        Scattered = "SCATTERED",
    }
}

vocab! {
    /// The measures of the clean output table (its measure columns; `measure = "…"` of a
    /// source; the `measure` column of the real-data index table).
    pub enum Measure {
        /// Industrial output, billion VND.
        OutputBvnd = "output_bvnd",
        /// Industrial production index, previous year = 100.
        Iip = "iip",
        /// Employment, people.
        Employment = "employment",
        /// Employment index of industrial enterprises, same date a year earlier = 100.
        EmploymentIndex = "employment_index",
        /// Establishments.
        Establishments = "establishments",
    }
}

vocab! {
    /// The kinds of evaluation window (`window` column of the concentration table; the
    /// `[flags] windows` key).
    pub enum WindowKind {
        /// A single year.
        Year = "year",
        /// A rolling window of `[indicators] rolling_years` years.
        Rolling3 = "rolling3",
        /// A programme phase the data cover for at least three years.
        Phase = "phase",
        /// The whole span of the data.
        All = "all",
    }
}

vocab! {
    /// The report's language.
    #[derive(clap::ValueEnum)]
    pub enum Lang {
        Vi = "vi",
        En = "en",
    }
}

impl Lang {
    /// The language code, as `as_str`.
    pub fn code(self) -> &'static str {
        self.as_str()
    }
}

impl std::str::FromStr for Lang {
    type Err = crate::error::Error;
    fn from_str(s: &str) -> crate::error::Result<Self> {
        let folded = s.trim().to_ascii_lowercase();
        Lang::parse(&folded).ok_or_else(|| {
            crate::error::Error::Usage(format!(
                "unknown report language \"{folded}\": use vi or en"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_matches_serde() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(*s));
            let json = serde_json::to_string(s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(Activity::TradePromotion.as_str(), "trade_promotion");
        assert_eq!(
            ReasonCode::EffectBelowMinimum.as_str(),
            "EFFECT_BELOW_MINIMUM"
        );
        assert_eq!(WindowKind::Rolling3.as_str(), "rolling3");
        assert_eq!(Activity::NAMES.len(), 9);
        assert_eq!(
            ChangeCode::parse("WINDOW_EXTENDED"),
            Some(ChangeCode::WindowExtended)
        );
        assert_eq!(ChangeCode::NewWindow.as_str(), "NEW_WINDOW");
        assert_eq!(
            Measure::NAMES,
            [
                "output_bvnd",
                "iip",
                "employment",
                "employment_index",
                "establishments"
            ]
        );
    }

    #[test]
    fn an_unknown_value_names_it_and_the_allowed_ones() {
        let e = serde_json::from_str::<WindowKind>("\"phases\"").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("phases"), "{text}");
        for k in WindowKind::NAMES {
            assert!(text.contains(k), "{text}");
        }
    }

    #[test]
    fn lang_reads_case_and_space_insensitively() {
        assert_eq!(" EN ".parse::<Lang>().unwrap(), Lang::En);
        assert!("fr".parse::<Lang>().is_err());
    }
}
