//! The chain's own growth: bytes per day and mean block size by month, and their annual growth,
//! from a sample of blocks (one in `every`) of a node.
//!
//! # Method
//!
//! Blocks `from, from + every, …` and `to` are sampled (size and header time). Each pair of
//! consecutive samples is an *interval*: its blocks are estimated at the first sample's size,
//! its duration is the difference of the header times. Then
//!
//! - a month's **bytes per day** is the sum of its intervals' estimated bytes over the sum of
//!   their durations (intervals belong to the month their first sample falls in);
//! - a month's **mean block size** is the mean size of its samples;
//! - **growth** is a least-squares line through ln(value) against time in days (bytes per day:
//!   one point per interval; block size: one point per sample), giving a daily rate and, when the
//!   span is long enough, an annual rate `e^(365.25 · slope) − 1`; the *endpoint* rate compares
//!   the first and last month.
//!
//! # Short spans
//!
//! A regtest chain made by a simulator spans minutes or days. Its per-day rates are real
//! measurements, but an annual rate extrapolated from less than [`MIN_ANNUAL_SPAN_DAYS`] days says
//! nothing (and overflows for minutes-long spans), so `annual_rate` is `None` then and the report
//! shows the daily rate and the growth over the span instead. Intervals whose header times do not
//! increase (timestamps may go backwards; regtest blocks can share a second) give no bytes-per-day
//! point.

use std::collections::BTreeMap;

use serde::Serialize;

use super::date::CalendarDate;
use super::growth::{cagr, LogLinearFit};

/// Shortest span, in days, over which a rate is annualised.
pub const MIN_ANNUAL_SPAN_DAYS: f64 = 30.0;

/// Default sampling: one block in 144 (about one a day).
pub const DEFAULT_EVERY: u32 = 144;

const SECONDS_PER_DAY: f64 = 86_400.0;
const DAYS_PER_YEAR: f64 = 365.25;

/// One sampled block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BlockSample {
    /// Height.
    pub height: u32,
    /// Header timestamp, seconds since the Unix epoch.
    pub time: u32,
    /// Serialized size in bytes.
    pub size: u64,
}

/// The heights sampled for `from..=to`, one in `every`, always including `to`.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::bandwidth::chain::sample_heights;
/// assert_eq!(sample_heights(10, 30, 8), [10, 18, 26, 30]);
/// assert_eq!(sample_heights(5, 5, 144), [5]);
/// ```
pub fn sample_heights(from: u32, to: u32, every: u32) -> Vec<u32> {
    let step = every.max(1) as usize;
    let mut heights: Vec<u32> = (from..=to).step_by(step).collect();
    if heights.last() != Some(&to) && from <= to {
        heights.push(to);
    }
    heights
}

/// Why chain growth cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChainGrowthError {
    /// Fewer than two samples: no interval to measure.
    #[error("chain growth needs at least two sampled blocks, got {0} (widen --from/--to)")]
    TooFewSamples(usize),
    /// Samples out of height order.
    #[error("samples are not in increasing height order at height {0}")]
    Unordered(u32),
}

/// One calendar month of the chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthGrowth {
    /// `YYYY-MM`.
    pub month: String,
    /// Samples whose header time falls in the month.
    pub samples: usize,
    /// Mean size of those samples, bytes.
    pub mean_block_size: f64,
    /// Estimated bytes added per day (None when the month's intervals have no positive duration).
    pub bytes_per_day: Option<f64>,
    /// Blocks per day over the month's intervals.
    pub blocks_per_day: Option<f64>,
}

