//! Builds and signs one transaction locally, paying exactly the fee its [`FeeChoice`] asks for.

use bitcoin::absolute::LockTime;
use bitcoin::hashes::Hash;
use bitcoin::script::PushBytesBuf;
use bitcoin::secp256k1::Message;
use bitcoin::sighash::{EcdsaSighashType, Prevouts, SighashCache, TapSighashType};
use bitcoin::transaction::Version;
use bitcoin::{
    ecdsa, taproot, Amount, OutPoint, ScriptBuf, Sequence, Transaction, TxIn, TxOut, Txid, Witness,
};

use super::fees::FeeChoice;
use super::keys::{KeyRing, OutputKind};

/// No output is made smaller than this (far above every dust limit).
pub const MIN_OUTPUT_SAT: u64 = 5_000;

/// An output the simulator can spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coin {
    /// Where it is.
    pub outpoint: OutPoint,
    /// Its value in sat.
    pub value: u64,
    /// Which key of the [`KeyRing`] owns it.
    pub key: u32,
    /// Its script type.
    pub kind: OutputKind,
}

/// A new output: owner, type and share of what the inputs leave after the fee.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutputSpec {
    /// Owning key.
    pub key: u32,
    /// Script type.
    pub kind: OutputKind,
    /// Relative share of the value (the last output takes the remainder).
    pub share: f64,
}

/// A signed transaction with the numbers the manifest records.
#[derive(Debug, Clone)]
pub struct SignedTx {
    /// The transaction.
    pub tx: Transaction,
    /// Its txid.
    pub txid: Txid,
    /// Fee paid, sat.
    pub fee: u64,
    /// Serialized size with witness, bytes.
    pub size: u64,
    /// Virtual size, vbytes (weight / 4 rounded up).
    pub vsize: u64,
    /// Weight units.
    pub weight: u64,
    /// The fee it was told to pay.
    pub choice: FeeChoice,
    /// The coins it spends.
    pub inputs: Vec<Coin>,
    /// The coins it creates.
    pub outputs: Vec<Coin>,
}

/// Why a transaction could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BuildError {
    /// The inputs cannot pay the fee and the minimum outputs.
    #[error("inputs of {available} sat cannot pay fee {fee} sat plus {outputs} outputs of {MIN_OUTPUT_SAT} sat")]
    InsufficientFunds {
        /// Sum of the inputs.
        available: u64,
        /// The fee asked for.
        fee: u64,
        /// Number of outputs.
        outputs: usize,
    },
    /// No inputs or no outputs.
    #[error("a transaction needs at least one input and one output")]
    Empty,
    /// The fee did not settle (signature sizes kept changing the vsize).
    #[error("fee for {0:?} did not settle after re-signing")]
    Unsettled(FeeChoice),
    /// Signing failed (a bug: the simulator owns every key it spends from).
    #[error("cannot sign input {index}: {message}")]
    Sign {
        /// Input index.
        index: usize,
        /// Why.
        message: String,
    },
}

