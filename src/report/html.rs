//! The self-contained HTML report: inline CSS, charts embedded as base64 PNG, no external
//! resource, so the file opens offline from disk. Every value that comes from data is escaped.

use super::charts::Charts;
use super::data::ReportData;
use super::findings::Findings;
use super::i18n::{K, num, t, tf};
use super::tables::{self, Table};
use super::{ReportContext, province_name};
use crate::error::Result;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(A[(n >> 18) as usize & 63] as char);
        out.push(A[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

const CSS: &str = "
body{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif;max-width:1180px;margin:0 auto;padding:1.5rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{border-bottom:2px solid #0072B2;padding-bottom:.2rem;margin-top:2.4rem}
.meta{color:#555}.synthetic{background:#fff4d6;border-left:6px solid #E69F00;padding:.6rem 1rem;font-weight:600}
.findings li{margin:.4rem 0;font-size:1.08rem}
figure{margin:1.6rem 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{color:#444;font-size:.92rem}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem;width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef5fa}td.n{text-align:right;white-space:nowrap}
nav ol{columns:2}.note{color:#444;font-size:.92rem}
";

fn table_html(tbl: &Table) -> String {
    let mut s = String::from("<table><thead><tr>");
    for h in &tbl.head {
        s.push_str(&format!("<th>{}</th>", esc(h)));
    }
    s.push_str("</tr></thead><tbody>");
    for row in &tbl.rows {
        s.push_str("<tr>");
        for cell in row {
            let numeric = !cell.is_empty()
                && cell
                    .chars()
                    .all(|c| c.is_ascii_digit() || ".,−-–() <".contains(c));
            if numeric {
                s.push_str(&format!("<td class=\"n\">{}</td>", esc(cell)));
            } else {
                s.push_str(&format!("<td>{}</td>", esc(cell)));
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

fn figure(charts: &Charts, name: &str, ctx: &ReportContext) -> String {
    if let Some(c) = charts.get(name) {
        let files = format!(
            "{}: <a href=\"charts/{n}.svg\">SVG</a> · <a href=\"charts/{n}.png\">PNG</a> · <a href=\"charts/{n}.csv\">CSV</a>",
            t(ctx.lang, K::ChartFiles),
            n = esc(&c.name)
        );
        return format!(
            "<figure id=\"chart-{}\"><img src=\"data:image/png;base64,{}\" alt=\"{}\"><figcaption><strong>{}</strong> — {}<br>{}</figcaption></figure>\n",
            esc(&c.name),
            base64(&c.png_bytes),
            esc(&c.title),
            esc(&c.title),
            esc(&c.subtitle),
            files
        );
    }
    charts
        .skipped
        .iter()
        .find(|s| s.name == name)
        .map(|s| {
            format!(
                "<p class=\"note\">{}</p>\n",
                esc(&tf(
                    ctx.lang,
                    K::ChartSkipped,
                    &[("chart", &s.name), ("why", &s.why)]
                ))
            )
        })
        .unwrap_or_default()
}

/// The whole page.
pub fn render(
    d: &ReportData,
    facts: &Findings,
    charts: &Charts,
    ctx: &ReportContext,
) -> Result<String> {
    let lang = ctx.lang;
    let mut h = String::new();
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        lang.code(),
        esc(t(lang, K::ReportTitle)),
        CSS
    ));
    h.push_str(&format!(
        "<header><h1>{}</h1><p class=\"meta\">{}: {} · {}</p>",
        esc(t(lang, K::ReportTitle)),
        esc(t(lang, K::Pipeline)),
        esc(&crate::text::clean(&ctx.pipeline_name)),
        esc(&tf(
            lang,
            K::BoundaryUsed,
            &[("boundary", Findings::boundary_label(lang, ctx.boundary))]
        ))
    ));
    if ctx.synthetic {
        h.push_str(&format!(
            "<p class=\"synthetic\">{}</p>",
            esc(t(lang, K::SyntheticBanner))
        ));
    }
    h.push_str("</header>\n");

    let sections = [
        ("findings", K::SecFindings),
        ("money", K::SecMoney),
        ("scattered", K::SecScattered),
        ("effects", K::SecEffects),
        ("quality", K::SecQuality),
        ("method", K::SecMethod),
    ];
    h.push_str(&format!("<nav><h2>{}</h2><ol>", esc(t(lang, K::Contents))));
    let sections: Vec<(&str, K)> = if d.changes.is_empty() {
        sections.to_vec()
    } else {
        let mut v = sections.to_vec();
        v.insert(1, ("changes", K::SecChanges));
        v
    };
    for (id, key) in sections {
        h.push_str(&format!(
            "<li><a href=\"#{id}\">{}</a></li>",
            esc(t(lang, key))
        ));
    }
    h.push_str("</ol></nav>\n");

    // Key findings: the finding first, in plain words with numbers.
    h.push_str(&format!(
        "<section id=\"findings\"><h2>{}</h2><ol class=\"findings\">",
        esc(t(lang, K::SecFindings))
    ));
    for s in facts.sentences(ctx) {
        h.push_str(&format!("<li>{}</li>", esc(&s)));
    }
    h.push_str("</ol></section>\n");

    let changed = super::changes::sentences(&d.changes, ctx);
    if let Some((intro, rows)) = changed.split_first() {
        h.push_str(&format!(
            "<section id=\"changes\"><h2>{}</h2><p>{}</p><ul>",
            esc(t(lang, K::SecChanges)),
            esc(intro)
        ));
        for s in rows {
            h.push_str(&format!("<li>{}</li>", esc(s)));
        }
        h.push_str("</ul></section>\n");
    }

    h.push_str(&format!(
        "<section id=\"money\"><h2>{}</h2>",
        esc(t(lang, K::SecMoney))
    ));
    h.push_str(&figure(charts, "spending_over_time", ctx));
    h.push_str(&figure(charts, "lorenz_grants", ctx));
    h.push_str(&figure(charts, "plan_vs_achievement", ctx));
    if d.grants.is_some() {
        h.push_str(&format!("<h3>{}</h3>", esc(t(lang, K::TopGrants))));
        h.push_str(&table_html(&tables::top_grants(d, ctx, 10)));
    }
    h.push_str("</section>\n");

    h.push_str(&format!(
        "<section id=\"scattered\"><h2>{}</h2>",
        esc(t(lang, K::SecScattered))
    ));
    h.push_str(&format!("<h3>{}</h3>", esc(t(lang, K::RankedTable))));
    let ranked = tables::flags(d, ctx, false);
    if ranked.rows.is_empty() {
        h.push_str(&format!("<p>{}</p>", esc(t(lang, K::NoFlaggedRows))));
    } else {
        h.push_str(&table_html(&ranked));
    }
    h.push_str(&figure(charts, "concentration", ctx));
    h.push_str(&figure(charts, "flag_map", ctx));
    h.push_str(&format!(
        "<details><summary>{}</summary>{}</details>",
        esc(t(lang, K::AllAssessed)),
        table_html(&tables::flags(d, ctx, true))
    ));
    h.push_str("</section>\n");

    h.push_str(&format!(
        "<section id=\"effects\"><h2>{}</h2>",
        esc(t(lang, K::SecEffects))
    ));
    let coefs = tables::coefficients(d, lang);
    if coefs.rows.is_empty() {
        h.push_str(&format!("<p>{}</p>", esc(t(lang, K::NoModels))));
    } else {
        h.push_str(&format!("<h3>{}</h3>", esc(t(lang, K::ModelTable))));
        h.push_str(&table_html(&coefs));
    }
    for m in &d.models {
        h.push_str(&format!(
            "<p class=\"note\"><strong>{}</strong>: <code>{}</code>{}{}</p>",
            esc(&m.name),
            esc(&m.formula),
            m.nobs
                .map(|n| format!(" · N = {}", esc(&num(lang, n, 0))))
                .unwrap_or_default(),
            if m.vcov.is_empty() {
                String::new()
            } else {
                format!(" · vcov {}", esc(&m.vcov))
            }
        ));
    }
    h.push_str(&format!(
        "<p class=\"note\">{}</p>",
        esc(t(lang, K::ModelNote))
    ));
    h.push_str(&figure(charts, "spending_vs_growth", ctx));
    h.push_str(&figure(charts, "event_study", ctx));
    if let Some(p) = &d.pilot_inference {
        for line in super::pilot::sentences(p, lang) {
            h.push_str(&format!("<p class=\"note\">{}</p>", esc(&line)));
        }
    }
    h.push_str(&figure(charts, "output_small_multiples", ctx));
    h.push_str("</section>\n");

    h.push_str(&format!(
        "<section id=\"quality\"><h2>{}</h2>",
        esc(t(lang, K::SecQuality))
    ));
    h.push_str(&format!(
        "<p>{}</p>",
        esc(&tf(
            lang,
            K::BoundaryUsed,
            &[("boundary", Findings::boundary_label(lang, ctx.boundary))]
        ))
    ));
    if let Some((y0, y1)) = d.panel_years {
        h.push_str(&format!(
            "<p>{}</p>",
            esc(&tf(
                lang,
                K::PanelMissing,
                &[
                    ("n", &num(lang, d.panel_rows as f64, 0)),
                    ("k", &num(lang, d.panel_missing_output as f64, 0)),
                    ("y0", &y0.to_string()),
                    ("y1", &y1.to_string()),
                ]
            ))
        ));
    }
    h.push_str(&format!("<h3>{}</h3>", esc(t(lang, K::RejectedRows))));
    let rej = tables::rejected(d, lang);
    if rej.rows.is_empty() {
        h.push_str(&format!("<p>{}</p>", esc(t(lang, K::NoRejected))));
    } else {
        h.push_str(&table_html(&rej));
    }
    h.push_str(&format!("<h3>{}</h3>", esc(t(lang, K::MissingCellsHead))));
    let mc = tables::missing_cells(d, lang);
    if mc.rows.is_empty() {
        h.push_str(&format!("<p>{}</p>", esc(t(lang, K::NoMissingCells))));
    } else {
        h.push_str(&table_html(&mc));
    }
    if !d.missing.is_empty() {
        h.push_str(&format!(
            "<p>{}</p>",
            esc(&tf(
                lang,
                K::MissingTables,
                &[("tables", &d.missing.join(", "))]
            ))
        ));
    }
    for s in &charts.skipped {
        h.push_str(&format!(
            "<p class=\"note\">{}</p>",
            esc(&tf(
                lang,
                K::ChartSkipped,
                &[("chart", &s.name), ("why", &s.why)]
            ))
        ));
    }
    h.push_str("</section>\n");

    h.push_str(&format!(
        "<section id=\"method\"><h2>{}</h2>",
        esc(t(lang, K::SecMethod))
    ));
    h.push_str(&format!("<p>{}</p>", esc(t(lang, K::MethodFlags))));
    h.push_str(&format!("<h3>{}</h3>", esc(t(lang, K::Thresholds))));
    let params = tables::flag_params(d, lang);
    if params.rows.is_empty() {
        h.push_str(&format!("<p>{}</p>", esc(t(lang, K::NoThresholds))));
    } else {
        h.push_str(&table_html(&params));
    }
    h.push_str(&format!("<p>{}</p>", esc(t(lang, K::MethodEffects))));
    h.push_str(&format!("<h3>{}</h3><ul>", esc(t(lang, K::DataSources))));
    for s in &ctx.sources {
        h.push_str(&format!("<li>{}</li>", esc(&crate::text::clean(s))));
    }
    h.push_str(&format!(
        "<li>{}</li></ul>",
        esc(t(lang, K::ReferenceSources))
    ));
    if ctx.synthetic {
        h.push_str(&format!(
            "<p class=\"synthetic\">{}</p>",
            esc(t(lang, K::SyntheticBanner))
        ));
    }
    if !facts.pilots.is_empty() {
        let names: Vec<String> = facts
            .pilots
            .iter()
            .map(|c| province_name(c, ctx.boundary))
            .collect();
        h.push_str(&format!(
            "<p>{}: {}{}</p>",
            esc(t(lang, K::LegPilot)),
            esc(&names.join(", ")),
            facts
                .pilot_start
                .map(|s| format!(" ({} {s})", esc(t(lang, K::LegPilotStart))))
                .unwrap_or_default()
        ));
    }
    let version = d
        .manifest
        .as_ref()
        .and_then(|m| m.program_version.as_deref())
        .unwrap_or(env!("CARGO_PKG_VERSION"));
    h.push_str(&format!(
        "<p class=\"note\">{}: {} · {}: {} · {}</p>",
        esc(t(lang, K::ProgramVersion)),
        esc(version),
        esc(t(lang, K::Language)),
        lang.code(),
        esc(t(lang, K::FontNote))
    ));
    h.push_str("</section>\n</body>\n</html>\n");
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }
}
