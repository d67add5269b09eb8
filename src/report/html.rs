//! The self-contained HTML report: inline CSS, charts embedded as base64 PNG, no external
//! resource, so the file opens offline from disk. Lays out the report's `Document`; every text
//! is escaped here.

use super::Lang;
use super::charts::DrawnChart;
use super::document::{Block, Document};
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

fn figure(c: &DrawnChart, lang: Lang) -> String {
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

fn block(h: &mut String, b: &Block, lang: Lang) {
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
        Block::Details { summary, table } => h.push_str(&format!(
            "<details><summary>{}</summary>{}</details>",
            esc(summary),
            table_html(table)
        )),
        Block::Figure(c) => h.push_str(&figure(c, lang)),
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
                block(h, b, lang);
            }
        }
    }
}

/// The whole page.
pub fn render(doc: &Document) -> String {
    let lang = doc.lang;
    let mut h = String::new();
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        lang.code(),
        esc(&doc.title),
        CSS
    ));
    h.push_str(&format!(
        "<header><h1>{}</h1><p class=\"meta\">{}</p>",
        esc(&doc.title),
        esc(&doc.meta)
    ));
    if let Some(b) = &doc.banner {
        h.push_str(&format!("<p class=\"synthetic\">{}</p>", esc(b)));
    }
    h.push_str("</header>\n");
    h.push_str(&format!("<nav><h2>{}</h2><ol>", esc(&doc.contents)));
    for s in &doc.sections {
        h.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>",
            s.id,
            esc(&s.title)
        ));
    }
    h.push_str("</ol></nav>\n");
    for s in &doc.sections {
        h.push_str(&format!(
            "<section id=\"{}\"><h2>{}</h2>",
            s.id,
            esc(&s.title)
        ));
        for b in &s.blocks {
            block(&mut h, b, lang);
        }
        h.push_str("</section>\n");
    }
    h.push_str("</body>\n</html>\n");
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