/// Growth of one chain measure (bytes per day or mean block size).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrowthEstimate {
    /// Points the fit used.
    pub points: usize,
    /// Least-squares fit of ln(value) against days since the first sample.
    pub fit: Option<LogLinearFit>,
    /// The fit's rate per day, `e^slope − 1`.
    pub daily_rate: Option<f64>,
    /// Fitted growth over the whole span, `e^(slope · span_days) − 1`.
    pub span_growth: Option<f64>,
    /// The fit's compound annual rate; None for spans under [`MIN_ANNUAL_SPAN_DAYS`].
    pub annual_rate: Option<f64>,
    /// Compound annual rate from the first month's value to the last month's (at their mean
    /// sample times); None under [`MIN_ANNUAL_SPAN_DAYS`] or with a single month.
    pub endpoint_annual_rate: Option<f64>,
}

impl GrowthEstimate {
    fn new(
        points: &[(f64, f64)],
        span_days: f64,
        endpoints: Option<((f64, f64), (f64, f64))>,
    ) -> Self {
        let fit = LogLinearFit::fit(points).ok();
        let long_enough = span_days >= MIN_ANNUAL_SPAN_DAYS;
        let annual = |slope_per_day: f64| {
            let rate = (slope_per_day * DAYS_PER_YEAR).exp_m1();
            rate.is_finite().then_some(rate)
        };
        let endpoint_annual_rate =
            endpoints
                .filter(|_| long_enough)
                .and_then(|((t0, v0), (t1, v1))| {
                    cagr(v0, t0 / DAYS_PER_YEAR, v1, t1 / DAYS_PER_YEAR).ok()
                });
        GrowthEstimate {
            points: points.len(),
            daily_rate: fit.map(|f| f.slope.exp_m1()).filter(|r| r.is_finite()),
            span_growth: fit
                .map(|f| (f.slope * span_days).exp_m1())
                .filter(|r| r.is_finite()),
            annual_rate: fit.filter(|_| long_enough).and_then(|f| annual(f.slope)),
            endpoint_annual_rate,
            fit,
        }
    }
}

/// The chain's growth over a sampled height range.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::bandwidth::chain::{BlockSample, ChainGrowth};
/// // One sample a day for 60 days, 1000 bytes growing 1% a day, 144 blocks a day.
/// let samples: Vec<BlockSample> = (0..60u32)
///     .map(|d| BlockSample {
///         height: d * 144,
///         time: 1_600_000_000 + d * 86_400,
///         size: (1000.0 * 1.01f64.powi(d as i32)).round() as u64,
///     })
///     .collect();
/// let growth = ChainGrowth::from_samples(&samples, 144)?;
/// assert!((growth.block_size.daily_rate.unwrap() - 0.01).abs() < 1e-3);
/// let annual = growth.bytes_per_day.annual_rate.unwrap();
/// assert!((annual - (1.01f64.powf(365.25) - 1.0)).abs() / annual < 0.01);
/// # Ok::<(), btcaddr_analytics::bandwidth::chain::ChainGrowthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainGrowth {
    /// First sampled height.
    pub first_height: u32,
    /// Last sampled height.
    pub last_height: u32,
    /// Sampling step (one block in `every`).
    pub every: u32,
    /// Number of samples.
    pub samples: usize,
    /// Header time of the first sample (Unix seconds).
    pub first_time: u32,
    /// Header time of the last sample (Unix seconds).
    pub last_time: u32,
    /// Days between the first and last sample's header times.
    pub span_days: f64,
    /// Estimated bytes per day over the whole range (None without a positive duration).
    pub mean_bytes_per_day: Option<f64>,
    /// Mean size of the samples, bytes.
    pub mean_block_size: f64,
    /// By calendar month (UTC), in order.
    pub months: Vec<MonthGrowth>,
    /// Growth of bytes per day.
    pub bytes_per_day: GrowthEstimate,
    /// Growth of the mean block size.
    pub block_size: GrowthEstimate,
}

