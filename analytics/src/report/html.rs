//! report.html: one self-contained page (inline CSS, inline SVG charts, no external resources).

use super::summary::{FeeSummary, NOTES, PAYER_NOTE};

/// A chart to inline in report.html.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::report::HtmlChart;
/// let c = HtmlChart { id: "growth".into(), title: "Growth".into(), svg: "<svg></svg>".into() };
/// assert_eq!(c.id, "growth");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlChart {
    /// Unique id; the figure element gets `id="chart-<id>"`.
    pub id: String,
    /// Caption.
    pub title: String,
    /// A complete SVG document (an XML declaration, if any, is dropped when inlined).
    pub svg: String,
}

/// A further section of report.html, supplied by another analysis (e.g. bandwidth).
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::report::HtmlSection;
/// let s = HtmlSection { id: "bandwidth".into(), title: "Bandwidth".into(), html: "<p>17%</p>".into(), charts: vec![] };
/// assert!(s.charts.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlSection {
    /// Unique id; the section element gets `id="section-<id>"`.
    pub id: String,
    /// Heading (escaped).
    pub title: String,
    /// Body HTML, inserted as is: the supplier must escape its own text.
    pub html: String,
    /// Charts shown after the body.
    pub charts: Vec<HtmlChart>,
}

const STYLE: &str = "body{font-family:'DejaVu Sans',sans-serif;max-width:1060px;margin:2em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:.3em .6em}\
td.n{text-align:right;font-variant-numeric:tabular-nums}thead th{background:#eef}\
figure{margin:1.5em 0}figure svg{max-width:100%;height:auto}figcaption{font-weight:bold;margin-top:.3em}\
.settings{color:#555}.notes{font-size:.9em;color:#444}";

/// Renders the page.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::metrics::{FeeSettings, RangeAccumulator};
/// use btcaddr_analytics::report::{render_html, FeeSummary, ReportContext, ReportSettings};
/// let table = RangeAccumulator::new(FeeSettings::default()).table(&[]);
/// let s = FeeSummary::new(&ReportSettings::default(), &ReportContext::new("main", "rpc", 1, 2), table, vec![], vec![]);
/// let page = render_html(&s, &[], &[]);
/// assert!(page.starts_with("<!DOCTYPE html>") && page.contains("id=\"summary-table\""));
/// ```
pub fn render_html(summary: &FeeSummary, charts: &[HtmlChart], extra: &[HtmlSection]) -> String {
    let mut h =
        String::with_capacity(64 * 1024 + charts.iter().map(|c| c.svg.len()).sum::<usize>());
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!(
        "<title>Fee report – {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&summary.chain)
    ));
    h.push_str("<h1>Fee report</h1>\n");
    h.push_str(&format!(
        "<p class=\"settings\" id=\"settings\">{}.</p>\n",
        escape(&summary.settings_line())
    ));
    h.push_str("<section id=\"section-fees\">\n<h2>The 2016 fee study, for this range</h2>\n");
    h.push_str("<table id=\"summary-table\">\n<thead><tr><th>figure</th><th>this range</th><th>2016 post</th></tr></thead>\n<tbody>\n");
    for [a, b, c] in summary.rows() {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            escape(&a),
            escape(&b),
            escape(&c)
        ));
    }
    h.push_str("</tbody>\n</table>\n<ul class=\"notes\">\n");
    for note in NOTES {
        h.push_str(&format!("<li>{}</li>\n", escape(note)));
    }
    h.push_str("</ul>\n");
    push_payer_table(&mut h, summary);
    push_charts(&mut h, charts);
    h.push_str("</section>\n");
    for section in extra {
        h.push_str(&format!(
            "<section id=\"section-{}\">\n<h2>{}</h2>\n{}\n",
            escape(&section.id),
            escape(&section.title),
            section.html
        ));
        push_charts(&mut h, &section.charts);
        h.push_str("</section>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}

/// The table by payer type, when any transaction was read.
fn push_payer_table(h: &mut String, summary: &FeeSummary) {
    if summary.by_payer.is_empty() {
        return;
    }
    h.push_str("<h3>Who pays round fees</h3>\n<table id=\"payer-table\">\n<thead><tr>");
    for title in FeeSummary::PAYER_HEADER {
        h.push_str(&format!("<th>{}</th>", escape(title)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in summary.payer_rows() {
        let [payer, rest @ ..] = row;
        h.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(&payer)));
        for cell in rest {
            h.push_str(&format!("<td class=\"n\">{}</td>", escape(&cell)));
        }
        h.push_str("</tr>\n");
    }
    h.push_str(&format!(
        "</tbody>\n</table>\n<p class=\"notes\">{}</p>\n",
        escape(PAYER_NOTE)
    ));
}

fn push_charts(h: &mut String, charts: &[HtmlChart]) {
    for chart in charts {
        let svg = chart.svg.find("<svg").map_or("", |i| &chart.svg[i..]);
        h.push_str(&format!(
            "<figure class=\"chart\" id=\"chart-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            escape(&chart.id),
            svg,
            escape(&chart.title)
        ));
    }
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
