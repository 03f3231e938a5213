//! Fee metrics: per transaction, per block and per height range.
//!
//! Pure arithmetic over [`BlockFees`]; no I/O. Definitions (the issue asks to pin them):
//!
//! - **Fee rate** of a transaction: `fee / vsize` in sat/vB as an `f64` (before segwit `vsize`
//!   equals `size`, so this is the 2016 post's sat/byte).
//! - **Fee classes** (see [`FeeClass`]): a *zero-fee* transaction is its own class and is
//!   **not** counted as a round fee, although 0 is a multiple of every number: it pays no fee
//!   at all, so it says nothing about how payers choose fees. A *round fee* is `fee > 0` and
//!   `fee % round_fee == 0`. A *round rate* is a fee that is not round but is exactly
//!   `k × round_rate × vsize` for an integer `k ≥ 1`. A transaction is in at most one class.
//! - **Core-compatible block figures**: `min/max/avg` fee rate and the rate percentiles use the
//!   exact definitions of Bitcoin Core's `getblockstats`, so tests can compare them exactly:
//!   each transaction's rate is the integer `fee * 4 / weight` (truncated), `avg_fee_rate` is
//!   `total_fee * 4 / total_weight` (truncated), `median_fee` is the truncated median of fees, and
//!   the percentiles are *weight-weighted*: sort `(rate, weight)` pairs ascending, walk them
//!   summing weights, and the p-th percentile is the first rate at which the cumulative weight
//!   reaches `p × total_weight` (Core's `CalculatePercentilesByWeight`, p = 10, 25, 50, 75, 90).
//! - **Rate to get in** of a block: the second-cheapest non-coinbase transaction's exact rate
//!   (`f64`), as in the post. Blocks with fewer than 2 non-coinbase transactions have none;
//!   they are left out of the range's mean (and counted in [`RangeTable::blocks_without_rate_to_get_in`]).
//! - **Range means**: mean fee = total fee / transactions; mean fee rate = mean over
//!   transactions of their rates (the post's figure, not total fee / total vsize).

use crate::block::{BlockFees, TxFee};
use crate::payer::PayerType;
use serde::{Deserialize, Serialize};

/// Settings that shape the metrics: what counts as a round fee or a round rate.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::metrics::FeeSettings;
/// let s = FeeSettings::default();
/// assert_eq!((s.round_fee, s.round_rate), (1000, 10));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeSettings {
    /// A fee that is a positive multiple of this many satoshi is "round" (`--round-fee`).
    pub round_fee: u64,
    /// A fee that is exactly `k × round_rate × vsize` is a "round rate" (`--round-rate`, sat/vB).
    pub round_rate: u64,
}

impl Default for FeeSettings {
    fn default() -> Self {
        FeeSettings {
            round_fee: 1000,
            round_rate: 10,
        }
    }
}

/// How a transaction's fee was chosen, as far as its number shows.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::metrics::{FeeClass, FeeSettings};
/// let s = FeeSettings::default();
/// assert_eq!(FeeClass::of(5000, 226, &s), FeeClass::RoundFee);
/// assert_eq!(FeeClass::of(4520, 226, &s), FeeClass::RoundRate); // 20 sat/vB × 226
/// assert_eq!(FeeClass::of(0, 226, &s), FeeClass::Zero);
/// assert_eq!(FeeClass::of(4521, 226, &s), FeeClass::Other);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeClass {
    /// No fee at all (not counted as round).
    Zero,
    /// A positive multiple of `round_fee` satoshi.
    RoundFee,
    /// Not a round fee, but exactly an integer multiple of `round_rate × vsize`.
    RoundRate,
    /// Anything else.
    Other,
}

impl FeeClass {
    /// Classifies a fee paid by a transaction of `vsize` virtual bytes.
    pub fn of(fee: u64, vsize: u32, settings: &FeeSettings) -> FeeClass {
        if fee == 0 {
            return FeeClass::Zero;
        }
        if settings.round_fee > 0 && fee.is_multiple_of(settings.round_fee) {
            return FeeClass::RoundFee;
        }
        let unit = settings.round_rate.saturating_mul(u64::from(vsize));
        if unit > 0 && fee.is_multiple_of(unit) {
            return FeeClass::RoundRate;
        }
        FeeClass::Other
    }

