//! Fee classes and the configurable mixture the simulator draws each transaction's fee from.

use std::fmt;
use std::str::FromStr;

use rand::Rng;
use rand_distr::{Distribution, LogNormal};

/// Why a transaction pays the fee it pays (the manifest's `fee_class` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FeeClass {
    /// A coinbase (no fee).
    Coinbase,
    /// A fan-out transaction of the set-up phase (2 sat/vB).
    Setup,
    /// A round absolute fee: exactly 1000, 5000, 10000… sat.
    RoundFee,
    /// A round rate: exactly rate × vsize for rate 10, 20, 50… sat/vB.
    RoundRate,
    /// A log-normal rate, never a multiple of 1000 sat nor an integer sat/vB.
    Continuous,
}

impl FeeClass {
    /// The manifest spelling.
    ///
    /// ```
    /// assert_eq!(btcaddr_tests::sim::FeeClass::RoundRate.as_str(), "round_rate");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            FeeClass::Coinbase => "coinbase",
            FeeClass::Setup => "setup",
            FeeClass::RoundFee => "round_fee",
            FeeClass::RoundRate => "round_rate",
            FeeClass::Continuous => "continuous",
        }
    }
}

impl fmt::Display for FeeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A fee class name that is not one of [`FeeClass`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown fee class '{0}' (expected coinbase, setup, round_fee, round_rate or continuous)")]
pub struct UnknownFeeClass(pub String);

impl FromStr for FeeClass {
    type Err = UnknownFeeClass;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "coinbase" => FeeClass::Coinbase,
            "setup" => FeeClass::Setup,
            "round_fee" => FeeClass::RoundFee,
            "round_rate" => FeeClass::RoundRate,
            "continuous" => FeeClass::Continuous,
            other => return Err(UnknownFeeClass(other.to_string())),
        })
    }
}

/// Whether `fee` is a round absolute amount (a multiple of 1000 sat).
///
/// ```
/// assert!(btcaddr_tests::sim::is_round_fee(5000));
/// assert!(!btcaddr_tests::sim::is_round_fee(5001));
/// ```
pub fn is_round_fee(fee: u64) -> bool {
    fee > 0 && fee.is_multiple_of(1000)
}

/// Whether `fee` is a round rate for this vsize: an integer multiple of 10 sat/vB × vsize.
///
/// ```
/// assert!(btcaddr_tests::sim::is_round_rate(20 * 141, 141));
/// assert!(!btcaddr_tests::sim::is_round_rate(21 * 141, 141));
/// ```
pub fn is_round_rate(fee: u64, vsize: u64) -> bool {
    vsize > 0 && fee > 0 && fee.is_multiple_of(10 * vsize)
}

/// The fee one transaction was told to pay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FeeChoice {
    /// Exactly this many sat.
    RoundFee(u64),
    /// Exactly this many sat/vB × vsize.
    RoundRate(u64),
    /// About this rate in sat/vB, nudged off any round value.
    Continuous(f64),
    /// Set-up transactions: this rate in sat/vB.
    Setup(u64),
}

impl FeeChoice {
    /// The class for the manifest.
    ///
    /// ```
    /// use btcaddr_tests::sim::{FeeChoice, FeeClass};
    /// assert_eq!(FeeChoice::RoundFee(5000).class(), FeeClass::RoundFee);
    /// ```
    pub fn class(&self) -> FeeClass {
        match self {
            FeeChoice::RoundFee(_) => FeeClass::RoundFee,
            FeeChoice::RoundRate(_) => FeeClass::RoundRate,
            FeeChoice::Continuous(_) => FeeClass::Continuous,
            FeeChoice::Setup(_) => FeeClass::Setup,
        }
    }

    /// The drawn parameter, for the manifest's `class_value` column (sat, sat/vB).
    ///
    /// ```
    /// assert_eq!(btcaddr_tests::sim::FeeChoice::RoundRate(20).class_value(), "20");
    /// ```
    pub fn class_value(&self) -> String {
        match self {
            FeeChoice::RoundFee(v) | FeeChoice::RoundRate(v) | FeeChoice::Setup(v) => v.to_string(),
            FeeChoice::Continuous(rate) => format!("{rate:.3}"),
        }
    }

    /// The fee in sat for a transaction of `vsize` vbytes.
    ///
    /// ```
    /// use btcaddr_tests::sim::FeeChoice;
    /// assert_eq!(FeeChoice::RoundRate(20).fee_for(150), 3000);
    /// assert_eq!(FeeChoice::RoundFee(5000).fee_for(150), 5000);
    /// let fee = FeeChoice::Continuous(10.0).fee_for(150);
    /// assert!(fee % 1000 != 0 && fee % 150 != 0);
    /// ```
    pub fn fee_for(&self, vsize: u64) -> u64 {
        match *self {
            FeeChoice::RoundFee(fee) => fee,
            FeeChoice::RoundRate(rate) | FeeChoice::Setup(rate) => rate * vsize,
            FeeChoice::Continuous(rate) => {
                let mut fee = (rate * vsize as f64).round().max(1.0) as u64;
                // Never accidentally round: no multiple of 1000 sat, no integer sat/vB.
                while is_round_fee(fee) || (vsize > 0 && fee.is_multiple_of(vsize)) {
                    fee += 1;
                }
                fee
            }
        }
    }
}

