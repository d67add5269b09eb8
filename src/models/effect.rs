//! The models stage's typed result for the flags: the effect of support in one unit (a province
//! or a sector) and window of support years. Flags reads the province effects; a sector code is
//! never carried in a province's place.

use super::province::Estimate;

/// Whose effect: a province (GSO code) or a sector (VSIC 2018 division).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    Province(String),
    Sector(String),
}

impl Unit {
    /// The unit's code.
    pub fn code(&self) -> &str {
        match self {
            Unit::Province(c) | Unit::Sector(c) => c,
        }
    }

    /// The province code, when the unit is a province.
    pub fn province(&self) -> Option<&str> {
        match self {
            Unit::Province(c) => Some(c),
            Unit::Sector(_) => None,
        }
    }
}

/// The estimated effect of one unit's support in one window (support years start..=end).
#[derive(Debug, Clone)]
pub struct UnitEffect {
    pub unit: Unit,
    pub start: i32,
    pub end: i32,
    pub est: Estimate,
    /// BH-adjusted p-value across the units of the window (shown beside, not used).
    pub q_value: Option<f64>,
}

impl UnitEffect {
    /// A unit and window without an estimate.
    pub fn none(unit: Unit, start: i32, end: i32) -> UnitEffect {
        UnitEffect {
            unit,
            start,
            end,
            est: Estimate::default(),
            q_value: None,
        }
    }
}
