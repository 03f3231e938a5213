//! Growth arithmetic: compound annual growth, combined yearly figures, log-linear fits, projections.
//!
//! Rates are fractions per year (0.30 means 30% a year); times are in years.

/// Why a growth figure cannot be computed from the given numbers.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum GrowthError {
    /// A level is zero, negative or not finite; growth is a ratio of levels.
    #[error("level {0} is not a positive number")]
    NonPositiveLevel(f64),
    /// The two points are not in increasing time order (or are at the same time).
    #[error("the interval of {0} years is not positive")]
    NonPositiveInterval(f64),
    /// A growth rate of −100% or less, or not finite.
    #[error("growth rate {0} is not above −100%")]
    RateOutOfRange(f64),
    /// Combining needs at least one figure; a fit needs two distinct times.
    #[error("not enough points: {0}")]
    TooFewPoints(usize),
    /// The target is never reached at this rate.
    #[error("a target of {target} is never reached from {start} at {rate} a year")]
    Unreachable {
        /// Starting level.
        start: f64,
        /// Target level.
        target: f64,
        /// Annual rate.
        rate: f64,
    },
    /// The result does not fit a floating-point number (e.g. a minutes-long span annualised).
    #[error("the result overflows (the span is too short to annualise)")]
    Overflow,
}

fn check_level(level: f64) -> Result<f64, GrowthError> {
    if level.is_finite() && level > 0.0 {
        Ok(level)
    } else {
        Err(GrowthError::NonPositiveLevel(level))
    }
}

fn check_rate(rate: f64) -> Result<f64, GrowthError> {
    if rate.is_finite() && rate > -1.0 {
        Ok(rate)
    } else {
        Err(GrowthError::RateOutOfRange(rate))
    }
}

fn finite(value: f64) -> Result<f64, GrowthError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(GrowthError::Overflow)
    }
}

/// Compound annual growth rate from `start` at time `t0` to `end` at time `t1` (years):
/// `(end / start)^(1 / (t1 − t0)) − 1`.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::bandwidth::cagr;
/// // OFCOM download, November 2008 to November 2016: 3.6 → 36.2 Mbit/s.
/// let rate = cagr(3.6, 2008.0, 36.2, 2016.0)?;
/// assert!((rate - 0.33445).abs() < 1e-5); // (36.2 / 3.6)^(1/8) - 1
/// # Ok::<(), btcaddr_analytics::bandwidth::GrowthError>(())
/// ```
pub fn cagr(start: f64, t0: f64, end: f64, t1: f64) -> Result<f64, GrowthError> {
    let (start, end) = (check_level(start)?, check_level(end)?);
    let years = t1 - t0;
    if !(years.is_finite() && years > 0.0) {
        return Err(GrowthError::NonPositiveInterval(years));
    }
    finite(((end / start).ln() / years).exp() - 1.0)
}

/// One annual rate equivalent to consecutive yearly growth figures: their geometric mean,
/// `((1 + g₁)(1 + g₂)…(1 + gₙ))^(1/n) − 1`.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::bandwidth::combine_annual;
/// // Akamai: +23% (Q1 2015–Q1 2016), then +15% (Q1 2016–Q1 2017).
/// let rate = combine_annual(&[0.23, 0.15])?;
/// assert!((rate - ((1.23f64 * 1.15).sqrt() - 1.0)).abs() < 1e-12);
/// # Ok::<(), btcaddr_analytics::bandwidth::GrowthError>(())
/// ```
pub fn combine_annual(rates: &[f64]) -> Result<f64, GrowthError> {
    if rates.is_empty() {
        return Err(GrowthError::TooFewPoints(0));
    }
    let mut log_sum = 0.0;
    for &rate in rates {
        log_sum += check_rate(rate)?.ln_1p();
    }
    finite((log_sum / rates.len() as f64).exp_m1())
}

/// Least-squares line through `(t, ln value)`: `ln v ≈ intercept + slope · t`.
///
/// The slope is the continuous growth rate per year; [`LogLinearFit::annual_rate`] turns it into
/// a compound annual rate. Unlike an endpoint rate it uses every point, so one odd point moves it less.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::bandwidth::LogLinearFit;
/// // Points on exact 10%-a-year growth are fitted exactly.
/// let points = [(0.0, 100.0), (1.0, 110.0), (3.0, 133.1)];
/// let fit = LogLinearFit::fit(&points)?;
/// assert!((fit.annual_rate()? - 0.10).abs() < 1e-9);
/// assert!((fit.value_at(2.0) - 121.0).abs() < 1e-9);
/// # Ok::<(), btcaddr_analytics::bandwidth::GrowthError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LogLinearFit {
    /// `ln value` at time 0.
    pub intercept: f64,
    /// Change of `ln value` per year (continuous growth rate).
    pub slope: f64,
    /// Share of the variance of `ln value` the line explains (1 for a perfect fit; 1 when the
    /// values do not vary at all).
    pub r_squared: f64,
    /// Number of points fitted.
    pub points: usize,
}

