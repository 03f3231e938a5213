//! Charts of the fee study, drawn with plotters as SVG (text) and PNG (file).
//!
//! Text in PNGs is drawn with the bundled DejaVu Sans (assets/, Bitstream Vera licence),
//! registered with plotters' `ab_glyph` backend, so no system font package is needed. SVGs name
//! the family `sans-serif` and leave the glyphs to the viewer.
//!
//! Long ranges are bucketed to at most [`MAX_POINTS`] points per series (mean of each bucket),
//! so files stay small whatever the range.

use crate::metrics::{BlockMetrics, FeeHistogram};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::Path;
use std::sync::Once;

/// The bundled font (DejaVu Sans 2.37, see `assets/DejaVuSans-LICENSE.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Most points drawn per series; longer ranges are averaged into this many buckets.
pub const MAX_POINTS: usize = 1500;

/// Pixel size of every chart.
pub const CHART_SIZE: (u32, u32) = (1000, 560);

/// Legacy block size limit before segwit, bytes.
pub const MAX_BLOCK_SIZE_LEGACY: f64 = 1_000_000.0;
/// Block weight limit since segwit, weight units.
pub const MAX_BLOCK_WEIGHT: f64 = 4_000_000.0;

/// A chart could not be drawn or written.
#[derive(Debug, thiserror::Error)]
#[error("chart {chart}: {message}")]
pub struct ChartError {
    /// The chart's file stem.
    pub chart: &'static str,
    /// What went wrong.
    pub message: String,
}

/// The charts of the report.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::charts::ChartKind;
/// assert_eq!(ChartKind::ALL.len(), 4);
/// assert_eq!(ChartKind::FeeHistogram.stem(), "fee_histogram");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Fee rate by height: median, mean, rate to get in, 10–90 % band.
    FeeRate,
    /// Histogram of absolute fees on a log axis, round fees highlighted.
    FeeHistogram,
    /// Round-fee and round-rate shares by height.
    RoundShare,
    /// Block size and weight against their limits.
    BlockSize,
}

impl ChartKind {
    /// Every chart, in report order.
    pub const ALL: [ChartKind; 4] = [
        ChartKind::FeeRate,
        ChartKind::FeeHistogram,
        ChartKind::RoundShare,
        ChartKind::BlockSize,
    ];

    /// File stem (`<stem>.png`, `<stem>.svg`) and HTML id.
    pub fn stem(self) -> &'static str {
        match self {
            ChartKind::FeeRate => "fee_rate",
            ChartKind::FeeHistogram => "fee_histogram",
            ChartKind::RoundShare => "round_share",
            ChartKind::BlockSize => "block_size",
        }
    }

    /// Human title.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::FeeRate => "Fee rate by height (sat/vB)",
            ChartKind::FeeHistogram => "Fees paid (sat, log axis): round numbers spike",
            ChartKind::RoundShare => "Share of transactions paying a round fee or rate",
            ChartKind::BlockSize => "Block size and weight against the limits",
        }
    }
}

/// What the charts are drawn from.
#[derive(Debug, Clone, Copy)]
pub struct ChartData<'a> {
    /// Every block's metrics, in height order.
    pub blocks: &'a [BlockMetrics],
    /// The range's fee histogram.
    pub histogram: &'a FeeHistogram,
}

/// Registers the bundled font with plotters (once per process).
pub fn register_bundled_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid TrueType font checked in; failing here is a build defect.
        if plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS).is_err() {
            panic!("bundled DejaVuSans.ttf is not a valid font");
        }
    });
}

/// Draws a chart as an SVG document.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::charts::{render_svg, ChartData, ChartKind};
/// use btcaddr_analytics::metrics::FeeHistogram;
/// let h = FeeHistogram::new();
/// let svg = render_svg(ChartKind::FeeRate, &ChartData { blocks: &[], histogram: &h }).unwrap();
/// assert!(svg.starts_with("<svg"));
/// ```
pub fn render_svg(kind: ChartKind, data: &ChartData) -> Result<String, ChartError> {
    let mut svg = String::new();
    let root = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
    render_on(kind.stem(), root, |root| draw(kind, data, root))?;
    Ok(svg)
}

