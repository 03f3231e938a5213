//! Bandwidth charts (SVG text and PNG files), drawn with plotters and the crate's bundled font
//! (registered by `crate::charts::render_on`, through which every chart is drawn).

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chain::ChainGrowth;
use super::growth::value_after;
use super::rates::{BandwidthGrowth, Measure, Rate};
use crate::charts::{render_on, ChartError, DrawResult, CHART_SIZE};

/// Years drawn in the chain-against-bandwidth projection.
pub const PROJECTION_YEARS: u32 = 10;

/// The bandwidth charts.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::bandwidth::charts::BandwidthChart;
/// assert_eq!(BandwidthChart::ALL.len(), 3);
/// assert_eq!(BandwidthChart::Levels.stem(), "bandwidth_levels");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BandwidthChart {
    /// Every level series on a log axis with its fitted line, rates in the legend.
    Levels,
    /// Every rate of the rates table, side by side.
    Rates,
    /// Growth of 1 unit over the next years at each measured rate, the chain's included.
    ChainVsBandwidth,
}

impl BandwidthChart {
    /// Every chart, in report order.
    pub const ALL: [BandwidthChart; 3] = [
        BandwidthChart::Levels,
        BandwidthChart::Rates,
        BandwidthChart::ChainVsBandwidth,
    ];

    /// File stem (`<stem>.png`, `<stem>.svg`) and HTML id.
    pub fn stem(self) -> &'static str {
        match self {
            BandwidthChart::Levels => "bandwidth_levels",
            BandwidthChart::Rates => "bandwidth_rates",
            BandwidthChart::ChainVsBandwidth => "bandwidth_vs_chain",
        }
    }

    /// Human title.
    pub fn title(self) -> &'static str {
        match self {
            BandwidthChart::Levels => "Broadband speeds (log axis) with fitted growth",
            BandwidthChart::Rates => "Annual growth rates, side by side (% a year)",
            BandwidthChart::ChainVsBandwidth => {
                "Growth of 1 unit at each measured rate: the chain against bandwidth (log axis)"
            }
        }
    }
}

/// What the bandwidth charts are drawn from.
#[derive(Debug, Clone, Copy)]
pub struct BandwidthChartData<'a> {
    /// The bandwidth series' growth.
    pub growth: &'a BandwidthGrowth,
    /// The rates table.
    pub rates: &'a [Rate],
    /// The chain's growth, when a node was given.
    pub chain: Option<&'a ChainGrowth>,
}

/// Draws a chart as an SVG document.
pub fn render_svg(chart: BandwidthChart, data: &BandwidthChartData) -> Result<String, ChartError> {
    let mut svg = String::new();
    let root = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
    render_on(chart.stem(), root, |root| draw(chart, data, root))?;
    Ok(svg)
}

/// Draws a chart into a PNG file at `path` (which must end in `.png`).
pub fn render_png(
    chart: BandwidthChart,
    data: &BandwidthChartData,
    path: &Path,
) -> Result<(), ChartError> {
    let root = BitMapBackend::new(path, CHART_SIZE).into_drawing_area();
    render_on(chart.stem(), root, |root| draw(chart, data, root))
}

const PALETTE: [RGBColor; 8] = [
    RGBColor(20, 60, 160),
    RGBColor(220, 120, 0),
    RGBColor(0, 150, 60),
    RGBColor(200, 30, 30),
    RGBColor(130, 60, 170),
    RGBColor(120, 90, 40),
    RGBColor(0, 140, 160),
    RGBColor(90, 90, 90),
];

/// The chain's colour: black, to stand out from the bandwidth lines.
const CHAIN: RGBColor = RGBColor(0, 0, 0);

fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

fn draw<DB: DrawingBackend>(
    chart: BandwidthChart,
    data: &BandwidthChartData,
    root: &DrawingArea<DB, Shift>,
) -> DrawResult<DB> {
    match chart {
        BandwidthChart::Levels => draw_levels(root, data.growth),
        BandwidthChart::Rates => draw_rates(root, data.rates),
        BandwidthChart::ChainVsBandwidth => draw_projection(root, data),
    }
}

fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