/// Builds and signs a transaction spending `inputs` into `outputs`, paying exactly
/// `choice.fee_for(vsize)` for the final signed vsize. Signatures are low-R ECDSA and
/// deterministic Schnorr; when a signature length changes the vsize, the fee is recomputed
/// and everything re-signed until it settles.
///
/// ```
/// use bitcoin::{OutPoint, Txid, hashes::Hash};
/// use btcaddr_tests::sim::{build_and_sign, Coin, FeeChoice, KeyRing, OutputKind, OutputSpec};
/// let keys = KeyRing::from_seed(1, 2);
/// let coin = Coin { outpoint: OutPoint::new(Txid::all_zeros(), 0), value: 1_000_000, key: 0, kind: OutputKind::P2wpkh };
/// let out = [OutputSpec { key: 1, kind: OutputKind::P2tr, share: 1.0 }];
/// let signed = build_and_sign(&keys, &[coin], &out, FeeChoice::RoundRate(20)).unwrap();
/// assert_eq!(signed.fee, 20 * signed.vsize);
/// ```
pub fn build_and_sign(
    keys: &KeyRing,
    inputs: &[Coin],
    outputs: &[OutputSpec],
    choice: FeeChoice,
) -> Result<SignedTx, BuildError> {
    if inputs.is_empty() || outputs.is_empty() {
        return Err(BuildError::Empty);
    }
    let available: u64 = inputs.iter().map(|c| c.value).sum();
    // First guess of the vsize; exact after the first signing.
    let mut vsize = estimate_vsize(inputs, outputs);
    for _ in 0..8 {
        let fee = choice.fee_for(vsize);
        let spendable = available
            .checked_sub(fee)
            .filter(|rest| *rest >= MIN_OUTPUT_SAT * outputs.len() as u64)
            .ok_or(BuildError::InsufficientFunds {
                available,
                fee,
                outputs: outputs.len(),
            })?;
        let tx = signed_tx(keys, inputs, outputs, spendable)?;
        let weight = tx.weight().to_wu();
        let signed_vsize = weight.div_ceil(4);
        if choice.fee_for(signed_vsize) == fee {
            let txid = tx.compute_txid();
            let created = tx
                .output
                .iter()
                .zip(outputs)
                .enumerate()
                .map(|(vout, (txout, spec))| Coin {
                    outpoint: OutPoint::new(txid, vout as u32),
                    value: txout.value.to_sat(),
                    key: spec.key,
                    kind: spec.kind,
                })
                .collect();
            return Ok(SignedTx {
                size: tx.total_size() as u64,
                vsize: signed_vsize,
                weight,
                fee,
                txid,
                tx,
                choice,
                inputs: inputs.to_vec(),
                outputs: created,
            });
        }
        vsize = signed_vsize;
    }
    Err(BuildError::Unsettled(choice))
}

/// A close guess of the signed vsize (exact up to signature-length variation).
fn estimate_vsize(inputs: &[Coin], outputs: &[OutputSpec]) -> u64 {
    let input_weight: u64 = inputs
        .iter()
        .map(|c| match c.kind {
            OutputKind::P2pkh => 148 * 4,
            OutputKind::P2shP2wpkh => 64 * 4 + 108,
            OutputKind::P2wpkh => 41 * 4 + 108,
            OutputKind::P2tr => 41 * 4 + 66,
        })
        .sum();
    let output_weight: u64 = outputs
        .iter()
        .map(|o| match o.kind {
            OutputKind::P2pkh => 34 * 4,
            OutputKind::P2shP2wpkh => 32 * 4,
            OutputKind::P2wpkh => 31 * 4,
            OutputKind::P2tr => 43 * 4,
        })
        .sum();
    (10 * 4 + 2 + input_weight + output_weight).div_ceil(4)
}

fn signed_tx(
    keys: &KeyRing,
    inputs: &[Coin],
    outputs: &[OutputSpec],
    spendable: u64,
) -> Result<Transaction, BuildError> {
    let share_total: f64 = outputs.iter().map(|o| o.share.max(0.0)).sum();
    let free = spendable - MIN_OUTPUT_SAT * outputs.len() as u64;
    let mut assigned = 0u64;
    let mut txouts = Vec::with_capacity(outputs.len());
    for (i, spec) in outputs.iter().enumerate() {
        let value = if i + 1 == outputs.len() {
            spendable - assigned
        } else {
            let part = if share_total > 0.0 {
                (free as f64 * spec.share.max(0.0) / share_total) as u64
            } else {
                free / outputs.len() as u64
            };
            MIN_OUTPUT_SAT + part.min(free)
        };
        assigned += value;
        txouts.push(TxOut {
            value: Amount::from_sat(value),
            script_pubkey: keys.script_pubkey(spec.key, spec.kind).clone(),
        });
    }
    let mut tx = Transaction {
        version: Version::TWO,
        lock_time: LockTime::ZERO,
        input: inputs
            .iter()
            .map(|c| TxIn {
                previous_output: c.outpoint,
                script_sig: ScriptBuf::new(),
                sequence: Sequence::ENABLE_RBF_NO_LOCKTIME,
                witness: Witness::new(),
            })
            .collect(),
        output: txouts,
    };
    sign(keys, inputs, &mut tx)?;
    Ok(tx)
}