impl ChainGrowth {
    /// Computes the chain's growth from samples in increasing height order (see the module docs).
    pub fn from_samples(samples: &[BlockSample], every: u32) -> Result<Self, ChainGrowthError> {
        if samples.len() < 2 {
            return Err(ChainGrowthError::TooFewSamples(samples.len()));
        }
        if let Some(w) = samples.windows(2).find(|w| w[1].height <= w[0].height) {
            return Err(ChainGrowthError::Unordered(w[1].height));
        }
        let (first, last) = (samples[0], samples[samples.len() - 1]);
        let day_of = |time: u32| (f64::from(time) - f64::from(first.time)) / SECONDS_PER_DAY;
        let span_days = day_of(last.time);

        // Per interval: (start sample, estimated bytes, blocks, seconds).
        let intervals: Vec<(BlockSample, f64, f64, f64)> = samples
            .windows(2)
            .map(|w| {
                let blocks = f64::from(w[1].height - w[0].height);
                (
                    w[0],
                    blocks * w[0].size as f64,
                    blocks,
                    f64::from(w[1].time) - f64::from(w[0].time),
                )
            })
            .collect();

        // By month label, so in month order; interval `i` starts at sample `i`.
        let mut months: BTreeMap<String, MonthAccumulator> = BTreeMap::new();
        for (i, sample) in samples.iter().enumerate() {
            let label = CalendarDate::from_unix(i64::from(sample.time)).month_label();
            let acc = months.entry(label).or_default();
            acc.add_sample(sample);
            if let Some(&(_, bytes, blocks, seconds)) = intervals.get(i) {
                acc.bytes += bytes;
                acc.blocks += blocks;
                acc.seconds += seconds;
            }
        }

        let rate_points: Vec<(f64, f64)> = intervals
            .iter()
            .filter(|i| i.3 > 0.0 && i.1 > 0.0)
            .map(|&(start, bytes, _, seconds)| {
                let mid = day_of(start.time) + seconds / SECONDS_PER_DAY / 2.0;
                (mid, bytes / seconds * SECONDS_PER_DAY)
            })
            .collect();
        let size_points: Vec<(f64, f64)> = samples
            .iter()
            .filter(|s| s.size > 0)
            .map(|s| (day_of(s.time), s.size as f64))
            .collect();

        let month_rows: Vec<MonthGrowth> = months.iter().map(|(m, acc)| acc.row(m)).collect();
        let ends = |value: &dyn Fn(&MonthAccumulator) -> Option<f64>| {
            let (a, b) = (months.first_key_value()?.1, months.last_key_value()?.1);
            if months.len() < 2 {
                return None;
            }
            let at = |acc: &MonthAccumulator| acc.mean_day(first.time);
            Some(((at(a), value(a)?), (at(b), value(b)?)))
        };
        let total_seconds: f64 = intervals.iter().map(|i| i.3).sum();
        let total_bytes: f64 = intervals.iter().map(|i| i.1).sum();
        Ok(ChainGrowth {
            first_height: first.height,
            last_height: last.height,
            every,
            samples: samples.len(),
            first_time: first.time,
            last_time: last.time,
            span_days,
            mean_bytes_per_day: (total_seconds > 0.0)
                .then(|| total_bytes / total_seconds * SECONDS_PER_DAY),
            mean_block_size: samples.iter().map(|s| s.size as f64).sum::<f64>()
                / samples.len() as f64,
            bytes_per_day: GrowthEstimate::new(
                &rate_points,
                span_days,
                ends(&|a| a.bytes_per_day()),
            ),
            block_size: GrowthEstimate::new(
                &size_points,
                span_days,
                ends(&|a| Some(a.mean_size())),
            ),
            months: month_rows,
        })
    }
}

#[derive(Debug, Default)]
struct MonthAccumulator {
    samples: usize,
    size_sum: f64,
    time_sum: f64,
    bytes: f64,
    blocks: f64,
    seconds: f64,
}

impl MonthAccumulator {
    fn add_sample(&mut self, sample: &BlockSample) {
        self.samples += 1;
        self.size_sum += sample.size as f64;
        self.time_sum += f64::from(sample.time);
    }

    fn mean_size(&self) -> f64 {
        self.size_sum / self.samples as f64
    }

