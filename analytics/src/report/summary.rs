//! The summary (summary.json, summary.md): the post's table for the range, with its settings.

use super::{ReportContext, ReportSettings};
use crate::metrics::{PayerRow, RangeTable};
use serde::{Deserialize, Serialize};

/// Figures of the June 2016 post (blocks 415296–416346), shown beside the range's own.
///
/// # Examples
///
/// ```
/// let r = btcaddr_analytics::report::Reference2016::POST;
/// assert_eq!(r.transactions, 1_618_170);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Reference2016 {
    /// First height of the post's range.
    pub first_height: u32,
    /// Last height (inclusive).
    pub last_height: u32,
    /// Median block size, bytes ("998k").
    pub median_block_size: f64,
    /// Mean block size, bytes ("818k").
    pub mean_block_size: f64,
    /// Non-coinbase transactions.
    pub transactions: u64,
    /// Share paying a round absolute fee.
    pub round_fee_share: f64,
    /// A further share paying a round per-byte fee.
    pub round_rate_share: f64,
    /// Mean fee, satoshi.
    pub mean_fee: f64,
    /// Mean fee, US dollars (about 16 cents then).
    pub mean_fee_usd: f64,
    /// Mean fee rate, sat/byte.
    pub mean_fee_rate: f64,
    /// Mean over blocks of the second-cheapest transaction's rate, sat/byte.
    pub mean_rate_to_get_in: f64,
    /// That rate in US dollars for a typical transaction (about 5 cents then).
    pub rate_to_get_in_usd: f64,
}

impl Reference2016 {
    /// The post's values (see the project's mission, section 2).
    pub const POST: Reference2016 = Reference2016 {
        first_height: 415_296,
        last_height: 416_346,
        median_block_size: 998_000.0,
        mean_block_size: 818_000.0,
        transactions: 1_618_170,
        round_fee_share: 0.48,
        round_rate_share: 0.05,
        mean_fee: 24_051.0,
        mean_fee_usd: 0.16,
        mean_fee_rate: 60.0,
        mean_rate_to_get_in: 16.81,
        rate_to_get_in_usd: 0.05,
    };
}

/// Fiat figures, from `--btc-usd`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FiatFigures {
    /// The price used, US dollars per bitcoin.
    pub btc_usd: f64,
    /// Mean fee in US dollars.
    pub mean_fee_usd: Option<f64>,
    /// Sum of fees in US dollars.
    pub total_fee_usd: f64,
    /// Cost of getting in: mean rate to get in × the range's mean transaction vsize, US dollars.
    pub rate_to_get_in_usd: Option<f64>,
}

const SAT_PER_BTC: f64 = 100_000_000.0;

/// Version of the data layout: the columns of `blocks.parquet`, `blocks.csv` and the `txs/` dataset,
/// the fields of `summary.json` and of `bandwidth.json`, as documented in `docs/DATA.md`.
///
/// Bumped whenever a column or field is added, removed, renamed or changes meaning (type, unit
/// or definition). Written as `schema_version` into summary.json and shown in summary.md; a
/// summary.json written before the field existed reads as version 0.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::metrics::{FeeSettings, RangeAccumulator};
/// use btcaddr_analytics::report::{FeeSummary, ReportContext, ReportSettings, SCHEMA_VERSION};
/// let table = RangeAccumulator::new(FeeSettings::default()).table(&[]);
/// let s = FeeSummary::new(&ReportSettings::default(), &ReportContext::new("main", "rpc", 1, 2), table, vec![], vec![]);
/// assert_eq!(s.schema_version, SCHEMA_VERSION);
/// ```
pub const SCHEMA_VERSION: u32 = 2;

impl FiatFigures {
    /// Fiat figures of a table at `btc_usd` dollars per bitcoin.
    pub fn new(table: &RangeTable, btc_usd: f64) -> Self {
        let usd = |sat: f64| sat * btc_usd / SAT_PER_BTC;
        FiatFigures {
            btc_usd,
            mean_fee_usd: table.mean_fee.map(usd),
            total_fee_usd: usd(table.total_fee as f64),
            rate_to_get_in_usd: table
                .mean_rate_to_get_in
                .zip(table.mean_tx_vsize)
                .map(|(r, v)| usd(r * v)),
        }
    }
}

