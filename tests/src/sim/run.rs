//! The simulation itself: fund by mining, fan out, then per block submit an over-full stream of
//! realistic transactions and let the node's own block assembly pick the best-paying ones.

use std::collections::HashMap;
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bitcoin::consensus::encode;
use bitcoin::{OutPoint, Transaction, Txid};
use bitcoincore_rpc::jsonrpc;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp};
use serde_json::{json, Value};

use super::config::SimConfig;
use super::fees::{FeeChoice, FeeClass, FeeSampler, MixtureError};
use super::keys::{KeyRing, OutputKind};
use super::manifest::ManifestRow;
use super::tx::{build_and_sign, BuildError, Coin, OutputSpec, SignedTx};
use crate::node::{call_raw, Node, NodeError};

/// Coinbase outputs mature after this many blocks (consensus).
const COINBASE_MATURITY: u32 = 100;
/// Set-up transactions pay this rate.
const SETUP_RATE: u64 = 2;
/// Keep set-up blocks well under the 4 M weight limit.
const SETUP_BLOCK_WEIGHT: u64 = 3_600_000;
/// Input count weights for 1, 2, 3 inputs.
const INPUT_WEIGHTS: [f64; 3] = [0.45, 0.35, 0.20];
/// Output count weights for 1, 2, 3 outputs (slightly more outputs than inputs: the coin pool grows).
const OUTPUT_WEIGHTS: [f64; 3] = [0.15, 0.65, 0.20];
/// Output kind weights, in [`OutputKind::ALL`] order: P2PKH, P2SH, P2WPKH, P2TR.
const KIND_WEIGHTS: [f64; 4] = [0.40, 0.20, 0.25, 0.15];