/// Draws a chart into a PNG file at `path` (which must end in `.png`).
pub fn render_png(kind: ChartKind, data: &ChartData, path: &Path) -> Result<(), ChartError> {
    let root = BitMapBackend::new(path, CHART_SIZE).into_drawing_area();
    render_on(kind.stem(), root, |root| draw(kind, data, root))
}

/// What every chart's drawing goes through, SVG or PNG, fee or bandwidth: the bundled font
/// registered, a white background, `draw`, then `present`; a failure names `chart`.
pub(crate) fn render_on<DB: DrawingBackend>(
    chart: &'static str,
    root: DrawingArea<DB, Shift>,
    draw: impl FnOnce(&DrawingArea<DB, Shift>) -> DrawResult<DB>,
) -> Result<(), ChartError> {
    // Plotters lays text out with the font even for SVG.
    register_bundled_font();
    let error = |err: DrawingAreaErrorKind<DB::ErrorType>| ChartError {
        chart,
        message: err.to_string(),
    };
    root.fill(&WHITE).map_err(error)?;
    draw(&root).map_err(error)?;
    root.present().map_err(error)
}

fn draw<DB: DrawingBackend>(
    kind: ChartKind,
    data: &ChartData,
    root: &DrawingArea<DB, Shift>,
) -> DrawResult<DB> {
    match kind {
        ChartKind::FeeRate => draw_fee_rate(root, &bucket(data.blocks)),
        ChartKind::FeeHistogram => draw_histogram(root, data.histogram),
        ChartKind::RoundShare => draw_round_share(root, &bucket(data.blocks)),
        ChartKind::BlockSize => draw_block_size(root, &bucket(data.blocks)),
    }
}

/// One plotted point: the mean of a bucket of consecutive blocks.
#[derive(Debug, Clone, Copy, Default)]
struct Point {
    height: f64,
    p10: f64,
    p50: f64,
    p90: f64,
    mean: Option<f64>,
    get_in: Option<f64>,
    round_fee: Option<f64>,
    round_rate: Option<f64>,
    size: f64,
    weight: f64,
}

fn bucket(blocks: &[BlockMetrics]) -> Vec<Point> {
    if blocks.is_empty() {
        return Vec::new();
    }
    let per = blocks.len().div_ceil(MAX_POINTS);
    let mean = |xs: &mut dyn Iterator<Item = f64>| {
        let (s, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
        (n > 0).then(|| s / n as f64)
    };
    blocks
        .chunks(per)
        .map(|c| {
            let m = |f: &dyn Fn(&BlockMetrics) -> f64| mean(&mut c.iter().map(f)).unwrap_or(0.0);
            let o = |f: &dyn Fn(&BlockMetrics) -> Option<f64>| mean(&mut c.iter().filter_map(f));
            Point {
                height: m(&|b| f64::from(b.height)),
                p10: m(&|b| b.rate_p10 as f64),
                p50: m(&|b| b.rate_p50 as f64),
                p90: m(&|b| b.rate_p90 as f64),
                mean: o(&|b| b.fee_rate_mean),
                get_in: o(&|b| b.rate_to_get_in),
                round_fee: o(&|b| b.round_fee_share),
                round_rate: o(&|b| b.round_rate_share),
                size: m(&|b| b.size as f64),
                weight: m(&|b| b.weight as f64),
            }
        })
        .collect()
}

fn x_range(points: &[Point]) -> std::ops::Range<f64> {
    match (points.first(), points.last()) {
        (Some(a), Some(b)) if b.height > a.height => a.height..b.height,
        (Some(a), _) => a.height - 1.0..a.height + 1.0,
        _ => 0.0..1.0,
    }
}

fn legend_line(color: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
}

const BAND: RGBColor = RGBColor(120, 160, 220);
const MEDIAN: RGBColor = RGBColor(20, 60, 160);
const MEAN: RGBColor = RGBColor(220, 120, 0);
const GET_IN: RGBColor = RGBColor(0, 150, 60);
const ROUND: RGBColor = RGBColor(200, 30, 30);

/// What drawing on a plotters area returns.
pub(crate) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The legend every chart uses: a framed, translucent box at `position`.
pub(crate) fn draw_legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    font_size: u32,
) -> DrawResult<DB>
where
    DB: DrawingBackend + 'a,
    CT: plotters::coord::CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .label_font(("sans-serif", font_size))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
}