fn draw_levels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    growth: &BandwidthGrowth,
) -> DrawResult<DB> {
    let points = growth.levels.iter().flat_map(|l| l.points.iter());
    let (mut t0, mut t1, mut v0, mut v1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in points {
        let t = p.date.fractional_year();
        (t0, t1, v0, v1) = (t0.min(t), t1.max(t), v0.min(p.value), v1.max(p.value));
    }
    if t0 > t1 {
        (t0, t1, v0, v1) = (0.0, 1.0, 1.0, 10.0);
    }
    let mut chart = ChartBuilder::on(root)
        .caption(BandwidthChart::Levels.title(), ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((t0 - 0.5)..(t1 + 0.5), ((v0 / 1.5)..(v1 * 1.5)).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("year")
        .y_desc("level (unit in legend)")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y}"))
        .draw()?;
    for (i, level) in growth.levels.iter().enumerate() {
        let c = color(i);
        let (a, b) = (
            level.whole.from.fractional_year(),
            level.whole.to.fractional_year(),
        );
        let fitted = (0..=40).map(|k| {
            let t = a + (b - a) * f64::from(k) / 40.0;
            (t, level.fit.value_at(t))
        });
        chart.draw_series(LineSeries::new(fitted, c.stroke_width(1)))?;
        let label = format!(
            "{} ({}): fit {}/yr, whole {}, latest {}",
            level.series,
            level.unit,
            percent(level.fit_rate),
            percent(level.whole.rate),
            percent(level.recent.rate)
        );
        chart
            .draw_series(
                level
                    .points
                    .iter()
                    .map(|p| Circle::new((p.date.fractional_year(), p.value), 5, c.filled())),
            )?
            .label(label)
            .legend(move |(x, y)| Circle::new((x + 10, y), 5, c.filled()));
    }
    crate::charts::draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, 14)
}

fn rate_label(rate: &Rate) -> String {
    match rate.measure {
        Measure::Stated | Measure::Combined | Measure::Chain => {
            format!("{} ({})", rate.series, rate.measure)
        }
        _ => format!("{} {}–{}", rate.series, rate.from.year(), rate.to.year()),
    }
}

fn draw_rates<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, rates: &[Rate]) -> DrawResult<DB> {
    let n = rates.len().max(1) as i32;
    let max = rates
        .iter()
        .map(|r| r.rate)
        .fold(0.0f64, f64::max)
        .max(0.05)
        * 1.2;
    let min = rates.iter().map(|r| r.rate).fold(0.0f64, f64::min) * 1.2;
    let labels: Vec<String> = rates
        .iter()
        .map(|r| match r.measure {
            Measure::Fit => format!("{} fit", r.series),
            _ => rate_label(r),
        })
        .collect();
    let mut chart = ChartBuilder::on(root)
        .caption(BandwidthChart::Rates.title(), ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(330)
        .build_cartesian_2d(min * 100.0..max * 100.0, (0..n).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(rates.len().max(1))
        .x_desc("% a year")
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .label_style(("sans-serif", 13))
        .draw()?;
    // A series keeps one colour across its rows: the colour of its first appearance.
    let mut names: Vec<&str> = Vec::new();
    for r in rates {
        if !names.contains(&r.series.as_str()) {
            names.push(&r.series);
        }
    }
    let series_index = |name: &str| names.iter().position(|s| *s == name).unwrap_or(0);
    chart.draw_series(rates.iter().enumerate().map(|(i, r)| {
        let c = if r.measure == Measure::Chain {
            CHAIN
        } else {
            color(series_index(&r.series))
        };
        let i = i as i32;
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(i)),
                (r.rate * 100.0, SegmentValue::Exact(i + 1)),
            ],
            c.mix(0.75).filled(),
        );
        bar.set_margin(3, 3, 0, 0);
        bar
    }))?;
    chart.draw_series(rates.iter().enumerate().map(|(i, r)| {
        Text::new(
            percent(r.rate),
            (
                r.rate.max(0.0) * 100.0 + max * 1.0,
                SegmentValue::CenterOf(i as i32),
            ),
            ("sans-serif", 13),
        )
    }))?;
    Ok(())
}

/// The rates drawn in the projection: per level series the latest and whole-span rates, every
/// growth series, and the chain's bytes-per-day rate when it could be annualised.
fn projected(data: &BandwidthChartData) -> Vec<(String, f64, bool)> {
    let mut lines: Vec<(String, f64, bool)> = data
        .rates
        .iter()
        .filter(|r| {
            matches!(
                r.measure,
                Measure::Recent | Measure::Whole | Measure::Stated | Measure::Combined
            )
        })
        .map(|r| {
            (
                format!("{}: {}", rate_label(r), percent(r.rate)),
                r.rate,
                false,
            )
        })
        .collect();
    if let Some(rate) = data.chain.and_then(|c| c.bytes_per_day.annual_rate) {
        lines.push((
            format!("chain bytes per day: {}", percent(rate)),
            rate,
            true,
        ));
    }
    lines
}

fn draw_projection<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &BandwidthChartData,
) -> DrawResult<DB> {
    let lines = projected(data);
    let years = f64::from(PROJECTION_YEARS);
    let grow = |rate: f64, y: f64| value_after(1.0, rate, y).unwrap_or(1.0);
    let top = lines
        .iter()
        .map(|l| grow(l.1, years))
        .fold(2.0f64, f64::max)
        * 1.3;
    let bottom = lines
        .iter()
        .map(|l| grow(l.1, years))
        .fold(1.0f64, f64::min)
        / 1.3;
    let caption = match data.chain {
        Some(c) if c.bytes_per_day.annual_rate.is_none() => format!(
            "{} — the chain's span ({:.2} days) is too short to annualise",
            "Growth of 1 unit at each rate", c.span_days
        ),
        _ => BandwidthChart::ChainVsBandwidth.title().to_string(),
    };
    let mut chart = ChartBuilder::on(root)
        .caption(caption, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..years, (bottom..top).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("years from now")
        .y_desc("multiple of today")
        .y_label_formatter(&|y| format!("{y:.1}×"))
        .draw()?;
    for (i, (label, rate, is_chain)) in lines.into_iter().enumerate() {
        let (c, width) = if is_chain { (CHAIN, 4) } else { (color(i), 2) };
        let curve = (0..=50).map(|k| {
            let y = years * f64::from(k) / 50.0;
            (y, grow(rate, y))
        });
        chart
            .draw_series(LineSeries::new(curve, c.stroke_width(width)))?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(width))
            });
    }
    crate::charts::draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, 13)
}