fn sign(keys: &KeyRing, inputs: &[Coin], tx: &mut Transaction) -> Result<(), BuildError> {
    let secp = keys.secp();
    let prevouts: Vec<TxOut> = inputs
        .iter()
        .map(|c| TxOut {
            value: Amount::from_sat(c.value),
            script_pubkey: keys.script_pubkey(c.key, c.kind).clone(),
        })
        .collect();
    let sign_err = |index: usize| {
        move |e: &dyn std::fmt::Display| BuildError::Sign {
            index,
            message: e.to_string(),
        }
    };
    // Sighashes never cover other inputs' scriptSigs or witnesses, so compute them all first.
    let mut unlocks = Vec::with_capacity(inputs.len());
    {
        let mut cache = SighashCache::new(&*tx);
        for (index, coin) in inputs.iter().enumerate() {
            let key = keys.key(coin.key);
            // Both ECDSA kinds sign their sighash the same way (low R, SIGHASH_ALL).
            let sign_ecdsa = |digest: [u8; 32]| ecdsa::Signature {
                signature: secp.sign_ecdsa_low_r(&Message::from_digest(digest), &key.secret),
                sighash_type: EcdsaSighashType::All,
            };
            let unlock = match coin.kind {
                OutputKind::P2pkh => {
                    let hash = cache
                        .legacy_signature_hash(
                            index,
                            &prevouts[index].script_pubkey,
                            EcdsaSighashType::All.to_u32(),
                        )
                        .map_err(|e| sign_err(index)(&e))?;
                    let sig = sign_ecdsa(hash.to_byte_array());
                    let script_sig = ScriptBuf::builder()
                        .push_slice(sig.serialize())
                        .push_key(&key.public.into())
                        .into_script();
                    (script_sig, Witness::new())
                }
                OutputKind::P2shP2wpkh | OutputKind::P2wpkh => {
                    let hash = cache
                        .p2wpkh_signature_hash(
                            index,
                            &key.redeem_script,
                            Amount::from_sat(coin.value),
                            EcdsaSighashType::All,
                        )
                        .map_err(|e| sign_err(index)(&e))?;
                    let sig = sign_ecdsa(hash.to_byte_array());
                    let witness = Witness::p2wpkh(&sig, &key.public.0);
                    let script_sig = if coin.kind == OutputKind::P2shP2wpkh {
                        let redeem = PushBytesBuf::try_from(key.redeem_script.to_bytes())
                            .map_err(|e| sign_err(index)(&e))?;
                        ScriptBuf::builder().push_slice(redeem).into_script()
                    } else {
                        ScriptBuf::new()
                    };
                    (script_sig, witness)
                }
                OutputKind::P2tr => {
                    let hash = cache
                        .taproot_key_spend_signature_hash(
                            index,
                            &Prevouts::All(&prevouts),
                            TapSighashType::Default,
                        )
                        .map_err(|e| sign_err(index)(&e))?;
                    let sig = taproot::Signature {
                        signature: secp.sign_schnorr_no_aux_rand(
                            &Message::from_digest(hash.to_byte_array()),
                            &key.tweaked.to_keypair(),
                        ),
                        sighash_type: TapSighashType::Default,
                    };
                    (ScriptBuf::new(), Witness::p2tr_key_spend(&sig))
                }
            };
            unlocks.push(unlock);
        }
    }
    for (txin, (script_sig, witness)) in tx.input.iter_mut().zip(unlocks) {
        txin.script_sig = script_sig;
        txin.witness = witness;
    }
    Ok(())
}