fn draw_fee_rate<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    pts: &[Point],
) -> DrawResult<DB> {
    let y_max = pts
        .iter()
        .flat_map(|p| [p.p90, p.mean.unwrap_or(0.0), p.get_in.unwrap_or(0.0)])
        .fold(1.0f64, f64::max)
        * 1.05;
    let mut chart = ChartBuilder::on(root)
        .caption(ChartKind::FeeRate.title(), ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(x_range(pts), 0.0..y_max)?;
    chart
        .configure_mesh()
        .x_desc("block height")
        .y_desc("sat/vB")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .draw()?;
    let band: Vec<(f64, f64)> = pts
        .iter()
        .map(|p| (p.height, p.p90))
        .chain(pts.iter().rev().map(|p| (p.height, p.p10)))
        .collect();
    chart
        .draw_series(std::iter::once(Polygon::new(band, BAND.mix(0.35).filled())))?
        .label("10–90 % (by weight)")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], BAND.mix(0.35).filled()));
    chart
        .draw_series(LineSeries::new(
            pts.iter().map(|p| (p.height, p.p50)),
            MEDIAN.stroke_width(2),
        ))?
        .label("median")
        .legend(legend_line(MEDIAN));
    chart
        .draw_series(LineSeries::new(
            pts.iter().filter_map(|p| p.mean.map(|m| (p.height, m))),
            MEAN.stroke_width(2),
        ))?
        .label("mean")
        .legend(legend_line(MEAN));
    chart
        .draw_series(LineSeries::new(
            pts.iter().filter_map(|p| p.get_in.map(|g| (p.height, g))),
            GET_IN.stroke_width(2),
        ))?
        .label("rate to get in (2nd cheapest)")
        .legend(legend_line(GET_IN));
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, 15)
}

fn draw_histogram<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    h: &FeeHistogram,
) -> DrawResult<DB> {
    let used: Vec<usize> = (1..h.all.len()).filter(|&i| h.all[i] > 0).collect();
    let (x0, x1) = match (used.first(), used.last()) {
        (Some(&a), Some(&b)) => (
            FeeHistogram::bin_range(a).0 / 1.5,
            FeeHistogram::bin_range(b).1 * 1.5,
        ),
        _ => (1.0, 1e6),
    };
    let y_max = used.iter().map(|&i| h.all[i]).max().unwrap_or(1) as f64 * 1.05;
    let caption = format!(
        "{} — {} zero-fee txs not shown",
        ChartKind::FeeHistogram.title(),
        h.all[0]
    );
    let mut chart = ChartBuilder::on(root)
        .caption(caption, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d((x0..x1).log_scale(), 0.0..y_max)?;
    chart
        .configure_mesh()
        .x_desc("fee (sat)")
        .y_desc("transactions")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .draw()?;
    chart
        .draw_series(used.iter().map(|&i| {
            let (lo, hi) = FeeHistogram::bin_range(i);
            Rectangle::new([(lo, 0.0), (hi, h.all[i] as f64)], MEDIAN.filled())
        }))?
        .label("all fees")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], MEDIAN.filled()));
    chart
        .draw_series(used.iter().filter(|&&i| h.round[i] > 0).map(|&i| {
            let (lo, hi) = FeeHistogram::bin_range(i);
            Rectangle::new([(lo, 0.0), (hi, h.round[i] as f64)], ROUND.filled())
        }))?
        .label("round fees")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], ROUND.filled()));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 15)
}

fn draw_round_share<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    pts: &[Point],
) -> DrawResult<DB> {
    let mut chart = ChartBuilder::on(root)
        .caption(ChartKind::RoundShare.title(), ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(x_range(pts), 0.0..100.0)?;
    chart
        .configure_mesh()
        .x_desc("block height")
        .y_desc("% of non-coinbase txs")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            pts.iter()
                .filter_map(|p| p.round_fee.map(|s| (p.height, 100.0 * s))),
            ROUND.stroke_width(2),
        ))?
        .label("round fee")
        .legend(legend_line(ROUND));
    chart
        .draw_series(LineSeries::new(
            pts.iter()
                .filter_map(|p| p.round_rate.map(|s| (p.height, 100.0 * s))),
            MEAN.stroke_width(2),
        ))?
        .label("round rate (further)")
        .legend(legend_line(MEAN));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 15)
}

