//! Every growth rate of the bandwidth data: per interval, recent against earlier, whole span,
//! fitted, and combined yearly figures.

use std::fmt;

use serde::Serialize;

use super::data::{BandwidthData, Point, Series, SeriesKind};
use super::date::CalendarDate;
use super::growth::{cagr, combine_annual, GrowthError, LogLinearFit};

/// A rate of one series could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("series `{series}` ({origin}): {source}")]
pub struct RatesError {
    /// Series name.
    pub series: String,
    /// `file:line` of the series' first row.
    pub origin: String,
    /// Why.
    pub source: GrowthError,
}

/// Compound annual growth between two dated levels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalGrowth {
    /// Start date.
    pub from: CalendarDate,
    /// End date.
    pub to: CalendarDate,
    /// Years between them (see [`CalendarDate::fractional_year`]).
    pub years: f64,
    /// Level at `from`.
    pub from_value: f64,
    /// Level at `to`.
    pub to_value: f64,
    /// Compound annual growth rate (0.3 = 30% a year).
    pub rate: f64,
}

impl IntervalGrowth {
    /// The growth from point `a` to a later point `b`.
    ///
    /// # Examples
    ///
    /// ```
    /// use btcaddr_analytics::bandwidth::{IntervalGrowth, Point};
    /// let a = Point { date: "2014-11".parse()?, value: 22.8, source: String::new() };
    /// let b = Point { date: "2016-11".parse()?, value: 36.2, source: String::new() };
    /// let g = IntervalGrowth::between(&a, &b)?;
    /// assert_eq!(g.years, 2.0);
    /// assert!((g.rate - ((36.2f64 / 22.8).sqrt() - 1.0)).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn between(a: &Point, b: &Point) -> Result<Self, GrowthError> {
        let (t0, t1) = (a.date.fractional_year(), b.date.fractional_year());
        Ok(IntervalGrowth {
            from: a.date,
            to: b.date,
            years: t1 - t0,
            from_value: a.value,
            to_value: b.value,
            rate: cagr(a.value, t0, b.value, t1)?,
        })
    }
}

/// The growth of one level series (e.g. OFCOM UK download speed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelGrowth {
    /// Series name.
    pub series: String,
    /// Unit of its levels.
    pub unit: String,
    /// The levels, in date order.
    pub points: Vec<Point>,
    /// Growth between each pair of consecutive points.
    pub intervals: Vec<IntervalGrowth>,
    /// The latest interval: the last two points (OFCOM: 2014 to 2016, "the last two years").
    pub recent: IntervalGrowth,
    /// From the first point to the one before the last, when there are three or more points
    /// (OFCOM: 2008 to 2014, "the first six years").
    pub earlier: Option<IntervalGrowth>,
    /// From the first point to the last.
    pub whole: IntervalGrowth,
    /// Least-squares fit of ln(level) against time in years, over every point.
    pub fit: LogLinearFit,
    /// The fit's compound annual rate.
    pub fit_rate: f64,
}

impl LevelGrowth {
    /// Computes every rate of a level series (which must hold at least two points in date order,
    /// as [`BandwidthData`] guarantees).
    pub fn compute(series: &Series) -> Result<Self, GrowthError> {
        let points = &series.points;
        if points.len() < 2 {
            return Err(GrowthError::TooFewPoints(points.len()));
        }
        let intervals = points
            .windows(2)
            .map(|w| IntervalGrowth::between(&w[0], &w[1]))
            .collect::<Result<Vec<_>, _>>()?;
        let (first, last) = (&points[0], &points[points.len() - 1]);
        let recent = intervals[intervals.len() - 1].clone();
        let earlier = match points.len() {
            0..=2 => None,
            n => Some(IntervalGrowth::between(first, &points[n - 2])?),
        };
        let fitted: Vec<(f64, f64)> = points
            .iter()
            .map(|p| (p.date.fractional_year(), p.value))
            .collect();
        let fit = LogLinearFit::fit(&fitted)?;
        Ok(LevelGrowth {
            series: series.name.clone(),
            unit: series.unit.clone(),
            points: points.clone(),
            intervals,
            recent,
            earlier,
            whole: IntervalGrowth::between(first, last)?,
            fit_rate: fit.annual_rate()?,
            fit,
        })
    }
}

/// Yearly growth figures of one series combined into one annual rate (geometric mean).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CombinedGrowth {
    /// Series name.
    pub series: String,
    /// The yearly figures as fractions, each dated at the end of its year.
    pub figures: Vec<Point>,
    /// The one annual rate equivalent to all figures in a row.
    pub rate: f64,
}