    /// Short lower-case name, as written in frames and manifests.
    pub fn as_str(self) -> &'static str {
        match self {
            FeeClass::Zero => "zero",
            FeeClass::RoundFee => "round_fee",
            FeeClass::RoundRate => "round_rate",
            FeeClass::Other => "other",
        }
    }
}

/// Bitcoin Core's per-transaction rate in `getblockstats`: `fee * 4 / weight`, truncated.
///
/// # Examples
///
/// ```
/// assert_eq!(btcaddr_analytics::metrics::core_fee_rate(1000, 563), 7);
/// ```
pub fn core_fee_rate(fee: u64, weight: u64) -> u64 {
    if weight == 0 {
        0
    } else {
        (u128::from(fee) * 4 / u128::from(weight)) as u64
    }
}

/// Weight-weighted percentiles of `(rate, weight)` pairs at 10, 25, 50, 75 and 90 %, exactly as
/// Bitcoin Core's `CalculatePercentilesByWeight` (sorts `scores` in place). All zero when empty.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::metrics::percentiles_by_weight;
/// let mut scores = vec![(5, 400), (1, 400), (3, 200)];
/// assert_eq!(percentiles_by_weight(&mut scores), [1, 1, 3, 5, 5]);
/// ```
pub fn percentiles_by_weight(scores: &mut [(u64, u64)]) -> [u64; 5] {
    let mut result = [0u64; 5];
    if scores.is_empty() {
        return result;
    }
    scores.sort_unstable();
    let total: u64 = scores.iter().map(|s| s.1).sum();
    let total = total as f64;
    let thresholds = [
        total / 10.0,
        total / 4.0,
        total / 2.0,
        (total * 3.0) / 4.0,
        (total * 9.0) / 10.0,
    ];
    let mut next = 0;
    let mut cumulative: u64 = 0;
    for &(rate, weight) in scores.iter() {
        cumulative += weight;
        while next < 5 && cumulative as f64 >= thresholds[next] {
            result[next] = rate;
            next += 1;
        }
    }
    let last = scores[scores.len() - 1].0;
    for slot in result.iter_mut().skip(next) {
        *slot = last;
    }
    result
}

/// Median of integers, truncated like Core's `CalculateTruncatedMedian` (sorts in place); 0 when empty.
///
/// # Examples
///
/// ```
/// assert_eq!(btcaddr_analytics::metrics::truncated_median(&mut [4, 1, 2, 9]), 3);
/// ```
pub fn truncated_median(values: &mut [u64]) -> u64 {
    let n = values.len();
    if n == 0 {
        return 0;
    }
    values.sort_unstable();
    if n.is_multiple_of(2) {
        (values[n / 2 - 1] + values[n / 2]) / 2
    } else {
        values[n / 2]
    }
}

/// One transaction's metrics (a row of `txs.parquet`).
///
/// # Examples
///
/// ```
/// use bitcoin::hashes::Hash;
/// use btcaddr_analytics::block::TxFee;
/// use btcaddr_analytics::metrics::{FeeClass, FeeSettings, TxMetrics};
/// let tx = TxFee { txid: Some(bitcoin::Txid::all_zeros()), fee: 5000, size: 250, vsize: 250, weight: 1000, payer: btcaddr_analytics::payer::PayerType::P2wpkh };
/// let m = TxMetrics::new(7, &tx, &FeeSettings::default());
/// assert_eq!((m.fee_rate, m.class), (20.0, FeeClass::RoundFee));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TxMetrics {
    /// Height of the block holding it.
    pub height: u32,
    /// The transaction id (`None` when the run did not compute txids).
    pub txid: Option<bitcoin::Txid>,
    /// Fee in satoshi.
    pub fee: u64,
    /// Size in bytes.
    pub size: u32,
    /// Virtual size in vbytes.
    pub vsize: u32,
    /// Weight in weight units.
    pub weight: u64,
    /// Fee rate in sat/vB.
    pub fee_rate: f64,
    /// Fee class.
    pub class: FeeClass,
    /// The type of the scripts it spends.
    pub payer: PayerType,
}

impl TxMetrics {
    /// Computes the metrics of `tx`, found in the block at `height`.
    pub fn new(height: u32, tx: &TxFee, settings: &FeeSettings) -> TxMetrics {
        TxMetrics {
            height,
            txid: tx.txid,
            fee: tx.fee,
            size: tx.size,
            vsize: tx.vsize,
            weight: tx.weight,
            fee_rate: tx.fee_rate(),
            class: FeeClass::of(tx.fee, tx.vsize, settings),
            payer: tx.payer,
        }
    }
}

