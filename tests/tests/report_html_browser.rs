//! report.html renders in a real browser: headless Chromium lays out the table and every chart.
//!
//! Needs Debian's `chromium` (`scripts/install-chromium.sh`, called by `scripts/test.sh`).
//! Without it the test fails with the command to run, it never skips.

use bitcoin::hashes::Hash;
use btcaddr_analytics::block::{BlockFees, TxFee};
use btcaddr_analytics::charts::ChartKind;
use btcaddr_analytics::report::{
    FeeReportBuilder, HtmlChart, HtmlSection, ReportContext, ReportSettings,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium() -> PathBuf {
    let path = PathBuf::from(CHROMIUM);
    assert!(
        path.exists(),
        "{CHROMIUM} is missing: run `scripts/install-chromium.sh` (as root; scripts/test.sh does it)"
    );
    path
}

/// Runs headless Chromium on a local page and returns the DOM it rendered.
fn dump_dom(page: &Path, profile: &Path) -> String {
    let child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
            "--window-size=1280,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    // Read the output on another thread: the DOM is larger than a pipe buffer.
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(Duration::from_secs(180)) {
        Ok(out) => out.expect("chromium output"),
        Err(_) => {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!(
                "chromium did not finish rendering {} within 180 s",
                page.display()
            );
        }
    };
    assert!(
        out.status.success(),
        "chromium failed on {}",
        page.display()
    );
    String::from_utf8(out.stdout).expect("DOM is UTF-8")
}

fn tx(n: u64, fee: u64, vsize: u32) -> TxFee {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&n.to_le_bytes());
    TxFee {
        txid: Some(bitcoin::Txid::from_byte_array(bytes)),
        fee,
        size: vsize,
        vsize,
        weight: 4 * u64::from(vsize),
        payer: btcaddr_analytics::payer::PayerType::P2wpkh,
    }
}

/// A report over 300 hand-made blocks with round and non-round fees.
fn write_report(out: &Path) {
    let mut report = FeeReportBuilder::new(ReportSettings::default(), out).expect("report dir");
    let mut n = 0;
    for height in 1000..1300u32 {
        let txs = (0..40u64)
            .map(|i| {
                n += 1;
                let vsize = 150 + (i as u32 * 37 + height) % 400;
                let fee = match i % 4 {
                    0 => 1000 * (1 + i % 7),
                    1 => 10 * u64::from(vsize) * (1 + i % 3),
                    _ => 1 + (i * 7919 + u64::from(height) * 104_729) % 60_000,
                };
                tx(n, fee, vsize)
            })
            .collect::<Vec<_>>();
        let block = BlockFees {
            height,
            hash: bitcoin::BlockHash::all_zeros(),
            prev_hash: bitcoin::BlockHash::all_zeros(),
            time: 1_466_000_000 + height * 600,
            size: 200_000 + u64::from(height % 50) * 15_000,
            weight: 800_000 + u64::from(height % 50) * 60_000,
            tx_count: txs.len() as u32 + 1,
            txs,
        };
        report.push(&block).expect("push");
    }
    let mut ctx = ReportContext::new("regtest", "hand-made", 1000, 1299);
    ctx.btc_usd = Some(665.0);
    ctx.extra_sections.push(HtmlSection {
        id: "extra".into(),
        title: "Extra section".into(),
        html: "<p id=\"extra-text\">extra body</p>".into(),
        charts: vec![HtmlChart {
            id: "extra-chart".into(),
            title: "A circle".into(),
            svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\"><circle cx=\"50\" cy=\"50\" r=\"40\"/></svg>".into(),
        }],
    });
    report.finish(&ctx).expect("finish");
}