    /// Mean sample time, in days since `origin` (Unix seconds).
    fn mean_day(&self, origin: u32) -> f64 {
        (self.time_sum / self.samples as f64 - f64::from(origin)) / SECONDS_PER_DAY
    }

    fn bytes_per_day(&self) -> Option<f64> {
        (self.seconds > 0.0 && self.bytes > 0.0)
            .then(|| self.bytes / self.seconds * SECONDS_PER_DAY)
    }

    fn row(&self, month: &str) -> MonthGrowth {
        MonthGrowth {
            month: month.to_string(),
            samples: self.samples,
            mean_block_size: self.mean_size(),
            bytes_per_day: self.bytes_per_day(),
            blocks_per_day: (self.seconds > 0.0)
                .then(|| self.blocks / self.seconds * SECONDS_PER_DAY),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(height: u32, time: u32, size: u64) -> BlockSample {
        BlockSample { height, time, size }
    }

    #[test]
    fn needs_two_ordered_samples() {
        assert_eq!(
            ChainGrowth::from_samples(&[], 1),
            Err(ChainGrowthError::TooFewSamples(0))
        );
        let s = [sample(5, 0, 1), sample(5, 1, 1)];
        assert_eq!(
            ChainGrowth::from_samples(&s, 1),
            Err(ChainGrowthError::Unordered(5))
        );
    }

    #[test]
    fn bytes_per_day_by_hand() {
        // 2 intervals of 10 blocks: 10 × 500 bytes in 6000 s, 10 × 700 bytes in 6000 s.
        // Bytes per day = 12000 / 12000 s × 86400 = 86400; blocks per day = 20 / 12000 × 86400 = 144.
        let t = 1_700_000_000; // 2023-11-14
        let s = [
            sample(0, t, 500),
            sample(10, t + 6000, 700),
            sample(20, t + 12_000, 900),
        ];
        let g = ChainGrowth::from_samples(&s, 10).unwrap();
        assert_eq!(g.months.len(), 1);
        assert_eq!(g.months[0].month, "2023-11");
        assert_eq!(g.months[0].bytes_per_day, Some(86_400.0));
        assert_eq!(g.months[0].blocks_per_day, Some(144.0));
        assert_eq!(g.months[0].mean_block_size, 700.0);
        assert_eq!(g.mean_bytes_per_day, Some(86_400.0));
        // A span of minutes: no annual extrapolation, but a daily rate.
        assert!(g.span_days < 1.0);
        assert_eq!(g.bytes_per_day.annual_rate, None);
        assert_eq!(g.block_size.endpoint_annual_rate, None);
        assert!(g.bytes_per_day.daily_rate.unwrap() > 0.0);
        // Two interval points, 700/500 in 6000 s: span growth e^(ln 1.4 / (6000 s) × 12000 s) − 1 = 0.96.
        assert!((g.bytes_per_day.span_growth.unwrap() - 0.96).abs() < 1e-9);
    }

    #[test]
    fn same_second_blocks_give_no_rate() {
        let s = [sample(0, 100, 500), sample(1, 100, 600)];
        let g = ChainGrowth::from_samples(&s, 1).unwrap();
        assert_eq!(g.mean_bytes_per_day, None);
        assert_eq!(g.months[0].bytes_per_day, None);
        assert_eq!(g.bytes_per_day.fit, None);
        assert_eq!(g.bytes_per_day.daily_rate, None);
        assert!(
            g.block_size.fit.is_none(),
            "one time only: no size fit either"
        );
    }

    #[test]
    fn months_split_by_utc_date() {
        // 2024-01-31 23:00 and 2024-02-01 01:00 UTC.
        let jan = 1_706_742_000;
        let s = [
            sample(0, jan, 100),
            sample(1, jan + 7200, 200),
            sample(2, jan + 7200 * 2, 300),
        ];
        let g = ChainGrowth::from_samples(&s, 1).unwrap();
        let months: Vec<&str> = g.months.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(months, ["2024-01", "2024-02"]);
        assert_eq!(g.months[1].samples, 2);
    }
}