/// Everything summary.json holds: settings, context and the range table.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::metrics::{FeeSettings, RangeAccumulator};
/// use btcaddr_analytics::report::{FeeSummary, ReportContext, ReportSettings};
/// let table = RangeAccumulator::new(FeeSettings::default()).table(&[]);
/// let s = FeeSummary::new(&ReportSettings::default(), &ReportContext::new("main", "rpc", 1, 2), table, vec![], vec![]);
/// assert_eq!(s.chain, "main");
/// assert!(s.fiat.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeeSummary {
    /// [`SCHEMA_VERSION`] of the data that wrote it (0: written before the field existed).
    #[serde(default)]
    pub schema_version: u32,
    /// Tool and version that wrote it.
    pub generator: String,
    /// The node's chain name.
    pub chain: String,
    /// The block source used.
    pub source: String,
    /// First height requested.
    pub requested_first_height: u32,
    /// Last height requested (inclusive).
    pub requested_last_height: u32,
    /// Settings used.
    pub settings: ReportSettings,
    /// The range table.
    pub table: RangeTable,
    /// The table by payer type (who pays round fees), most transactions first.
    pub by_payer: Vec<PayerRow>,
    /// Fiat figures when `--btc-usd` was given.
    pub fiat: Option<FiatFigures>,
    /// The 2016 post's figures, for comparison.
    pub reference_2016: Reference2016,
    /// Files written into the output directory.
    pub files: Vec<String>,
}

impl FeeSummary {
    /// Assembles the summary.
    pub fn new(
        settings: &ReportSettings,
        context: &ReportContext,
        table: RangeTable,
        by_payer: Vec<PayerRow>,
        files: Vec<String>,
    ) -> Self {
        FeeSummary {
            schema_version: SCHEMA_VERSION,
            generator: concat!("btcaddr-analytics ", env!("CARGO_PKG_VERSION")).to_owned(),
            chain: context.chain.clone(),
            source: context.source.clone(),
            requested_first_height: context.first_height,
            requested_last_height: context.last_height,
            settings: *settings,
            fiat: context.btc_usd.map(|p| FiatFigures::new(&table, p)),
            table,
            by_payer,
            reference_2016: Reference2016::POST,
            files,
        }
    }

    /// The table as rows of (figure, this range, 2016 post), already formatted.
    pub fn rows(&self) -> Vec<[String; 3]> {
        let t = &self.table;
        let r = &self.reference_2016;
        let s = &self.settings.fees;
        let mut rows = vec![
            [
                "blocks".to_owned(),
                int(t.blocks),
                int(u64::from(r.last_height - r.first_height + 1)),
            ],
            [
                "block size, median / mean (bytes)".to_owned(),
                format!(
                    "{} / {}",
                    opt(t.median_block_size, 0),
                    opt(t.mean_block_size, 0)
                ),
                format!(
                    "{} / {}",
                    num(r.median_block_size, 0),
                    num(r.mean_block_size, 0)
                ),
            ],
            [
                "non-coinbase transactions".to_owned(),
                int(t.transactions),
                int(r.transactions),
            ],
            [
                format!(
                    "share paying a round fee (multiple of {} sat)",
                    int(s.round_fee)
                ),
                pct(t.round_fee_share),
                pct(Some(r.round_fee_share)),
            ],
            [
                format!(
                    "further share paying a round rate (multiple of {} sat/vB)",
                    int(s.round_rate)
                ),
                pct(t.round_rate_share),
                pct(Some(r.round_rate_share)),
            ],
            [
                "zero-fee transactions (in neither share)".to_owned(),
                int(t.zero_fee_transactions),
                "–".to_owned(),
            ],
            [
                "mean fee (sat)".to_owned(),
                opt(t.mean_fee, 0),
                num(r.mean_fee, 0),
            ],
            [
                "mean fee rate (sat/vB, mean over transactions)".to_owned(),
                opt(t.mean_fee_rate, 2),
                num(r.mean_fee_rate, 2),
            ],
            [
                "rate to get in (sat/vB, 2nd cheapest tx, mean over blocks)".to_owned(),
                opt(t.mean_rate_to_get_in, 2),
                num(r.mean_rate_to_get_in, 2),
            ],
            [
                "blocks without a rate to get in (< 2 txs, excluded)".to_owned(),
                int(t.blocks_without_rate_to_get_in),
                "–".to_owned(),
            ],
        ];
        if let Some(f) = &self.fiat {
            rows.push([
                format!("mean fee (USD at {} $/BTC)", num(f.btc_usd, 2)),
                usd(f.mean_fee_usd),
                usd(Some(r.mean_fee_usd)),
            ]);
            rows.push([
                "cost to get in (USD, rate × mean tx vsize)".to_owned(),
                usd(f.rate_to_get_in_usd),
                usd(Some(r.rate_to_get_in_usd)),
            ]);
            rows.push([
                "total fees (USD)".to_owned(),
                usd(Some(f.total_fee_usd)),
                "–".to_owned(),
            ]);
        }
        rows
    }

    /// The header of [`FeeSummary::payer_rows`].
    pub const PAYER_HEADER: [&'static str; 6] = [
        "payer type",
        "transactions",
        "round-fee share",
        "round-rate share",
        "mean fee rate (sat/vB)",
        "mean rate over the block's rate to get in (sat/vB)",
    ];