/// Why a simulation failed.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The node failed or refused an RPC.
    #[error(transparent)]
    Node(#[from] NodeError),
    /// The fee mixture is unusable.
    #[error(transparent)]
    Mixture(#[from] MixtureError),
    /// A set-up transaction could not be built.
    #[error("set-up transaction: {0}")]
    Build(#[from] BuildError),
    /// The node answered something the simulator cannot use.
    #[error("unexpected answer to {method}: {detail}")]
    Unexpected {
        /// The RPC method.
        method: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// The node rejected a set-up transaction or block.
    #[error("node rejected {what}: {message}")]
    Rejected {
        /// What was submitted.
        what: &'static str,
        /// The node's reason.
        message: String,
    },
}

/// One fee-market block as mined.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BlockStat {
    /// Height.
    pub height: u32,
    /// Transactions including the coinbase.
    pub txs: u32,
    /// Sum of transaction vsizes, coinbase included.
    pub vsize: u64,
    /// Transactions left in the mempool after this block.
    pub mempool_after: u32,
}

/// What a simulation did and how fast.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SimReport {
    /// Blocks mined before the fee market (funding, maturity, fan-out).
    pub setup_blocks: u32,
    /// Fee-market blocks.
    pub market: Vec<BlockStat>,
    /// Transactions submitted in the fee-market phase.
    pub submitted: u64,
    /// Of those, rejected by the node.
    pub rejected: u64,
    /// Transactions confirmed (coinbases excluded).
    pub confirmed: u64,
    /// Transactions still unconfirmed at the end.
    pub mempool_end: u64,
    /// Transactions not built because their coins could not pay (coins dropped).
    pub abandoned: u64,
    /// Rounds that ran out of confirmed coins before reaching their target.
    pub starved_rounds: u32,
    /// Wall seconds of building + signing + submitting (pipelined) in the market phase.
    pub submit_secs: f64,
    /// Wall seconds spent mining and reading back market blocks.
    pub mine_secs: f64,
    /// Wall seconds of the whole run.
    pub total_secs: f64,
    /// Final tip height.
    pub tip_height: u32,
    /// Final tip hash.
    pub tip_hash: String,
}

impl SimReport {
    /// Submitted transactions per second of the build-and-submit phase.
    ///
    /// ```
    /// # let report = btcaddr_tests::sim::SimReport::empty();
    /// assert_eq!(report.submit_rate(), 0.0);
    /// ```
    pub fn submit_rate(&self) -> f64 {
        if self.submit_secs > 0.0 {
            self.submitted as f64 / self.submit_secs
        } else {
            0.0
        }
    }

    /// A report of nothing (for examples and defaults).
    ///
    /// ```
    /// assert_eq!(btcaddr_tests::sim::SimReport::empty().confirmed, 0);
    /// ```
    pub fn empty() -> SimReport {
        SimReport {
            setup_blocks: 0,
            market: Vec::new(),
            submitted: 0,
            rejected: 0,
            confirmed: 0,
            mempool_end: 0,
            abandoned: 0,
            starved_rounds: 0,
            submit_secs: 0.0,
            mine_secs: 0.0,
            total_secs: 0.0,
            tip_height: 0,
            tip_hash: String::new(),
        }
    }
}

/// A finished simulation: what it did, and the ground truth of every confirmed transaction.
#[derive(Debug, Clone)]
pub struct SimOutcome {
    /// Counts and timings.
    pub report: SimReport,
    /// One row per confirmed transaction (coinbases included), in chain order.
    pub manifest: Vec<ManifestRow>,
}

/// Runs the simulation on a fresh regtest node that was started with `config.node_args()`.
/// `progress` receives one line per block.
///
/// ```no_run
/// use btcaddr_tests::node::NodeBuilder;
/// use btcaddr_tests::sim::{run, Preset};
/// let config = Preset::Tiny.config();
/// let node = NodeBuilder::new().args(config.node_args()).start().unwrap();
/// let outcome = run(&node, &config, &mut |line| eprintln!("{line}")).unwrap();
/// assert!(outcome.report.confirmed > 100);
/// ```
pub fn run(
    node: &Node,
    config: &SimConfig,
    progress: &mut dyn FnMut(&str),
) -> Result<SimOutcome, SimError> {
    let started = Instant::now();
    let mut sim = Simulator::new(node, config)?;
    sim.setup(progress)?;
    sim.market(progress)?;
    let mempool = rpc(&sim.client, "getmempoolinfo", &[])?;
    sim.report.mempool_end = mempool["size"].as_u64().unwrap_or(0);
    let tip = rpc(&sim.client, "getbestblockhash", &[])?;
    sim.report.tip_hash = tip.as_str().unwrap_or_default().to_string();
    sim.report.tip_height = sim.tip_height();
    sim.report.total_secs = started.elapsed().as_secs_f64();
    Ok(SimOutcome {
        report: sim.report,
        manifest: sim.manifest,
    })
}

/// A transaction in the mempool, waiting to confirm.
struct Pending {
    signed: SignedTx,
}

struct Simulator<'a> {
    config: &'a SimConfig,
    client: Arc<jsonrpc::Client>,
    keys: KeyRing,
    fees: FeeSampler,
    rng: StdRng,
    mining_script: bitcoin::ScriptBuf,
    mining_address: String,
    /// Confirmed, spendable coins.
    pool: Vec<Coin>,
    pending: HashMap<Txid, Pending>,
    manifest: Vec<ManifestRow>,
    report: SimReport,
    /// The mock clock (unix seconds) of the next block.
    clock: f64,
    clock_limit: f64,
    interval: Exp<f64>,
}

