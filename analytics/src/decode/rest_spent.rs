//! [`RestSpentOutputs`]: the node's `/rest/spenttxouts/<hash>.bin` answer, read in lockstep
//! with the block.

use bitcoin_slices::bsl::{scan_len, TxOut};
use bitcoin_slices::Parse;

use bitcoin::Script;
use btcaddr::ScriptType;

use super::{describe, SpentValues};
use crate::payer::PayerFold;

/// The outputs a block's transactions spend, as `/rest/spenttxouts/<hash>.bin` serializes
/// them: a CompactSize count of transactions, then per transaction (the coinbase first, with an
/// empty list) a CompactSize count of the outputs its inputs spend, each a serialized `CTxOut`
/// (value, script). Read without allocating; every count is checked against the block's.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::decode::{RestSpentOutputs, SpentValues};
/// use btcaddr_analytics::payer::{PayerFold, PayerType};
/// // Two transactions: the coinbase (nothing spent) and one spending a 5000-sat empty script.
/// let bytes = [2, 0, 1, 0x88, 0x13, 0, 0, 0, 0, 0, 0, 0];
/// let mut spent = RestSpentOutputs::new(&bytes);
/// spent.begin(2)?;
/// spent.coinbase()?;
/// let mut payer = PayerFold::default();
/// payer.begin_tx();
/// assert_eq!(spent.spent(1, 1, &mut payer)?, 5000);
/// assert_eq!(payer.finish_tx(), PayerType::NonStandard);
/// spent.finish()?;
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone)]
pub struct RestSpentOutputs<'a> {
    bytes: &'a [u8],
    /// Bytes read so far.
    at: usize,
}

impl<'a> RestSpentOutputs<'a> {
    /// Reads the answer `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        RestSpentOutputs { bytes, at: 0 }
    }

    fn count(&mut self, what: &str) -> Result<u64, String> {
        let mut consumed = 0;
        let n = scan_len(&self.bytes[self.at..], &mut consumed).map_err(|e| {
            format!(
                "spent outputs: {what}: {} at byte {}",
                describe(&e),
                self.at
            )
        })?;
        self.at += consumed;
        Ok(n)
    }

    fn list(
        &mut self,
        index: usize,
        inputs: usize,
        mut payer: Option<&mut PayerFold>,
    ) -> Result<u64, String> {
        let n = self.count(&format!("transaction {index}'s output count"))?;
        if n != inputs as u64 {
            return Err(format!(
                "transaction {index}: {n} spent outputs for {inputs} inputs"
            ));
        }
        let mut sum = 0u64;
        for input in 0..inputs {
            let out = TxOut::parse(&self.bytes[self.at..]).map_err(|e| {
                format!(
                    "spent outputs: transaction {index} input {input}: {} at byte {}",
                    describe(&e),
                    self.at
                )
            })?;
            self.at += out.consumed();
            if let Some(fold) = payer.as_deref_mut() {
                fold.input(ScriptType::of(Script::from_bytes(
                    out.parsed().script_pubkey(),
                )));
            }
            sum = sum
                .checked_add(out.parsed().value())
                .ok_or_else(|| format!("transaction {index}: spent values overflow"))?;
        }
        Ok(sum)
    }
}

impl SpentValues for RestSpentOutputs<'_> {
    fn begin(&mut self, tx_count: usize) -> Result<(), String> {
        let n = self.count("transaction count")?;
        if n != tx_count as u64 {
            return Err(format!(
                "spent outputs for {n} transactions, but the block has {tx_count}"
            ));
        }
        Ok(())
    }

    fn coinbase(&mut self) -> Result<(), String> {
        self.list(0, 0, None).map(|_| ())
    }

    fn spent(&mut self, index: usize, inputs: usize, payer: &mut PayerFold) -> Result<u64, String> {
        self.list(index, inputs, Some(payer))
    }

    fn finish(&mut self) -> Result<(), String> {
        match self.bytes.len() - self.at {
            0 => Ok(()),
            left => Err(format!(
                "spent outputs: {left} bytes after the last transaction"
            )),
        }
    }
}
