//! The self-contained HTML report: inline CSS, charts embedded as base64 PNG, no external
//! resource, so the file opens offline from disk. Lays out the report's `Document` (either
//! `Style`); every text is escaped here.

use super::Lang;
use super::charts::DrawnChart;
use super::document::{Block, Document, Style, url_host};
use super::i18n::{K, t};
use super::tables::Table;

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

/// The style sheet of `Style::RealData`.
const CSS_REAL: &str = "
body{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif;max-width:1180px;margin:0 auto;padding:1.5rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{border-bottom:2px solid #0072B2;padding-bottom:.2rem;margin-top:2.4rem}
.real{background:#e6f2f8;border-left:6px solid #0072B2;padding:.6rem 1rem;font-weight:600}
.mark{color:#0072B2;font-size:.85rem;font-weight:600;text-transform:uppercase;letter-spacing:.03em;margin-bottom:-1.6rem}
.findings li{margin:.4rem 0;font-size:1.08rem}
figure{margin:1.6rem 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{color:#444;font-size:.92rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:1rem 0;font-size:.85rem;width:100%}
th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#eef5fa}td.n{text-align:right;white-space:nowrap}
.note{color:#444;font-size:.92rem}
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

/// A wide table of records in a sideways-scrolling box; web addresses link to themselves,
/// named by their host.
fn records_html(tbl: &Table) -> String {
    let mut s = String::from("<div class=\"scroll\"><table><thead><tr>");
    for c in &tbl.head {
        s.push_str(&format!("<th>{}</th>", esc(c)));
    }
    s.push_str("</tr></thead><tbody>");
    for r in &tbl.rows {
        s.push_str("<tr>");
        for c in r {
            if let Some(host) = url_host(c) {
                s.push_str(&format!(
                    "<td><a href=\"{}\">{}</a></td>",
                    esc(c),
                    esc(host)
                ));
            } else if !c.is_empty()
                && c.chars()
                    .all(|ch| ch.is_ascii_digit() || ".,-".contains(ch))
            {
                s.push_str(&format!("<td class=\"n\">{}</td>", esc(c)));
            } else {
                s.push_str(&format!("<td>{}</td>", esc(c)));
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    s
}

fn figure(c: &DrawnChart, lang: Lang, style: Style) -> String {
    if style == Style::RealData {
        // The title is drawn in the image; the caption gives the subtitle and the files.
        return format!(
            "<figure><img alt=\"{t}\" src=\"data:image/png;base64,{b}\"><figcaption>{s} <a href=\"charts/{n}.svg\">SVG</a> · <a href=\"charts/{n}.csv\">CSV</a></figcaption></figure>",
            t = esc(&c.title),
            b = base64(&c.png_bytes),
            s = esc(&c.subtitle),
            n = esc(&c.name)
        );
    }
    let files = format!(
        "{}: <a href=\"charts/{n}.svg\">SVG</a> · <a href=\"charts/{n}.png\">PNG</a> · <a href=\"charts/{n}.csv\">CSV</a>",
        t(lang, K::ChartFiles),
        n = esc(&c.name)
    );
    format!(
        "<figure id=\"chart-{}\"><img src=\"data:image/png;base64,{}\" alt=\"{}\"><figcaption><strong>{}</strong> — {}<br>{}</figcaption></figure>\n",
        esc(&c.name),
        base64(&c.png_bytes),
        esc(&c.title),
        esc(&c.title),
        esc(&c.subtitle),
        files
    )
}

fn block(h: &mut String, b: &Block, lang: Lang, style: Style) {
    match b {
        Block::Paragraph(s) => h.push_str(&format!("<p>{}</p>", esc(s))),
        Block::Note(s) => h.push_str(&format!("<p class=\"note\">{}</p>", esc(s))),
        Block::Heading(s) => h.push_str(&format!("<h3>{}</h3>", esc(s))),
        Block::List {
            ordered,
            class,
            items,
        } => {
            let tag = if *ordered { "ol" } else { "ul" };
            match class {
                Some(c) => h.push_str(&format!("<{tag} class=\"{c}\">")),
                None => h.push_str(&format!("<{tag}>")),
            }
            for s in items {
                h.push_str(&format!("<li>{}</li>", esc(s)));
            }
            h.push_str(&format!("</{tag}>"));
        }
        Block::Table(tbl) => h.push_str(&table_html(tbl)),
        Block::Records(tbl) => h.push_str(&records_html(tbl)),
        Block::Details { summary, table } => h.push_str(&format!(
            "<details><summary>{}</summary>{}</details>",
            esc(summary),
            table_html(table)
        )),
        Block::Figure(c) => h.push_str(&figure(c, lang, style)),
        Block::ChartSkipped(s) => h.push_str(&format!("<p class=\"note\">{}</p>\n", esc(s))),
        Block::Models(models) => {
            for m in models {
                h.push_str(&format!(
                    "<p class=\"note\"><strong>{}</strong>: <code>{}</code>{}{}</p>",
                    esc(&m.name),
                    esc(&m.formula),
                    m.nobs
                        .as_ref()
                        .map(|n| format!(" · N = {}", esc(n)))
                        .unwrap_or_default(),
                    if m.vcov.is_empty() {
                        String::new()
                    } else {
                        format!(" · vcov {}", esc(&m.vcov))
                    }
                ));
            }
        }
        Block::Banner(s) => h.push_str(&format!("<p class=\"synthetic\">{}</p>", esc(s))),
        Block::PageOnly(blocks) => {
            for b in blocks {
                block(h, b, lang, style);
            }
        }
    }
}

/// The whole page.
pub fn render(doc: &Document) -> String {
    let lang = doc.lang;
    let style = doc.style;
    // `Style::RealData` writes the page without line breaks.
    let (nl, css, banner_class) = match style {
        Style::Full => ("\n", CSS, "synthetic"),
        Style::RealData => ("", CSS_REAL, "real"),
    };
    let mut h = String::new();
    h.push_str(&format!(
        "<!DOCTYPE html>{nl}<html lang=\"{}\">{nl}<head>{nl}<meta charset=\"utf-8\">{nl}<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{nl}<title>{}</title>{nl}<style>{}</style>{nl}</head>{nl}<body>{nl}",
        lang.code(),
        esc(&doc.title),
        css
    ));
    let full = style == Style::Full;
    if full {
        h.push_str("<header>");
    }
    h.push_str(&format!("<h1>{}</h1>", esc(&doc.title)));
    if !doc.meta.is_empty() {
        h.push_str(&format!("<p class=\"meta\">{}</p>", esc(&doc.meta)));
    }
    if let Some(b) = &doc.banner {
        h.push_str(&format!("<p class=\"{banner_class}\">{}</p>", esc(b)));
    }
    if full {
        h.push_str("</header>\n");
    }
    h.push_str(&format!("<nav><h2>{}</h2><ol>", esc(&doc.contents)));
    for s in &doc.sections {
        h.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>",
            s.id,
            esc(&s.title)
        ));
    }
    h.push_str(&format!("</ol></nav>{nl}"));
    for s in &doc.sections {
        h.push_str(&format!("<section id=\"{}\">", s.id));
        if let Some(m) = &s.mark {
            h.push_str(&format!("<p class=\"mark\">{}</p>", esc(m)));
        }
        h.push_str(&format!("<h2>{}</h2>", esc(&s.title)));
        for b in &s.blocks {
            block(&mut h, b, lang, style);
        }
        h.push_str(&format!("</section>{nl}"));
    }
    if let Some(f) = &doc.footer {
        h.push_str(&format!(
            "<footer><p class=\"{banner_class}\">{}</p></footer>",
            esc(f)
        ));
    }
    h.push_str(&format!("</body>{nl}</html>\n"));
    h
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
    fn records_scroll_and_link_their_sources() {
        let t = Table {
            name: "t",
            head: vec!["a".into()],
            rows: vec![
                vec!["http://ven.vn/x.html".into()],
                vec!["1.436,5".into()],
                vec!["2021–2025".into()],
            ],
        };
        assert_eq!(
            records_html(&t),
            "<div class=\"scroll\"><table><thead><tr><th>a</th></tr></thead><tbody>\
             <tr><td><a href=\"http://ven.vn/x.html\">ven.vn</a></td></tr>\
             <tr><td class=\"n\">1.436,5</td></tr><tr><td>2021–2025</td></tr>\
             </tbody></table></div>"
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