/// One block's metrics (a row of `blocks.parquet` / `blocks.csv`).
///
/// Field names match the frame's column names.
///
/// # Examples
///
/// ```
/// use bitcoin::hashes::Hash;
/// use btcaddr_analytics::block::{BlockFees, TxFee};
/// use btcaddr_analytics::metrics::{BlockMetrics, FeeSettings};
/// let tx = |fee, vsize| TxFee { txid: Some(bitcoin::Txid::all_zeros()), fee, size: vsize, vsize, weight: 4 * vsize as u64, payer: btcaddr_analytics::payer::PayerType::P2wpkh };
/// let block = BlockFees {
///     height: 1, hash: bitcoin::BlockHash::all_zeros(), prev_hash: bitcoin::BlockHash::all_zeros(),
///     time: 0, size: 1000, weight: 4000, tx_count: 4,
///     txs: vec![tx(1000, 100), tx(500, 100), tx(3000, 100)],
/// };
/// let m = BlockMetrics::new(&block, &FeeSettings::default());
/// assert_eq!(m.fee_total, 4500);
/// assert_eq!(m.rate_to_get_in, Some(10.0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockMetrics {
    /// Height.
    pub height: u32,
    /// Block hash, hex.
    pub hash: String,
    /// Header time, Unix seconds.
    pub time: u32,
    /// Serialized size in bytes.
    pub size: u64,
    /// Weight in weight units.
    pub weight: u64,
    /// Transactions including the coinbase.
    pub tx_count: u32,
    /// Non-coinbase transactions.
    pub fee_txs: u32,
    /// Sum of fees, satoshi.
    pub fee_total: u64,
    /// Mean fee, satoshi (`None` without non-coinbase transactions).
    pub fee_mean: Option<f64>,
    /// Truncated median fee, satoshi (Core's `medianfee`).
    pub fee_median: u64,
    /// Mean over transactions of the exact fee rate, sat/vB.
    pub fee_rate_mean: Option<f64>,
    /// Core's `avgfeerate`: `fee_total * 4 / total weight of non-coinbase txs`, truncated.
    pub avg_fee_rate: u64,
    /// Core's `minfeerate` (integer sat/vB), 0 when there are no transactions.
    pub min_fee_rate: u64,
    /// Core's `maxfeerate` (integer sat/vB).
    pub max_fee_rate: u64,
    /// Core's `feerate_percentiles[0]`: 10th percentile by weight.
    pub rate_p10: u64,
    /// 25th percentile by weight.
    pub rate_p25: u64,
    /// 50th percentile by weight.
    pub rate_p50: u64,
    /// 75th percentile by weight.
    pub rate_p75: u64,
    /// 90th percentile by weight.
    pub rate_p90: u64,
    /// The second-cheapest transaction's exact rate, sat/vB (`None` with fewer than 2 txs).
    pub rate_to_get_in: Option<f64>,
    /// Transactions paying no fee.
    pub zero_fee_txs: u32,
    /// Transactions paying a round fee.
    pub round_fee_txs: u32,
    /// Transactions paying a round rate (and not a round fee).
    pub round_rate_txs: u32,
    /// `round_fee_txs / fee_txs` (`None` without transactions).
    pub round_fee_share: Option<f64>,
    /// `round_rate_txs / fee_txs`.
    pub round_rate_share: Option<f64>,
    /// Sum of non-coinbase transactions' vsize.
    pub txs_vsize: u64,
    /// Sum of non-coinbase transactions' weight.
    pub txs_weight: u64,
}