impl LogLinearFit {
    /// Fits `(time in years, positive value)` points; needs two distinct times.
    pub fn fit(points: &[(f64, f64)]) -> Result<Self, GrowthError> {
        if points.len() < 2 {
            return Err(GrowthError::TooFewPoints(points.len()));
        }
        let mut logs = Vec::with_capacity(points.len());
        for &(t, v) in points {
            if !t.is_finite() {
                return Err(GrowthError::NonPositiveInterval(t));
            }
            logs.push((t, check_level(v)?.ln()));
        }
        let n = logs.len() as f64;
        let mean_t = logs.iter().map(|p| p.0).sum::<f64>() / n;
        let mean_y = logs.iter().map(|p| p.1).sum::<f64>() / n;
        let sxx: f64 = logs.iter().map(|p| (p.0 - mean_t).powi(2)).sum();
        let sxy: f64 = logs.iter().map(|p| (p.0 - mean_t) * (p.1 - mean_y)).sum();
        let syy: f64 = logs.iter().map(|p| (p.1 - mean_y).powi(2)).sum();
        if sxx <= 0.0 {
            return Err(GrowthError::TooFewPoints(1));
        }
        let slope = sxy / sxx;
        let r_squared = if syy > 0.0 {
            (sxy * sxy) / (sxx * syy)
        } else {
            1.0
        };
        Ok(LogLinearFit {
            intercept: mean_y - slope * mean_t,
            slope,
            r_squared,
            points: logs.len(),
        })
    }

    /// The compound annual growth rate of the fitted line, `e^slope − 1`.
    pub fn annual_rate(&self) -> Result<f64, GrowthError> {
        finite(self.slope.exp_m1())
    }

    /// The fitted value at time `t` (years).
    pub fn value_at(&self, t: f64) -> f64 {
        (self.intercept + self.slope * t).exp()
    }
}

/// The value after `years` of growth at `rate` a year: `value · (1 + rate)^years`.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::bandwidth::value_after;
/// assert!((value_after(36.2, 0.15, 2.0)? - 36.2 * 1.15 * 1.15).abs() < 1e-9);
/// # Ok::<(), btcaddr_analytics::bandwidth::GrowthError>(())
/// ```
pub fn value_after(value: f64, rate: f64, years: f64) -> Result<f64, GrowthError> {
    let value = check_level(value)?;
    let rate = check_rate(rate)?;
    finite(value * (years * rate.ln_1p()).exp())
}

/// Years until `start` reaches `target` at `rate` a year: `ln(target / start) / ln(1 + rate)`.
///
/// Zero when the target is already reached; [`GrowthError::Unreachable`] when the rate moves
/// away from it (or is zero).
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::bandwidth::years_until;
/// // Doubling at 18.9% a year takes about 4 years.
/// let years = years_until(1.0, 2.0, 0.189)?;
/// assert!((years - 2f64.ln() / 1.189f64.ln()).abs() < 1e-12);
/// # Ok::<(), btcaddr_analytics::bandwidth::GrowthError>(())
/// ```
pub fn years_until(start: f64, target: f64, rate: f64) -> Result<f64, GrowthError> {
    let (start, target) = (check_level(start)?, check_level(target)?);
    let rate = check_rate(rate)?;
    if start == target {
        return Ok(0.0);
    }
    let years = (target / start).ln() / rate.ln_1p();
    if years.is_finite() && years > 0.0 {
        Ok(years)
    } else {
        Err(GrowthError::Unreachable {
            start,
            target,
            rate,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cagr_rejects_bad_input() {
        assert_eq!(
            cagr(0.0, 0.0, 1.0, 1.0),
            Err(GrowthError::NonPositiveLevel(0.0))
        );
        assert_eq!(
            cagr(1.0, 0.0, -1.0, 1.0),
            Err(GrowthError::NonPositiveLevel(-1.0))
        );
        assert_eq!(
            cagr(1.0, 1.0, 2.0, 1.0),
            Err(GrowthError::NonPositiveInterval(0.0))
        );
        assert_eq!(cagr(1.0, 0.0, 2.0, 1e-6), Err(GrowthError::Overflow));
    }

    #[test]
    fn cagr_of_doubling_in_one_year() {
        assert!((cagr(5.0, 2000.0, 10.0, 2001.0).unwrap() - 1.0).abs() < 1e-12);
        assert!((cagr(10.0, 2000.0, 5.0, 2001.0).unwrap() + 0.5).abs() < 1e-12);
    }

    #[test]
    fn combine_rejects_impossible_rates() {
        assert_eq!(combine_annual(&[]), Err(GrowthError::TooFewPoints(0)));
        assert_eq!(
            combine_annual(&[0.1, -1.0]),
            Err(GrowthError::RateOutOfRange(-1.0))
        );
        assert!((combine_annual(&[0.3]).unwrap() - 0.3).abs() < 1e-12);
    }

    #[test]
    fn fit_needs_two_times() {
        assert_eq!(
            LogLinearFit::fit(&[(1.0, 2.0)]),
            Err(GrowthError::TooFewPoints(1))
        );
        assert!(LogLinearFit::fit(&[(1.0, 2.0), (1.0, 3.0)]).is_err());
        assert!(LogLinearFit::fit(&[(1.0, 2.0), (2.0, 0.0)]).is_err());
    }

    #[test]
    fn years_until_edges() {
        assert_eq!(years_until(2.0, 2.0, 0.1), Ok(0.0));
        assert!(matches!(
            years_until(1.0, 2.0, 0.0),
            Err(GrowthError::Unreachable { .. })
        ));
        assert!(matches!(
            years_until(1.0, 2.0, -0.1),
            Err(GrowthError::Unreachable { .. })
        ));
        assert!((years_until(2.0, 1.0, -0.5).unwrap() - 1.0).abs() < 1e-12);
    }
}