/// The fee mixture: class weights, the round values and the log-normal rate.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FeeMixture {
    /// Weight of round absolute fees.
    pub round_fee_weight: f64,
    /// Weight of round per-vbyte rates.
    pub round_rate_weight: f64,
    /// Weight of continuous (log-normal) rates.
    pub continuous_weight: f64,
    /// Round fees in sat with their relative weights.
    pub round_fees: Vec<(u64, f64)>,
    /// Round rates in sat/vB with their relative weights.
    pub round_rates: Vec<(u64, f64)>,
    /// Median of the continuous rate, sat/vB.
    pub continuous_median: f64,
    /// Log-space standard deviation of the continuous rate.
    pub continuous_sigma: f64,
    /// No continuous rate below this (sat/vB), so everything relays.
    pub min_rate: f64,
}

impl Default for FeeMixture {
    /// A 2016-like market: a quarter round fees, a third round rates, the rest continuous.
    fn default() -> Self {
        FeeMixture {
            round_fee_weight: 0.25,
            round_rate_weight: 0.35,
            continuous_weight: 0.40,
            round_fees: vec![
                (1_000, 0.10),
                (2_000, 0.10),
                (5_000, 0.25),
                (10_000, 0.25),
                (20_000, 0.15),
                (50_000, 0.10),
                (100_000, 0.05),
            ],
            round_rates: vec![(10, 0.25), (20, 0.25), (50, 0.2), (80, 0.1), (100, 0.2)],
            continuous_median: 30.0,
            continuous_sigma: 0.8,
            min_rate: 1.5,
        }
    }
}

/// A configuration that cannot be drawn from.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MixtureError {
    /// Weights are negative, not finite or all zero.
    #[error("fee mixture weights must be finite, non-negative and not all zero")]
    BadWeights,
    /// A class with weight has no values.
    #[error("fee mixture has weight for {0} but no values")]
    NoValues(&'static str),
    /// Median or sigma unusable for a log-normal.
    #[error("continuous rate needs median > 0 and sigma >= 0 (got {median}, {sigma})")]
    BadLogNormal {
        /// The median given.
        median: f64,
        /// The sigma given.
        sigma: f64,
    },
}

/// A [`FeeMixture`] checked and ready to sample.
#[derive(Debug, Clone)]
pub struct FeeSampler {
    mixture: FeeMixture,
    lognormal: LogNormal<f64>,
}

impl FeeSampler {
    /// Checks the mixture.
    ///
    /// ```
    /// use btcaddr_tests::sim::{FeeMixture, FeeSampler};
    /// let sampler = FeeSampler::new(FeeMixture::default()).unwrap();
    /// ```
    pub fn new(mixture: FeeMixture) -> Result<FeeSampler, MixtureError> {
        let weights = [
            mixture.round_fee_weight,
            mixture.round_rate_weight,
            mixture.continuous_weight,
        ];
        let values = mixture.round_fees.iter().chain(&mixture.round_rates);
        if weights
            .iter()
            .chain(values.map(|(_, w)| w))
            .any(|w| !w.is_finite() || *w < 0.0)
            || weights.iter().sum::<f64>() <= 0.0
        {
            return Err(MixtureError::BadWeights);
        }
        if mixture.round_fee_weight > 0.0 && total_weight(&mixture.round_fees) <= 0.0 {
            return Err(MixtureError::NoValues("round fees"));
        }
        if mixture.round_rate_weight > 0.0 && total_weight(&mixture.round_rates) <= 0.0 {
            return Err(MixtureError::NoValues("round rates"));
        }
        let lognormal = LogNormal::new(
            mixture.continuous_median.max(f64::MIN_POSITIVE).ln(),
            mixture.continuous_sigma,
        )
        .ok()
        .filter(|_| mixture.continuous_median > 0.0)
        .ok_or(MixtureError::BadLogNormal {
            median: mixture.continuous_median,
            sigma: mixture.continuous_sigma,
        })?;
        Ok(FeeSampler { mixture, lognormal })
    }

    /// Draws one transaction's fee.
    ///
    /// ```
    /// use rand::SeedableRng;
    /// use btcaddr_tests::sim::{FeeMixture, FeeSampler};
    /// let sampler = FeeSampler::new(FeeMixture::default()).unwrap();
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    /// let choice = sampler.draw(&mut rng);
    /// ```
    pub fn draw<R: Rng>(&self, rng: &mut R) -> FeeChoice {
        let m = &self.mixture;
        let total = m.round_fee_weight + m.round_rate_weight + m.continuous_weight;
        let pick = rng.gen::<f64>() * total;
        if pick < m.round_fee_weight {
            FeeChoice::RoundFee(pick_weighted(&m.round_fees, rng))
        } else if pick < m.round_fee_weight + m.round_rate_weight {
            FeeChoice::RoundRate(pick_weighted(&m.round_rates, rng))
        } else {
            let rate = self.lognormal.sample(rng).max(m.min_rate);
            FeeChoice::Continuous(rate)
        }
    }
}

fn total_weight(values: &[(u64, f64)]) -> f64 {
    values.iter().map(|(_, w)| w).sum()
}

fn pick_weighted<R: Rng>(values: &[(u64, f64)], rng: &mut R) -> u64 {
    let mut pick = rng.gen::<f64>() * total_weight(values);
    for (value, weight) in values {
        if pick < *weight {
            return *value;
        }
        pick -= weight;
    }
    values.last().map(|(v, _)| *v).unwrap_or(0)
}
