//! Khuyến công money by activity group, as provinces and the ministry published it
//! (`kc_spending_by_activity_facts.csv`): one published group total a row, with its source.
//! Groups are kept in the publisher's words; rows of a ministry grouping of provinces have no
//! province code.

use super::programme::{Confidence, Fund, Rejected, amount, cell, read_rows};
use crate::contract::schema::col;
use crate::error::Result;
use crate::table::TableBuilder;
use polars::prelude::DataFrame;
use std::path::Path;

/// One published activity-group figure.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFact {
    pub record_id: String,
    /// Empty for a ministry grouping of several provinces.
    pub province_code: String,
    pub area: String,
    pub period: String,
    pub fund: Fund,
    pub fund_source: String,
    pub group_as_published: String,
    pub group_en: String,
    pub n_projects: String,
    pub amount_mvnd: Option<f64>,
    pub qualifier: String,
    pub confidence: Confidence,
    pub source_url: String,
}

/// Reads `kc_spending_by_activity_facts.csv`.
pub fn read_activity(path: &Path, rejected: &mut Vec<Rejected>) -> Result<Vec<ActivityFact>> {
    let req = [
        "record_id",
        "code_gso",
        "province_name_vi",
        "period",
        "fund_source",
        "activity_group_as_reported",
        "activity_group_en",
        "n_projects",
        "value_million_vnd",
        "qualifier",
        "source_url",
        "confidence",
    ];
    let rows = read_rows(path, &req, rejected)?;
    let reference = crate::reference::Reference::get();
    let mut out = Vec::new();
    for (line, m) in &rows.rows {
        let reject = |reason: String, rejected: &mut Vec<Rejected>| {
            rejected.push(Rejected {
                file: rows.file.clone(),
                line: *line,
                record_id: cell(m, "record_id").to_string(),
                reason,
            })
        };
        let code = cell(m, "code_gso");
        if !code.is_empty() && reference.province(code).is_none() {
            reject(
                format!("code_gso \"{code}\" is not a province code of the 63-province map"),
                rejected,
            );
            continue;
        }
        let Some(confidence) = Confidence::parse(cell(m, "confidence")) else {
            reject(
                format!(
                    "confidence \"{}\" is not one of high, medium, low, unverified",
                    cell(m, "confidence")
                ),
                rejected,
            );
            continue;
        };
        let amount_mvnd = match amount(cell(m, "value_million_vnd")) {
            Ok(a) => a,
            Err(e) => {
                reject(e, rejected);
                continue;
            }
        };
        out.push(ActivityFact {
            record_id: cell(m, "record_id").into(),
            province_code: code.into(),
            area: if code.is_empty() {
                cell(m, "fund_source")
                    .split_once('(')
                    .map(|(_, g)| g.trim_end_matches(')').trim().to_string())
                    .unwrap_or_default()
            } else {
                cell(m, "province_name_vi").into()
            },
            period: cell(m, "period").replace("..", "–"),
            fund: Fund::of(cell(m, "fund_source")),
            fund_source: cell(m, "fund_source").into(),
            group_as_published: cell(m, "activity_group_as_reported").into(),
            group_en: cell(m, "activity_group_en").into(),
            n_projects: cell(m, "n_projects").into(),
            amount_mvnd,
            qualifier: cell(m, "qualifier").into(),
            confidence,
            source_url: cell(m, "source_url").into(),
        });
    }
    Ok(out)
}

fn s(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_string())
}

/// `indicators/activity_facts.parquet`.
pub fn activity_table(rows: &[ActivityFact]) -> Result<DataFrame> {
    TableBuilder::new()
        .str(
            col::RECORD_ID,
            rows.iter().map(|r| s(&r.record_id)).collect(),
        )
        .str(
            col::PROVINCE_CODE,
            rows.iter().map(|r| s(&r.province_code)).collect(),
        )
        .str(col::AREA, rows.iter().map(|r| s(&r.area)).collect())
        .str(col::PERIOD, rows.iter().map(|r| s(&r.period)).collect())
        .str(col::FUND, rows.iter().map(|r| s(r.fund.as_str())).collect())
        .str(
            col::FUND_SOURCE,
            rows.iter().map(|r| s(&r.fund_source)).collect(),
        )
        .str(
            col::GROUP_AS_PUBLISHED,
            rows.iter().map(|r| s(&r.group_as_published)).collect(),
        )
        .str(col::GROUP_EN, rows.iter().map(|r| s(&r.group_en)).collect())
        .str(
            col::N_PROJECTS,
            rows.iter().map(|r| s(&r.n_projects)).collect(),
        )
        .f64(
            col::AMOUNT_MVND,
            rows.iter().map(|r| r.amount_mvnd).collect(),
        )
        .str(
            col::QUALIFIER,
            rows.iter().map(|r| s(&r.qualifier)).collect(),
        )
        .str(
            col::CONFIDENCE,
            rows.iter().map(|r| s(r.confidence.as_str())).collect(),
        )
        .str(
            col::SOURCE_URL,
            rows.iter().map(|r| s(&r.source_url)).collect(),
        )
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_their_words_and_a_ministry_grouping_has_no_province() {
        let d = std::env::temp_dir().join(format!("kc-activity-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join("a.csv");
        std::fs::write(
            &p,
            "record_id,code_gso,province_name_vi,period,fund_source,activity_group_as_reported,activity_group_en,n_projects,value_million_vnd,qualifier,as_reported,source_url,source_date,confidence,notes\n\
             A01,52,Bình Định,2017,KCDP,\"Hỗ trợ mô hình, máy móc\",demonstration models + advanced machinery,13,2035,,q,http://a,,high,\n\
             A20,,,2013-01..2013-09,\"total_KC (15 provinces, MoIT grouping)\",Đào tạo nghề,vocational training,,4441,,q,http://a,,medium,\n\
             A99,99,X,2017,KCDP,g,g,1,5,,q,http://a,,high,\n",
        )
        .unwrap();
        let mut rej = Vec::new();
        let rows = read_activity(&p, &mut rej).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].group_as_published, "Hỗ trợ mô hình, máy móc");
        assert_eq!(rows[0].amount_mvnd, Some(2035.0));
        assert_eq!(rows[0].fund, Fund::Local);
        assert_eq!(rows[1].province_code, "");
        assert_eq!(rows[1].area, "15 provinces, MoIT grouping");
        assert_eq!(rows[1].period, "2013-01–2013-09");
        assert_eq!(rej.len(), 1);
        assert_eq!((rej[0].line, rej[0].record_id.as_str()), (4, "A99"));
        assert_eq!(activity_table(&rows).unwrap().height(), 2);
        let _ = std::fs::remove_dir_all(&d);
    }
}