impl<'a> Simulator<'a> {
    fn new(node: &Node, config: &'a SimConfig) -> Result<Simulator<'a>, SimError> {
        let client = Arc::new(node.jsonrpc_client()?);
        let keys = KeyRing::from_seed(config.seed, config.keys as usize);
        let mining_address = keys.mining_address();
        let height = rpc(&client, "getblockcount", &[])?
            .as_u64()
            .ok_or(SimError::Unexpected {
                method: "getblockcount",
                detail: "not a number".into(),
            })?;
        if height != 0 {
            return Err(SimError::Unexpected {
                method: "getblockcount",
                detail: format!(
                    "the simulator needs a fresh regtest chain, this one has {height} blocks"
                ),
            });
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0);
        let total_blocks = (COINBASE_MATURITY + config.fanout_coinbases + 5 + config.blocks) as f64;
        // Start far enough back that the chain ends before "now" (block times stay valid later).
        let clock = now - total_blocks * config.block_interval_secs * 1.5 - 6.0 * 3600.0;
        Ok(Simulator {
            config,
            client,
            fees: FeeSampler::new(config.fees.clone())?,
            rng: StdRng::seed_from_u64(config.seed),
            mining_script: mining_address.script_pubkey(),
            mining_address: mining_address.to_string(),
            keys,
            pool: Vec::new(),
            pending: HashMap::new(),
            manifest: Vec::new(),
            report: SimReport::empty(),
            clock,
            clock_limit: now,
            interval: Exp::new(1.0 / config.block_interval_secs.max(1.0)).map_err(|e| {
                SimError::Unexpected {
                    method: "config",
                    detail: format!("block interval: {e}"),
                }
            })?,
        })
    }

    /// Funding: mine to maturity, split coinbases into many coins of all four kinds.
    fn setup(&mut self, progress: &mut dyn FnMut(&str)) -> Result<(), SimError> {
        let funding = COINBASE_MATURITY + self.config.fanout_coinbases;
        let mut coinbases = Vec::new();
        for _ in 0..funding {
            let hash = self.generate_to_address()?;
            let coinbase = self.confirm_block(&hash)?;
            if coinbases.len() < self.config.fanout_coinbases as usize {
                coinbases.push(coinbase);
            }
        }
        progress(&format!(
            "set-up: mined {funding} blocks, splitting {} coinbases into {} coins each",
            coinbases.len(),
            self.config.fanout_outputs
        ));
        let mut chunk: Vec<SignedTx> = Vec::new();
        let mut chunk_weight = 0;
        for coin in coinbases {
            let outputs: Vec<OutputSpec> = (0..self.config.fanout_outputs.max(1))
                .map(|_| OutputSpec {
                    key: self.rng.gen_range(0..self.config.keys.max(1)),
                    kind: self.draw_kind(),
                    share: 1.0,
                })
                .collect();
            let signed =
                build_and_sign(&self.keys, &[coin], &outputs, FeeChoice::Setup(SETUP_RATE))?;
            if chunk_weight + signed.weight > SETUP_BLOCK_WEIGHT && !chunk.is_empty() {
                self.generate_block(std::mem::take(&mut chunk))?;
                chunk_weight = 0;
            }
            chunk_weight += signed.weight;
            chunk.push(signed);
        }
        if !chunk.is_empty() {
            self.generate_block(chunk)?;
        }
        self.report.setup_blocks = self.tip_height();
        progress(&format!(
            "set-up: done at height {}, {} coins",
            self.report.setup_blocks,
            self.pool.len()
        ));
        Ok(())
    }

    /// The fee market: per block, submit about a block's worth (over-full on average), then mine.
    fn market(&mut self, progress: &mut dyn FnMut(&str)) -> Result<(), SimError> {
        let capacity = self.config.capacity_vbytes() as f64;
        for round in 0..self.config.blocks {
            let wave = (2.0 * std::f64::consts::PI * round as f64
                / self.config.wave_period.max(1.0))
            .sin();
            let mut factor = (self.config.overfill + self.config.wave_amplitude * wave).max(0.0);
            if round == 0 {
                factor += self.config.initial_backlog;
            }
            let target = (capacity * factor) as u64;

            let phase = Instant::now();
            let (submitted, rejected) = self.submit_round(target)?;
            self.report.submit_secs += phase.elapsed().as_secs_f64();
            self.report.submitted += submitted;
            self.report.rejected += rejected;

            let phase = Instant::now();
            let hash = self.generate_to_address()?;
            let before = self.manifest.len();
            self.confirm_block(&hash)?;
            self.report.mine_secs += phase.elapsed().as_secs_f64();
            let rows = &self.manifest[before..];
            let stat = BlockStat {
                height: rows.first().map(|r| r.height).unwrap_or(0),
                txs: rows.len() as u32,
                vsize: rows.iter().map(|r| r.vsize).sum(),
                mempool_after: self.pending.len() as u32,
            };
            progress(&format!(
                "block {}/{} height {}: {} txs, {:.1} kvB; submitted {} ({} rejected) at {:.0} tx/s; mempool {} txs; {} coins",
                round + 1,
                self.config.blocks,
                stat.height,
                stat.txs,
                stat.vsize as f64 / 1000.0,
                submitted,
                rejected,
                self.report.submit_rate(),
                stat.mempool_after,
                self.pool.len()
            ));
            self.report.market.push(stat);
        }
        Ok(())
    }

    /// Builds and signs transactions worth `target` vbytes and submits them in batches, signing
    /// the next batch while the node validates the previous one.
    fn submit_round(&mut self, target: u64) -> Result<(u64, u64), SimError> {
        let batch_size = self.config.batch_size.max(1);
        let (to_submitter, batches) = mpsc::sync_channel::<Vec<String>>(2);
        let client = Arc::clone(&self.client);
        let (submitted, built, results) = thread::scope(|scope| {
            let submitter = scope.spawn(move || -> Result<Vec<Option<String>>, SimError> {
                let mut results = Vec::new();
                for batch in batches {
                    results.extend(send_raw_batch(&client, &batch)?);
                }
                Ok(results)
            });
            let mut built: Vec<SignedTx> = Vec::new();
            let mut vbytes = 0;
            let mut batch = Vec::with_capacity(batch_size);
            while vbytes < target {
                let Some(signed) = self.next_transaction() else {
                    self.report.starved_rounds += 1;
                    break;
                };
                vbytes += signed.vsize;
                batch.push(encode::serialize_hex(&signed.tx));
                built.push(signed);
                if batch.len() == batch_size
                    && to_submitter.send(std::mem::take(&mut batch)).is_err()
                {
                    break; // the submitter failed; its error is returned below
                }
            }
            if !batch.is_empty() {
                let _ = to_submitter.send(batch);
            }
            drop(to_submitter);
            let results = match submitter.join() {
                Ok(results) => results,
                Err(_) => Err(SimError::Unexpected {
                    method: "sendrawtransaction",
                    detail: "the submitting thread panicked".into(),
                }),
            };
            (built.len() as u64, built, results)
        });
        let results = results?;
        let mut rejected_count = 0;
        let mut first_reason = None;
        for (index, signed) in built.into_iter().enumerate() {
            match results.get(index) {
                Some(None) => {
                    self.pending.insert(signed.txid, Pending { signed });
                }
                other => {
                    rejected_count += 1;
                    if first_reason.is_none() {
                        first_reason = Some(other.cloned().flatten().unwrap_or_default());
                    }
                    // Its coins were not spent: back to the pool.
                    self.pool.extend(signed.inputs);
                }
            }
        }
        if let Some(reason) = first_reason {
            eprintln!("regtest-sim: {rejected_count} transactions rejected, e.g. {reason}");
        }
        Ok((submitted, rejected_count))
    }

    /// Draws a shape and a fee, takes coins and builds one transaction; None when out of coins.
    fn next_transaction(&mut self) -> Option<SignedTx> {
        loop {
            if self.pool.is_empty() {
                return None;
            }
            let n_in = 1 + pick_index(&INPUT_WEIGHTS, &mut self.rng);
            let mut n_out = 1 + pick_index(&OUTPUT_WEIGHTS, &mut self.rng);
            let mut inputs: Vec<Coin> = (0..n_in.min(self.pool.len()))
                .map(|_| {
                    let i = self.rng.gen_range(0..self.pool.len());
                    self.pool.swap_remove(i)
                })
                .collect();
            let choice = self.fees.draw(&mut self.rng);
            loop {
                let outputs: Vec<OutputSpec> = (0..n_out)
                    .map(|_| OutputSpec {
                        key: self.rng.gen_range(0..self.config.keys.max(1)),
                        kind: self.draw_kind(),
                        share: self.rng.gen_range(0.2..1.0),
                    })
                    .collect();
                match build_and_sign(&self.keys, &inputs, &outputs, choice) {
                    Ok(signed) => return Some(signed),
                    Err(BuildError::InsufficientFunds { .. }) if n_out > 1 => n_out = 1,
                    Err(BuildError::InsufficientFunds { .. })
                        if inputs.len() < 3 && !self.pool.is_empty() =>
                    {
                        let i = self.rng.gen_range(0..self.pool.len());
                        inputs.push(self.pool.swap_remove(i));
                    }
                    Err(_) => {
                        // Too small to pay this fee: these coins leave the simulation.
                        self.report.abandoned += 1;
                        break;
                    }
                }
            }
        }
    }

    fn draw_kind(&mut self) -> OutputKind {
        OutputKind::ALL[pick_index(&KIND_WEIGHTS, &mut self.rng)]
    }

    fn tip_height(&self) -> u32 {
        self.manifest.last().map(|r| r.height).unwrap_or(0)
    }

    fn advance_clock(&mut self) -> Result<(), SimError> {
        let step = self.interval.sample(&mut self.rng).max(1.0);
        self.clock = (self.clock + step).min(self.clock_limit);
        rpc(&self.client, "setmocktime", &[json!(self.clock as u64)])?;
        Ok(())
    }

    fn generate_to_address(&mut self) -> Result<String, SimError> {
        self.advance_clock()?;
        let hashes = rpc(
            &self.client,
            "generatetoaddress",
            &[json!(1), json!(self.mining_address)],
        )?;
        hashes
            .get(0)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or(SimError::Unexpected {
                method: "generatetoaddress",
                detail: hashes.to_string(),
            })
    }

    /// Mines a block of exactly these set-up transactions (`generateblock`, not limited by
    /// `-blockmaxweight`).
    fn generate_block(&mut self, txs: Vec<SignedTx>) -> Result<(), SimError> {
        self.advance_clock()?;
        let hexes: Vec<Value> = txs
            .iter()
            .map(|s| json!(encode::serialize_hex(&s.tx)))
            .collect();
        for signed in txs {
            self.pending.insert(signed.txid, Pending { signed });
        }
        let answer = rpc(
            &self.client,
            "generateblock",
            &[json!(self.mining_address), Value::Array(hexes)],
        )
        .map_err(|e| SimError::Rejected {
            what: "set-up block",
            message: e.to_string(),
        })?;
        let hash = answer["hash"].as_str().ok_or(SimError::Unexpected {
            method: "generateblock",
            detail: answer.to_string(),
        })?;
        self.confirm_block(hash)?;
        Ok(())
    }

    /// Reads a new block back: manifest rows for every transaction, confirmed outputs into the
    /// pool. Returns the block's coinbase output to the simulator.
    fn confirm_block(&mut self, hash: &str) -> Result<Coin, SimError> {
        let block = rpc(&self.client, "getblock", &[json!(hash), json!(1)])?;
        let unexpected = |detail: &str| SimError::Unexpected {
            method: "getblock",
            detail: detail.to_string(),
        };
        let height = block["height"]
            .as_u64()
            .and_then(|h| u32::try_from(h).ok())
            .ok_or_else(|| unexpected("no height"))?;
        let txids = block["tx"]
            .as_array()
            .ok_or_else(|| unexpected("no tx list"))?;
        let mut coinbase_coin = None;
        for (position, txid) in txids.iter().enumerate() {
            let txid_str = txid
                .as_str()
                .ok_or_else(|| unexpected("txid not a string"))?;
            let txid: Txid = txid_str
                .parse()
                .map_err(|e| unexpected(&format!("txid '{txid_str}': {e}")))?;
            if position == 0 {
                let raw = rpc(
                    &self.client,
                    "getrawtransaction",
                    &[json!(txid_str), json!(false), json!(hash)],
                )?;
                let tx: Transaction = raw
                    .as_str()
                    .and_then(|hex| encode::deserialize_hex(hex).ok())
                    .ok_or(SimError::Unexpected {
                        method: "getrawtransaction",
                        detail: format!("coinbase {txid_str} does not decode"),
                    })?;
                let vout = tx
                    .output
                    .iter()
                    .position(|o| o.script_pubkey == self.mining_script)
                    .ok_or_else(|| unexpected("coinbase does not pay the simulator"))?;
                coinbase_coin = Some(Coin {
                    outpoint: OutPoint::new(txid, vout as u32),
                    value: tx.output[vout].value.to_sat(),
                    key: 0,
                    kind: OutputKind::P2wpkh,
                });
                let weight = tx.weight().to_wu();
                self.manifest.push(ManifestRow {
                    height,
                    position: 0,
                    txid: txid_str.to_string(),
                    fee_sat: 0,
                    size: tx.total_size() as u64,
                    vsize: weight.div_ceil(4),
                    weight,
                    inputs: tx.input.len() as u32,
                    outputs: tx.output.len() as u32,
                    fee_class: FeeClass::Coinbase,
                    class_value: String::new(),
                });
                continue;
            }
            let Some(Pending { signed }) = self.pending.remove(&txid) else {
                return Err(unexpected(&format!(
                    "block {height} holds {txid_str}, which the simulator did not make"
                )));
            };
            self.manifest.push(ManifestRow {
                height,
                position: position as u32,
                txid: txid_str.to_string(),
                fee_sat: signed.fee,
                size: signed.size,
                vsize: signed.vsize,
                weight: signed.weight,
                inputs: signed.inputs.len() as u32,
                outputs: signed.outputs.len() as u32,
                fee_class: signed.choice.class(),
                class_value: signed.choice.class_value(),
            });
            if signed.choice.class() != FeeClass::Setup {
                self.report.confirmed += 1;
            }
            self.pool.extend(signed.outputs);
        }
        coinbase_coin.ok_or_else(|| unexpected("empty block"))
    }
}

/// Submits raw transactions in one JSON-RPC batch; per transaction None (accepted) or the
/// node's reason for rejecting it.
fn send_raw_batch(
    client: &jsonrpc::Client,
    hexes: &[String],
) -> Result<Vec<Option<String>>, SimError> {
    let params: Vec<Box<serde_json::value::RawValue>> = hexes
        .iter()
        // maxfeerate 0: the simulator's high round fees are deliberate.
        .map(|hex| serde_json::value::to_raw_value(&json!([hex, 0])))
        .collect::<Result<_, _>>()
        .map_err(|e| SimError::Unexpected {
            method: "sendrawtransaction",
            detail: e.to_string(),
        })?;
    let requests: Vec<jsonrpc::Request> = params
        .iter()
        .map(|p| client.build_request("sendrawtransaction", Some(p)))
        .collect();
    let responses = client.send_batch(&requests).map_err(|e| NodeError::Rpc {
        method: "sendrawtransaction (batch)".into(),
        message: e.to_string(),
    })?;
    Ok(responses
        .into_iter()
        .map(|response| match response {
            Some(r) => r.error.map(|e| format!("{} ({})", e.message, e.code)),
            None => Some("no response".to_string()),
        })
        .collect())
}

fn rpc(client: &jsonrpc::Client, method: &str, params: &[Value]) -> Result<Value, SimError> {
    Ok(call_raw(client, method, params)?)
}

fn pick_index<R: Rng>(weights: &[f64], rng: &mut R) -> usize {
    let total: f64 = weights.iter().sum();
    let mut pick = rng.gen::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if pick < *w {
            return i;
        }
        pick -= w;
    }
    weights.len().saturating_sub(1)
}