    /// The table by payer type as formatted rows under [`FeeSummary::PAYER_HEADER`].
    pub fn payer_rows(&self) -> Vec<[String; 6]> {
        self.by_payer
            .iter()
            .map(|p| {
                [
                    p.payer.name().to_owned(),
                    int(p.transactions),
                    pct(p.round_fee_share),
                    pct(p.round_rate_share),
                    opt(p.mean_fee_rate, 2),
                    opt(p.mean_rate_over_get_in, 2),
                ]
            })
            .collect()
    }

    /// One line describing the run: chain, source, heights, settings.
    pub fn settings_line(&self) -> String {
        let t = &self.table;
        let actual = match (t.first_height, t.last_height) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => "none".to_owned(),
        };
        let mut line = format!(
            "chain {}, source {}, heights {}–{} requested ({} read), round fee {} sat, round rate {} sat/vB, per-tx rows {}",
            self.chain,
            self.source,
            self.requested_first_height,
            self.requested_last_height,
            actual,
            self.settings.fees.round_fee,
            self.settings.fees.round_rate,
            if self.settings.per_tx { "on" } else { "off" },
        );
        if let Some(f) = &self.fiat {
            line.push_str(&format!(", BTC/USD {}", num(f.btc_usd, 2)));
        }
        line
    }
}

/// What the table by payer type shows (summary.md and report.html).
pub(crate) const PAYER_NOTE: &str = "The type of the scripts each transaction's inputs spend, a proxy for the payer's wallet software (`mixed`: inputs of several types; P2SH inputs whose scriptSig pushes a witness program are nested segwit).";

/// Definitions printed under the table (summary.md and report.html).
pub(crate) const NOTES: [&str; 5] = [
    "Rates are sat/vB; before segwit vsize equals size, so they are the 2016 post's sat/byte.",
    "Round fee: a positive multiple of the round-fee setting. Round rate: not a round fee, but exactly an integer multiple of round-rate × vsize. Zero-fee transactions are in neither class.",
    "Rate to get in: per block, the second-cheapest non-coinbase transaction's rate; blocks with fewer than two such transactions have none and are left out of the mean.",
    "Per-block percentiles follow Bitcoin Core's getblockstats: integer rates fee×4/weight, weighted by transaction weight.",
    "The 2016 column is the post's figures for blocks 415296–416346, for comparison only.",
];

/// Renders summary.md.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::metrics::{FeeSettings, RangeAccumulator};
/// use btcaddr_analytics::report::{render_markdown, FeeSummary, ReportContext, ReportSettings};
/// let table = RangeAccumulator::new(FeeSettings::default()).table(&[]);
/// let s = FeeSummary::new(&ReportSettings::default(), &ReportContext::new("main", "rpc", 1, 2), table, vec![], vec![]);
/// assert!(render_markdown(&s).contains("| non-coinbase transactions | 0 | 1,618,170 |"));
/// ```
pub fn render_markdown(summary: &FeeSummary) -> String {
    let mut md = String::from("# Fee report\n\n");
    md.push_str(&summary.settings_line());
    md.push_str(&format!(
        ".\n\nData schema version {} (columns and fields: docs/DATA.md).\n\n",
        summary.schema_version
    ));
    md.push_str("| figure | this range | 2016 post |\n| --- | ---: | ---: |\n");
    for [a, b, c] in summary.rows() {
        md.push_str(&format!("| {a} | {b} | {c} |\n"));
    }
    md.push('\n');
    if !summary.by_payer.is_empty() {
        md.push_str(&format!("## Who pays round fees\n\n{PAYER_NOTE}\n\n"));
        md.push_str(&format!(
            "| {} |\n| --- | ---: | ---: | ---: | ---: | ---: |\n",
            FeeSummary::PAYER_HEADER.join(" | ")
        ));
        for row in summary.payer_rows() {
            md.push_str(&format!("| {} |\n", row.join(" | ")));
        }
        md.push('\n');
    }
    for note in NOTES {
        md.push_str(&format!("- {note}\n"));
    }
    md
}

/// `1618170` → `1,618,170`.
pub(crate) fn int(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A float with `decimals` decimals and thousands separators.
pub(crate) fn num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let whole = whole
        .parse::<u64>()
        .map(int)
        .unwrap_or_else(|_| whole.to_owned());
    let sign = if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    }
}

fn opt(v: Option<f64>, decimals: usize) -> String {
    v.map(|v| num(v, decimals))
        .unwrap_or_else(|| "–".to_owned())
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{}%", num(100.0 * v, 1)))
        .unwrap_or_else(|| "–".to_owned())
}

fn usd(v: Option<f64>) -> String {
    v.map(|v| format!("${}", num(v, 4)))
        .unwrap_or_else(|| "–".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_formatted_for_people() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(1_618_170), "1,618,170");
        assert_eq!(num(24051.4, 0), "24,051");
        assert_eq!(num(16.814, 2), "16.81");
        assert_eq!(num(-1234.5, 1), "-1,234.5");
        assert_eq!(pct(Some(0.48)), "48.0%");
        assert_eq!(usd(Some(0.16)), "$0.1600");
    }
}