impl BlockMetrics {
    /// Computes a block's metrics in O(n log n) for n transactions.
    pub fn new(block: &BlockFees, settings: &FeeSettings) -> BlockMetrics {
        let n = block.txs.len();
        let mut fees = Vec::with_capacity(n);
        let mut rates = Vec::with_capacity(n);
        let mut scores = Vec::with_capacity(n);
        let (mut fee_total, mut txs_vsize, mut txs_weight) = (0u64, 0u64, 0u64);
        let (mut zero, mut round_fee, mut round_rate) = (0u32, 0u32, 0u32);
        let mut rate_sum = 0.0;
        let (mut min_rate, mut max_rate) = (u64::MAX, 0u64);
        for tx in &block.txs {
            fee_total += tx.fee;
            txs_vsize += u64::from(tx.vsize);
            txs_weight += tx.weight;
            fees.push(tx.fee);
            let rate = tx.fee_rate();
            rate_sum += rate;
            rates.push(rate);
            let core_rate = core_fee_rate(tx.fee, tx.weight);
            min_rate = min_rate.min(core_rate);
            max_rate = max_rate.max(core_rate);
            scores.push((core_rate, tx.weight));
            match FeeClass::of(tx.fee, tx.vsize, settings) {
                FeeClass::Zero => zero += 1,
                FeeClass::RoundFee => round_fee += 1,
                FeeClass::RoundRate => round_rate += 1,
                FeeClass::Other => {}
            }
        }
        let p = percentiles_by_weight(&mut scores);
        let rate_to_get_in = if n >= 2 {
            // Partial selection: O(n), no full sort needed for the second-cheapest.
            let (_, second, _) = rates.select_nth_unstable_by(1, f64::total_cmp);
            Some(*second)
        } else {
            None
        };
        let share = |k: u32| (n > 0).then(|| f64::from(k) / n as f64);
        BlockMetrics {
            height: block.height,
            hash: block.hash.to_string(),
            time: block.time,
            size: block.size,
            weight: block.weight,
            tx_count: block.tx_count,
            fee_txs: n as u32,
            fee_total,
            fee_mean: (n > 0).then(|| fee_total as f64 / n as f64),
            fee_median: truncated_median(&mut fees),
            fee_rate_mean: (n > 0).then(|| rate_sum / n as f64),
            avg_fee_rate: core_fee_rate(fee_total, txs_weight),
            min_fee_rate: if n > 0 { min_rate } else { 0 },
            max_fee_rate: max_rate,
            rate_p10: p[0],
            rate_p25: p[1],
            rate_p50: p[2],
            rate_p75: p[3],
            rate_p90: p[4],
            rate_to_get_in,
            zero_fee_txs: zero,
            round_fee_txs: round_fee,
            round_rate_txs: round_rate,
            round_fee_share: share(round_fee),
            round_rate_share: share(round_rate),
            txs_vsize,
            txs_weight,
        }
    }
}

/// Fee histogram with fixed logarithmic bins, so memory stays constant over any range.
///
/// Bin 0 holds zero fees; bin `i ≥ 1` holds fees in `[10^((i-1)/B), 10^(i/B))` with
/// `B = BINS_PER_DECADE`, from 1 sat up to 10^10 sat; larger fees go to the last bin. Round
/// fees are also counted apart, so charts can show their spikes.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::metrics::FeeHistogram;
/// let mut h = FeeHistogram::new();
/// h.add(1000, true);
/// h.add(1001, false);
/// assert_eq!(h.total(), 2);
/// assert_eq!(FeeHistogram::bin_of(0), 0);
/// let (lo, hi) = FeeHistogram::bin_range(FeeHistogram::bin_of(1000));
/// assert!(lo <= 1000.0 && 1000.0 < hi);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeeHistogram {
    /// Count of all fees per bin.
    pub all: Vec<u64>,
    /// Count of round fees per bin.
    pub round: Vec<u64>,
}

impl Default for FeeHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl FeeHistogram {
    /// Bins per decade: fine enough (≈1.2 % wide) that round numbers stand out as spikes.
    pub const BINS_PER_DECADE: usize = 200;
    /// Decades covered from 1 sat.
    pub const DECADES: usize = 10;
    /// Number of bins, the zero bin included.
    pub const BINS: usize = Self::BINS_PER_DECADE * Self::DECADES + 1;

    /// An empty histogram.
    pub fn new() -> Self {
        FeeHistogram {
            all: vec![0; Self::BINS],
            round: vec![0; Self::BINS],
        }
    }

    /// The bin a fee falls in.
    pub fn bin_of(fee: u64) -> usize {
        if fee == 0 {
            return 0;
        }
        // Small epsilon so exact powers like 1000 land in the bin they start, not the one before.
        let pos = (fee as f64).log10() * Self::BINS_PER_DECADE as f64 + 1e-9;
        (pos.floor() as usize + 1).min(Self::BINS - 1)
    }

    /// Lower and upper fee bound of bin `i ≥ 1` (bin 0 is `(0, 1)`).
    pub fn bin_range(i: usize) -> (f64, f64) {
        if i == 0 {
            return (0.0, 1.0);
        }
        let b = Self::BINS_PER_DECADE as f64;
        (10f64.powf((i - 1) as f64 / b), 10f64.powf(i as f64 / b))
    }