/// A page that loads report.html in a frame and writes what the browser laid out into `#probe`.
const PROBE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<iframe id="r" src="report.html" style="width:1200px;height:900px"></iframe>
<pre id="probe">not loaded</pre>
<script>
document.getElementById('r').addEventListener('load', function () {
  var d = this.contentDocument, out = [];
  var t = d.getElementById('summary-table');
  var tr = t ? t.getBoundingClientRect() : {width: 0, height: 0};
  out.push('table rows=' + (t ? t.querySelectorAll('tbody tr').length : -1) +
           ' w=' + Math.round(tr.width) + ' h=' + Math.round(tr.height));
  d.querySelectorAll('figure.chart').forEach(function (f) {
    var s = f.querySelector('svg'), r = s ? s.getBoundingClientRect() : {width: 0, height: 0};
    out.push('chart ' + f.id + ' w=' + Math.round(r.width) + ' h=' + Math.round(r.height) +
             ' shapes=' + (s ? s.querySelectorAll('polyline,polygon,rect,path,line,circle').length : 0) +
             ' texts=' + (s ? s.querySelectorAll('text').length : 0));
  });
  document.getElementById('probe').textContent = out.join('\n');
});
</script></body></html>"#;

fn probe_lines(dom: &str) -> Vec<String> {
    let start = dom
        .find("<pre id=\"probe\">")
        .expect("probe element in DOM")
        + 16;
    let end = start + dom[start..].find("</pre>").expect("probe end");
    dom[start..end].lines().map(str::to_owned).collect()
}

fn field(line: &str, key: &str) -> i64 {
    let at = line
        .find(&format!(" {key}="))
        .unwrap_or_else(|| panic!("{key} in {line}"));
    let rest = &line[at + key.len() + 2..];
    let end = rest.find(' ').unwrap_or(rest.len());
    rest[..end]
        .parse()
        .unwrap_or_else(|_| panic!("{key} in {line}"))
}

#[test]
fn report_html_renders_table_and_every_chart_in_chromium() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report");
    write_report(&out);
    let profile = dir.path().join("chromium-profile");

    // 1. The rendered DOM of the page itself holds the table text and every chart.
    let dom = dump_dom(&out.join("report.html"), &profile);
    assert!(
        dom.contains("id=\"summary-table\""),
        "no table in rendered DOM"
    );
    for text in [
        "non-coinbase transactions",
        "12,000",
        "1,618,170",
        "chain regtest",
    ] {
        assert!(dom.contains(text), "rendered DOM lacks {text:?}");
    }
    for kind in ChartKind::ALL {
        assert!(
            dom.contains(&format!("id=\"chart-{}\"", kind.stem())),
            "{kind:?} missing"
        );
    }
    assert!(
        dom.contains("<p id=\"extra-text\">extra body</p>"),
        "extra section missing"
    );

    // 2. Laid out: the table has its rows and a size, every chart is a sized SVG with shapes
    //    and text (axis labels, captions).
    // The probe page must sit beside report.html to load it.
    let probe = out.join("probe.html");
    std::fs::write(&probe, PROBE).expect("write probe page");
    let lines = probe_lines(&dump_dom(&probe, &profile));
    let table = lines
        .iter()
        .find(|l| l.starts_with("table"))
        .expect("table line");
    assert!(field(table, "rows") >= 13, "{table}");
    assert!(
        field(table, "w") > 300 && field(table, "h") > 200,
        "{table}"
    );
    let mut ids: Vec<String> = ChartKind::ALL
        .iter()
        .map(|k| format!("chart-{}", k.stem()))
        .collect();
    ids.push("chart-extra-chart".into());
    for id in &ids {
        let line = lines
            .iter()
            .find(|l| l.starts_with(&format!("chart {id} ")))
            .unwrap_or_else(|| panic!("{id} not laid out: {lines:?}"));
        assert!(field(line, "w") >= 190 && field(line, "h") >= 90, "{line}");
        assert!(field(line, "shapes") >= 1, "{line}");
        if id != "chart-extra-chart" {
            assert!(field(line, "w") >= 900, "{line}");
            assert!(
                field(line, "shapes") >= 5 && field(line, "texts") >= 5,
                "{line}"
            );
        }
    }
    assert_eq!(lines.len(), 1 + ids.len(), "{lines:?}");
}