impl CombinedGrowth {
    /// Combines the figures of a growth series.
    pub fn compute(series: &Series) -> Result<Self, GrowthError> {
        let rates: Vec<f64> = series.points.iter().map(|p| p.value).collect();
        Ok(CombinedGrowth {
            series: series.name.clone(),
            figures: series.points.clone(),
            rate: combine_annual(&rates)?,
        })
    }
}

/// Which kind of rate a [`Rate`] row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The latest interval of a level series.
    Recent,
    /// First point to the one before the last.
    Earlier,
    /// First point to the last.
    Whole,
    /// Log-linear least-squares fit over all points.
    Fit,
    /// A growth series with one figure, as stated.
    Stated,
    /// Several yearly figures combined (geometric mean).
    Combined,
    /// The chain's growth, measured from a node.
    Chain,
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Measure::Recent => "latest interval",
            Measure::Earlier => "before the latest interval",
            Measure::Whole => "whole span",
            Measure::Fit => "log-linear fit",
            Measure::Stated => "stated annual figure",
            Measure::Combined => "yearly figures combined",
            Measure::Chain => "chain growth",
        })
    }
}

/// One row of the rates table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rate {
    /// Series name.
    pub series: String,
    /// What kind of rate.
    pub measure: Measure,
    /// Start of the period it covers.
    pub from: CalendarDate,
    /// End of the period it covers.
    pub to: CalendarDate,
    /// Length of the period in years.
    pub years: f64,
    /// Compound annual growth rate (0.3 = 30% a year).
    pub rate: f64,
}

/// The growth of every series of the bandwidth data.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::bandwidth::{BandwidthData, BandwidthGrowth, Measure};
/// let growth = BandwidthGrowth::compute(&BandwidthData::shipped())?;
/// let akamai = growth.rates().into_iter()
///     .find(|r| r.series == "Akamai global average" && r.measure == Measure::Combined)
///     .unwrap();
/// assert!((akamai.rate - 0.1893).abs() < 1e-4);
/// # Ok::<(), btcaddr_analytics::bandwidth::RatesError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandwidthGrowth {
    /// Level series (speeds), in data order.
    pub levels: Vec<LevelGrowth>,
    /// Growth-figure series, in data order.
    pub growth: Vec<CombinedGrowth>,
}

impl BandwidthGrowth {
    /// Computes every series' rates.
    pub fn compute(data: &BandwidthData) -> Result<Self, RatesError> {
        let mut levels = Vec::new();
        let mut growth = Vec::new();
        for series in data.series() {
            let error = |source| RatesError {
                series: series.name.clone(),
                origin: series.origin.clone(),
                source,
            };
            match series.kind {
                SeriesKind::Level => levels.push(LevelGrowth::compute(series).map_err(error)?),
                SeriesKind::Growth => growth.push(CombinedGrowth::compute(series).map_err(error)?),
            }
        }
        Ok(BandwidthGrowth { levels, growth })
    }

    /// The rates table: per level series its latest interval, the span before it, the whole span
    /// and the fit; per growth series its stated or combined rate.
    pub fn rates(&self) -> Vec<Rate> {
        let mut rows = Vec::new();
        for level in &self.levels {
            let row = |measure, g: &IntervalGrowth| Rate {
                series: level.series.clone(),
                measure,
                from: g.from,
                to: g.to,
                years: g.years,
                rate: g.rate,
            };
            rows.push(row(Measure::Recent, &level.recent));
            if let Some(earlier) = &level.earlier {
                rows.push(row(Measure::Earlier, earlier));
            }
            rows.push(row(Measure::Whole, &level.whole));
            // The fit spans the whole series; only its rate differs.
            rows.push(Rate {
                rate: level.fit_rate,
                ..row(Measure::Fit, &level.whole)
            });
        }
        for combined in &self.growth {
            let n = combined.figures.len();
            let (first, last) = (&combined.figures[0], &combined.figures[n - 1]);
            let start =
                CalendarDate::new(first.date.year() - 1, first.date.month(), first.date.day())
                    .unwrap_or(first.date.month_start());
            rows.push(Rate {
                series: combined.series.clone(),
                measure: if n == 1 {
                    Measure::Stated
                } else {
                    Measure::Combined
                },
                from: start,
                to: last.date,
                years: n as f64,
                rate: combined.rate,
            });
        }
        rows
    }
}