    /// Counts one fee.
    pub fn add(&mut self, fee: u64, round: bool) {
        let bin = Self::bin_of(fee);
        self.all[bin] += 1;
        if round {
            self.round[bin] += 1;
        }
    }

    /// Number of fees counted.
    pub fn total(&self) -> u64 {
        self.all.iter().sum()
    }
}

/// The post's table for a height range, with a few extra counts.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::metrics::{FeeSettings, RangeAccumulator};
/// let acc = RangeAccumulator::new(FeeSettings::default());
/// let table = acc.table(&[]);
/// assert_eq!(table.blocks, 0);
/// assert_eq!(table.mean_fee, None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RangeTable {
    /// First height (`None` when empty).
    pub first_height: Option<u32>,
    /// Last height.
    pub last_height: Option<u32>,
    /// Number of blocks.
    pub blocks: u64,
    /// Median block size in bytes (mean of the two middle blocks for an even count).
    pub median_block_size: Option<f64>,
    /// Mean block size in bytes.
    pub mean_block_size: Option<f64>,
    /// Non-coinbase transactions.
    pub transactions: u64,
    /// Transactions paying no fee (not counted as round).
    pub zero_fee_transactions: u64,
    /// Transactions paying a round absolute fee.
    pub round_fee_transactions: u64,
    /// Transactions paying a round rate (not already round fee).
    pub round_rate_transactions: u64,
    /// `round_fee_transactions / transactions`.
    pub round_fee_share: Option<f64>,
    /// `round_rate_transactions / transactions` (a further share).
    pub round_rate_share: Option<f64>,
    /// Sum of fees, satoshi.
    pub total_fee: u64,
    /// Mean fee, satoshi.
    pub mean_fee: Option<f64>,
    /// Mean over transactions of the fee rate, sat/vB.
    pub mean_fee_rate: Option<f64>,
    /// Mean transaction vsize, vB.
    pub mean_tx_vsize: Option<f64>,
    /// Mean over blocks (those with ≥ 2 transactions) of the rate to get in, sat/vB.
    pub mean_rate_to_get_in: Option<f64>,
    /// Blocks left out of that mean for having fewer than 2 non-coinbase transactions.
    pub blocks_without_rate_to_get_in: u64,
}

/// Streaming range accumulator: O(1) memory besides what the caller keeps.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::metrics::{FeeSettings, RangeAccumulator};
/// let mut acc = RangeAccumulator::new(FeeSettings::default());
/// assert_eq!(acc.histogram().total(), 0);
/// ```
#[derive(Debug, Clone)]
pub struct RangeAccumulator {
    settings: FeeSettings,
    transactions: u64,
    zero: u64,
    round_fee: u64,
    round_rate: u64,
    total_fee: u64,
    total_vsize: u64,
    rate_sum: f64,
    get_in_sum: f64,
    get_in_blocks: u64,
    histogram: FeeHistogram,
    /// Indexed by [`PayerType::code`].
    payers: [PayerSums; PayerType::ALL.len()],
}

/// One payer type's running sums.
#[derive(Debug, Clone, Copy, Default)]
struct PayerSums {
    transactions: u64,
    round_fee: u64,
    round_rate: u64,
    rate_sum: f64,
    /// Σ (fee rate − the block's rate to get in), over transactions in blocks that have one.
    over_get_in_sum: f64,
    over_get_in_transactions: u64,
}

/// One row of the table by payer type (summary.json's `by_payer`): who pays round fees.
///
/// Shares and means are over the type's transactions; `None` when there are none to average.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayerRow {
    /// The type of the scripts the transactions spend.
    pub payer: PayerType,
    /// Non-coinbase transactions of this type.
    pub transactions: u64,
    /// Of them, round-fee transactions.
    pub round_fee_transactions: u64,
    /// Of them, round-rate transactions (never also round-fee).
    pub round_rate_transactions: u64,
    /// `round_fee_transactions / transactions`.
    pub round_fee_share: Option<f64>,
    /// `round_rate_transactions / transactions`.
    pub round_rate_share: Option<f64>,
    /// Mean exact fee rate `fee / vsize`, sat/vB.
    pub mean_fee_rate: Option<f64>,
    /// Mean of (fee rate − the block's rate to get in), sat/vB, over the type's transactions in
    /// blocks that have a rate to get in: how much more than needed they paid.
    pub mean_rate_over_get_in: Option<f64>,
}