fn draw_block_size<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    pts: &[Point],
) -> DrawResult<DB> {
    let title = root.titled(ChartKind::BlockSize.title(), ("sans-serif", 22))?;
    let panels = title.split_evenly((2, 1));
    let series = [
        (
            "size (bytes)",
            MAX_BLOCK_SIZE_LEGACY,
            "1,000,000 B legacy limit",
            MEDIAN,
        ),
        (
            "weight (WU)",
            MAX_BLOCK_WEIGHT,
            "4,000,000 WU limit",
            GET_IN,
        ),
    ];
    for (i, (panel, (label, limit, limit_label, color))) in panels.iter().zip(series).enumerate() {
        let value = |p: &Point| if i == 0 { p.size } else { p.weight };
        let y_max = pts.iter().map(value).fold(limit, f64::max) * 1.08;
        let mut chart = ChartBuilder::on(panel)
            .margin(8)
            .x_label_area_size(30)
            .y_label_area_size(80)
            .build_cartesian_2d(x_range(pts), 0.0..y_max)?;
        chart
            .configure_mesh()
            .y_desc(label)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()?;
        chart
            .draw_series(LineSeries::new(
                pts.iter().map(|p| (p.height, value(p))),
                color.stroke_width(2),
            ))?
            .label(label)
            .legend(legend_line(color));
        let xr = x_range(pts);
        chart
            .draw_series(LineSeries::new(
                [(xr.start, limit), (xr.end, limit)],
                ROUND.stroke_width(2),
            ))?
            .label(limit_label)
            .legend(legend_line(ROUND));
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 14)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::{BlockFees, TxFee};
    use crate::metrics::{FeeSettings, RangeAccumulator};
    use bitcoin::hashes::Hash;

    fn blocks(n: u32) -> (Vec<BlockMetrics>, FeeHistogram) {
        let settings = FeeSettings::default();
        let mut acc = RangeAccumulator::new(settings);
        let rows = (0..n)
            .map(|h| {
                let txs = (0..20u64)
                    .map(|i| TxFee {
                        txid: Some(bitcoin::Txid::all_zeros()),
                        fee: if i % 2 == 0 {
                            1000 * (i + 1)
                        } else {
                            137 * i + u64::from(h)
                        },
                        size: 250,
                        vsize: 250,
                        weight: 1000,
                        payer: crate::payer::PayerType::P2wpkh,
                    })
                    .collect();
                let b = BlockFees {
                    height: 1000 + h,
                    hash: bitcoin::BlockHash::all_zeros(),
                    prev_hash: bitcoin::BlockHash::all_zeros(),
                    time: 0,
                    size: 5000 + u64::from(h),
                    weight: 20_000,
                    tx_count: 21,
                    txs,
                };
                let m = BlockMetrics::new(&b, &settings);
                acc.add(&b, &m);
                m
            })
            .collect();
        (rows, acc.histogram().clone())
    }

    #[test]
    fn every_chart_renders_svg_and_png() {
        let dir = tempfile::tempdir().unwrap();
        for n in [0, 1, 50, 4000] {
            let (rows, h) = blocks(n);
            let data = ChartData {
                blocks: &rows,
                histogram: &h,
            };
            for kind in ChartKind::ALL {
                let svg = render_svg(kind, &data).unwrap();
                assert!(svg.contains("</svg>"), "{kind:?} {n}");
                let path = dir.path().join(format!("{}-{n}.png", kind.stem()));
                render_png(kind, &data, &path).unwrap();
                let bytes = std::fs::read(&path).unwrap();
                assert_eq!(&bytes[1..4], b"PNG", "{kind:?} {n}");
            }
        }
    }

    #[test]
    fn long_ranges_are_bucketed() {
        let (rows, _) = blocks(4000);
        let pts = bucket(&rows);
        assert!(pts.len() <= MAX_POINTS && pts.len() > MAX_POINTS / 2);
        assert!(pts[0].height >= 1000.0 && pts[pts.len() - 1].height <= 4999.0);
    }
}