impl RangeAccumulator {
    /// An empty accumulator.
    pub fn new(settings: FeeSettings) -> Self {
        RangeAccumulator {
            settings,
            transactions: 0,
            zero: 0,
            round_fee: 0,
            round_rate: 0,
            total_fee: 0,
            total_vsize: 0,
            rate_sum: 0.0,
            get_in_sum: 0.0,
            get_in_blocks: 0,
            histogram: FeeHistogram::new(),
            payers: [PayerSums::default(); PayerType::ALL.len()],
        }
    }

    /// Adds a block whose metrics were computed by [`BlockMetrics::new`].
    pub fn add(&mut self, block: &BlockFees, metrics: &BlockMetrics) {
        for tx in &block.txs {
            let rate = tx.fee_rate();
            self.rate_sum += rate;
            let class = FeeClass::of(tx.fee, tx.vsize, &self.settings);
            self.histogram.add(tx.fee, class == FeeClass::RoundFee);
            let payer = &mut self.payers[usize::from(tx.payer.code())];
            payer.transactions += 1;
            payer.round_fee += u64::from(class == FeeClass::RoundFee);
            payer.round_rate += u64::from(class == FeeClass::RoundRate);
            payer.rate_sum += rate;
            if let Some(get_in) = metrics.rate_to_get_in {
                payer.over_get_in_sum += rate - get_in;
                payer.over_get_in_transactions += 1;
            }
        }
        self.transactions += u64::from(metrics.fee_txs);
        self.zero += u64::from(metrics.zero_fee_txs);
        self.round_fee += u64::from(metrics.round_fee_txs);
        self.round_rate += u64::from(metrics.round_rate_txs);
        self.total_fee += metrics.fee_total;
        self.total_vsize += metrics.txs_vsize;
        if let Some(r) = metrics.rate_to_get_in {
            self.get_in_sum += r;
            self.get_in_blocks += 1;
        }
    }

    /// The table by payer type: a row per type with transactions, most transactions first
    /// (ties in [`PayerType::ALL`] order).
    ///
    /// ```
    /// use btcaddr_analytics::metrics::{FeeSettings, RangeAccumulator};
    /// assert!(RangeAccumulator::new(FeeSettings::default()).by_payer().is_empty());
    /// ```
    pub fn by_payer(&self) -> Vec<PayerRow> {
        let mut rows: Vec<PayerRow> = PayerType::ALL
            .into_iter()
            .zip(&self.payers)
            .filter(|(_, sums)| sums.transactions > 0)
            .map(|(payer, p)| {
                let per = |x: f64, n: u64| (n > 0).then(|| x / n as f64);
                PayerRow {
                    payer,
                    transactions: p.transactions,
                    round_fee_transactions: p.round_fee,
                    round_rate_transactions: p.round_rate,
                    round_fee_share: per(p.round_fee as f64, p.transactions),
                    round_rate_share: per(p.round_rate as f64, p.transactions),
                    mean_fee_rate: per(p.rate_sum, p.transactions),
                    mean_rate_over_get_in: per(p.over_get_in_sum, p.over_get_in_transactions),
                }
            })
            .collect();
        // Stable: equal counts keep the ALL order.
        rows.sort_by_key(|r| std::cmp::Reverse(r.transactions));
        rows
    }

    /// The fee histogram so far.
    pub fn histogram(&self) -> &FeeHistogram {
        &self.histogram
    }

    /// The range table, given every block's metrics (for block counts and sizes).
    pub fn table(&self, blocks: &[BlockMetrics]) -> RangeTable {
        let n = blocks.len();
        let mut sizes: Vec<u64> = blocks.iter().map(|b| b.size).collect();
        sizes.sort_unstable();
        let median_block_size = match n {
            0 => None,
            _ if n % 2 == 1 => Some(sizes[n / 2] as f64),
            _ => Some((sizes[n / 2 - 1] as f64 + sizes[n / 2] as f64) / 2.0),
        };
        let t = self.transactions;
        let per_tx = |x: f64| (t > 0).then(|| x / t as f64);
        RangeTable {
            first_height: blocks.first().map(|b| b.height),
            last_height: blocks.last().map(|b| b.height),
            blocks: n as u64,
            median_block_size,
            mean_block_size: (n > 0)
                .then(|| sizes.iter().map(|&s| s as f64).sum::<f64>() / n as f64),
            transactions: t,
            zero_fee_transactions: self.zero,
            round_fee_transactions: self.round_fee,
            round_rate_transactions: self.round_rate,
            round_fee_share: per_tx(self.round_fee as f64),
            round_rate_share: per_tx(self.round_rate as f64),
            total_fee: self.total_fee,
            mean_fee: per_tx(self.total_fee as f64),
            mean_fee_rate: per_tx(self.rate_sum),
            mean_tx_vsize: per_tx(self.total_vsize as f64),
            mean_rate_to_get_in: (self.get_in_blocks > 0)
                .then(|| self.get_in_sum / self.get_in_blocks as f64),
            blocks_without_rate_to_get_in: n as u64 - self.get_in_blocks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::hashes::Hash;

    fn tx(fee: u64, vsize: u32, weight: u64) -> TxFee {
        TxFee {
            txid: Some(bitcoin::Txid::all_zeros()),
            fee,
            size: vsize,
            vsize,
            weight,
            payer: crate::payer::PayerType::P2wpkh,
        }
    }

    fn block(height: u32, size: u64, txs: Vec<TxFee>) -> BlockFees {
        BlockFees {
            height,
            hash: bitcoin::BlockHash::all_zeros(),
            prev_hash: bitcoin::BlockHash::all_zeros(),
            time: 1_466_000_000 + height,
            size,
            weight: size * 4,
            tx_count: txs.len() as u32 + 1,
            txs,
        }
    }

    #[test]
    fn classes_follow_the_documented_rules() {
        let s = FeeSettings::default();
        assert_eq!(FeeClass::of(0, 100, &s), FeeClass::Zero);
        assert_eq!(FeeClass::of(1000, 100, &s), FeeClass::RoundFee);
        // 2000 is also 20 sat/vB × 100: a round fee wins, never counted twice.
        assert_eq!(FeeClass::of(2000, 100, &s), FeeClass::RoundFee);
        assert_eq!(FeeClass::of(2260, 226, &s), FeeClass::RoundRate);
        assert_eq!(FeeClass::of(2261, 226, &s), FeeClass::Other);
        // 1130 = 5 × 226: a multiple of vsize but not of 10 × vsize.
        assert_eq!(FeeClass::of(1130, 226, &s), FeeClass::Other);
        let custom = FeeSettings {
            round_fee: 500,
            round_rate: 1,
        };
        assert_eq!(FeeClass::of(1500, 7, &custom), FeeClass::RoundFee);
        assert_eq!(FeeClass::of(1501, 80, &custom), FeeClass::Other);
        assert_eq!(FeeClass::of(1501, 19, &custom), FeeClass::RoundRate);
    }

    #[test]
    fn percentiles_match_core_walk() {
        // Weights 100..: cumulative 100, 300, 600, 1000 of total 1000.
        let mut scores = vec![(40, 400), (10, 100), (30, 300), (20, 200)];
        // thresholds 100, 250, 500, 750, 900
        assert_eq!(percentiles_by_weight(&mut scores), [10, 20, 30, 40, 40]);
        let mut one = vec![(7, 561)];
        assert_eq!(percentiles_by_weight(&mut one), [7; 5]);
        assert_eq!(percentiles_by_weight(&mut []), [0; 5]);
        // Equal rates sort by weight, as Core's pair sort does.
        let mut ties = vec![(5, 10), (5, 1), (1, 1)];
        assert_eq!(percentiles_by_weight(&mut ties), [5, 5, 5, 5, 5]);
    }

    #[test]
    fn block_metrics_known_values() {
        let b = block(
            100,
            5000,
            vec![
                tx(0, 200, 800),       // zero; core rate 0
                tx(5000, 250, 1000),   // round fee; rate 20
                tx(4520, 226, 904),    // round rate (20 × 226); rate 20
                tx(1234, 100, 397), // other; vsize 100 (weight 397 → ceil/4 = 100); core 1234*4/397 = 12
                tx(30_000, 300, 1200), // round fee; rate 100
            ],
        );
        let m = BlockMetrics::new(&b, &FeeSettings::default());
        assert_eq!(m.fee_txs, 5);
        assert_eq!(m.fee_total, 40_754);
        assert_eq!(m.fee_mean, Some(40_754.0 / 5.0));
        assert_eq!(m.fee_median, 4520);
        assert_eq!(m.min_fee_rate, 0);
        assert_eq!(m.max_fee_rate, 100);
        assert_eq!(m.avg_fee_rate, 40_754 * 4 / 4301);
        // (rate, weight) sorted: (0,800) (12,397) (20,904) (20,1000) (100,1200); total 4301.
        // cumulative: 800, 1197, 2101, 3101, 4301; thresholds 430.1, 1075.25, 2150.5, 3225.75, 3870.9
        assert_eq!(
            [m.rate_p10, m.rate_p25, m.rate_p50, m.rate_p75, m.rate_p90],
            [0, 12, 20, 100, 100]
        );
        assert_eq!(m.rate_to_get_in, Some(12.34));
        assert_eq!(
            (m.zero_fee_txs, m.round_fee_txs, m.round_rate_txs),
            (1, 2, 1)
        );
        assert_eq!(m.round_fee_share, Some(0.4));
        assert_eq!(m.round_rate_share, Some(0.2));
        let expected_mean_rate = (0.0 + 20.0 + 20.0 + 12.34 + 100.0) / 5.0;
        assert!((m.fee_rate_mean.unwrap() - expected_mean_rate).abs() < 1e-12);
    }

    #[test]
    fn small_blocks_have_no_rate_to_get_in() {
        let s = FeeSettings::default();
        let empty = BlockMetrics::new(&block(1, 300, vec![]), &s);
        assert_eq!(empty.rate_to_get_in, None);
        assert_eq!(empty.fee_mean, None);
        assert_eq!(empty.round_fee_share, None);
        assert_eq!(empty.min_fee_rate, 0);
        let single = BlockMetrics::new(&block(2, 500, vec![tx(1000, 100, 400)]), &s);
        assert_eq!(single.rate_to_get_in, None);
        assert_eq!(single.rate_p50, 10);
    }

    #[test]
    fn range_table_known_values() {
        let s = FeeSettings::default();
        let blocks = [
            block(10, 1000, vec![tx(1000, 100, 400), tx(2500, 250, 1000)]),
            block(11, 3000, vec![tx(777, 111, 444)]),
            block(
                12,
                2000,
                vec![tx(3000, 100, 400), tx(600, 200, 800), tx(999, 100, 400)],
            ),
        ];
        let mut acc = RangeAccumulator::new(s);
        let metrics: Vec<_> = blocks
            .iter()
            .map(|b| {
                let m = BlockMetrics::new(b, &s);
                acc.add(b, &m);
                m
            })
            .collect();
        let t = acc.table(&metrics);
        assert_eq!(t.blocks, 3);
        assert_eq!((t.first_height, t.last_height), (Some(10), Some(12)));
        assert_eq!(t.median_block_size, Some(2000.0));
        assert_eq!(t.mean_block_size, Some(2000.0));
        assert_eq!(t.transactions, 6);
        assert_eq!(t.round_fee_transactions, 2); // 1000, 3000
        assert_eq!(t.round_rate_transactions, 1); // 2500 = 10 × 250; 777 = 7 × 111 is not
        assert_eq!(t.total_fee, 8876);
        assert_eq!(t.mean_fee, Some(8876.0 / 6.0));
        let rates = 10.0 + 10.0 + 7.0 + 30.0 + 3.0 + 9.99;
        assert!((t.mean_fee_rate.unwrap() - rates / 6.0).abs() < 1e-12);
        // Block 10: rates 10, 10 → 10; block 11 excluded; block 12: 3, 9.99, 30 → 9.99.
        assert!((t.mean_rate_to_get_in.unwrap() - (10.0 + 9.99) / 2.0).abs() < 1e-12);
        assert_eq!(t.blocks_without_rate_to_get_in, 1);
        assert_eq!(acc.histogram().total(), 6);
        assert_eq!(acc.histogram().round.iter().sum::<u64>(), 2);
    }

    #[test]
    fn histogram_bins_are_stable_at_round_numbers() {
        for fee in [1u64, 10, 100, 1000, 5000, 10_000, 100_000] {
            let (lo, hi) = FeeHistogram::bin_range(FeeHistogram::bin_of(fee));
            assert!(
                lo <= fee as f64 * (1.0 + 1e-9) && (fee as f64) < hi,
                "{fee}"
            );
        }
        assert_ne!(FeeHistogram::bin_of(1000), FeeHistogram::bin_of(1030));
        assert_eq!(FeeHistogram::bin_of(u64::MAX), FeeHistogram::BINS - 1);
    }
}
