//! One block's undo record (`CBlockUndo`, `src/undo.h`) read in lockstep with the block.
//!
//! Layout:
//!
//! ```text
//! CBlockUndo = CompactSize n, then n × CTxUndo      (n = transactions − 1: no coinbase)
//! CTxUndo    = CompactSize m, then m × Coin         (m = that transaction's inputs)
//! Coin       = VARINT(height·2 + coinbase)          (uint32_t)
//!              VARINT(version dummy), only when height > 0 (written as a single 0)
//!              compressed CTxOut                    (see [`super::compress`])
//! ```
//!
//! [`UndoSpentValues`] walks this without allocating; every count mismatch, truncation,
//! leftover byte or overflow is an error naming the transaction, the input and the byte
//! offset in the record, never a wrong figure.

use thiserror::Error;

use super::compress::{CompressedTxOut, TxOutError};
use super::varint::{ReadError, Reader};
use super::SpentValues;
use crate::payer::PayerFold;

/// Why an undo record does not match its block.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UndoError {
    /// The trait's methods were called out of order.
    #[error("undo reader called out of order: {0}")]
    Sequence(&'static str),
    /// The record's transaction count is not the block's minus the coinbase.
    #[error("undo record holds {undo} transaction undo(s); the block has {block} transaction(s), so {expected} were expected")]
    TxCount {
        /// CTxUndo entries in the record.
        undo: u64,
        /// Transactions in the block.
        block: usize,
        /// What the record should hold.
        expected: usize,
    },
    /// A transaction's coin count is not its input count.
    #[error("transaction {tx}: undo holds {undo} spent coin(s) but it has {inputs} input(s) (undo byte {offset})")]
    InputCount {
        /// Transaction index in the block.
        tx: usize,
        /// Coins in its CTxUndo.
        undo: u64,
        /// Its inputs.
        inputs: usize,
        /// Offset of the count.
        offset: usize,
    },
    /// A count could not be read.
    #[error("transaction {tx}: spent-coin count unreadable: {source}")]
    Count {
        /// Transaction index in the block.
        tx: usize,
        /// What went wrong, with its offset.
        source: ReadError,
    },
    /// The record's transaction count could not be read.
    #[error("undo record's transaction count unreadable: {0}")]
    Header(ReadError),
    /// A spent coin could not be read.
    #[error("transaction {tx} input {input}: spent coin unreadable: {source}")]
    Coin {
        /// Transaction index in the block.
        tx: usize,
        /// Input index in the transaction.
        input: usize,
        /// What went wrong, with its offset.
        source: TxOutError,
    },
    /// A transaction's spent values sum past `u64`.
    #[error("transaction {tx} input {input}: spent values overflow u64 (undo byte {offset})")]
    Overflow {
        /// Transaction index in the block.
        tx: usize,
        /// Input index at which the sum overflowed.
        input: usize,
        /// Offset of that coin.
        offset: usize,
    },
    /// Bytes remain after the last transaction's coins.
    #[error("{count} byte(s) left over in the undo record at byte {offset}")]
    LeftOver {
        /// Offset of the first unread byte.
        offset: usize,
        /// How many bytes remain.
        count: usize,
    },
    /// `finish` came before every transaction was read.
    #[error("undo reading finished after {done} of {tx_count} transaction(s)")]
    Unfinished {
        /// Transactions handed out.
        done: usize,
        /// Transactions in the block.
        tx_count: usize,
    },
}

impl From<UndoError> for String {
    fn from(e: UndoError) -> String {
        e.to_string()
    }
}

/// The values a block's transactions spend, read from the block's undo record.
///
/// ```
/// use btcaddr_analytics::decode::{SpentValues, UndoSpentValues};
/// use btcaddr_analytics::payer::{PayerFold, PayerType};
/// // Two transactions: the coinbase, and one spending a 1 BTC P2PKH coin from height 5.
/// let mut record = vec![0x01, 0x01, 0x0a, 0x00, 0x09, 0x00];
/// record.extend([0x11; 20]);
/// let mut undo = UndoSpentValues::new(&record);
/// let mut payer = PayerFold::default();
/// undo.begin(2).unwrap();
/// undo.coinbase().unwrap();
/// assert_eq!(undo.spent(1, 1, &mut payer), Ok(100_000_000));
/// undo.finish().unwrap();
/// assert_eq!(payer.finish_tx(), PayerType::P2pkh);
/// ```
#[derive(Debug, Clone)]
pub struct UndoSpentValues<'a> {
    reader: Reader<'a>,
    /// False for the genesis block, which has no record (Core writes none).
    has_record: bool,
    tx_count: Option<usize>,
    next: usize,
}

impl<'a> UndoSpentValues<'a> {
    /// A reader over one block's undo record (the bytes between the 8-byte prefix and the
    /// checksum in `rev?????.dat`).
    pub fn new(record: &'a [u8]) -> Self {
        UndoSpentValues {
            reader: Reader::new(record),
            has_record: true,
            tx_count: None,
            next: 0,
        }
    }

    /// The reader for the genesis block, which Core never writes an undo record for: a
    /// block of one transaction (its coinbase) that spends nothing.
    pub fn genesis() -> Self {
        UndoSpentValues {
            has_record: false,
            ..Self::new(&[])
        }
    }

    /// Offset of the next unread byte in the record.
    pub fn position(&self) -> usize {
        self.reader.position()
    }

    fn begin_inner(&mut self, tx_count: usize) -> Result<(), UndoError> {
        if self.tx_count.is_some() {
            return Err(UndoError::Sequence("begin called twice"));
        }
        let expected = tx_count.checked_sub(1).ok_or(UndoError::Sequence(
            "a block has at least one transaction (its coinbase)",
        ))?;
        let undo = if self.has_record {
            self.reader.compact_size().map_err(UndoError::Header)?
        } else {
            0
        };
        if undo != expected as u64 {
            return Err(UndoError::TxCount {
                undo,
                block: tx_count,
                expected,
            });
        }
        self.tx_count = Some(tx_count);
        Ok(())
    }

    fn coinbase_inner(&mut self) -> Result<(), UndoError> {
        if self.tx_count.is_none() {
            return Err(UndoError::Sequence("coinbase before begin"));
        }
        if self.next != 0 {
            return Err(UndoError::Sequence("coinbase must be transaction 0, once"));
        }
        self.next = 1;
        Ok(())
    }

    fn spent_inner(
        &mut self,
        index: usize,
        inputs: usize,
        payer: &mut PayerFold,
    ) -> Result<u64, UndoError> {
        let tx_count = self
            .tx_count
            .ok_or(UndoError::Sequence("spent before begin"))?;
        if self.next == 0 {
            return Err(UndoError::Sequence("spent before coinbase"));
        }
        if index != self.next || index >= tx_count {
            return Err(UndoError::Sequence(
                "transactions must come in block order, each once",
            ));
        }
        let offset = self.reader.position();
        let undo = self
            .reader
            .compact_size()
            .map_err(|source| UndoError::Count { tx: index, source })?;
        if undo != inputs as u64 {
            return Err(UndoError::InputCount {
                tx: index,
                undo,
                inputs,
                offset,
            });
        }
        let mut total: u64 = 0;
        for input in 0..inputs {
            let offset = self.reader.position();
            let coin = |source| UndoError::Coin {
                tx: index,
                input,
                source,
            };
            // `uint32_t nCode` in TxInUndoFormatter::Unser.
            let code = self
                .reader
                .varint_u32()
                .map_err(|e| coin(TxOutError::Read(e)))?;
            if code >> 1 > 0 {
                // `unsigned int nVersionDummy`.
                self.reader
                    .varint_u32()
                    .map_err(|e| coin(TxOutError::Read(e)))?;
            }
            let out = CompressedTxOut::read(&mut self.reader).map_err(coin)?;
            total = total.checked_add(out.value).ok_or(UndoError::Overflow {
                tx: index,
                input,
                offset,
            })?;
            payer.input(out.script.script_type());
        }
        self.next += 1;
        Ok(total)
    }

    fn finish_inner(&mut self) -> Result<(), UndoError> {
        let tx_count = self
            .tx_count
            .ok_or(UndoError::Sequence("finish before begin"))?;
        if self.next != tx_count {
            return Err(UndoError::Unfinished {
                done: self.next,
                tx_count,
            });
        }
        if !self.reader.is_empty() {
            return Err(UndoError::LeftOver {
                offset: self.reader.position(),
                count: self.reader.remaining(),
            });
        }
        Ok(())
    }
}

impl SpentValues for UndoSpentValues<'_> {
    fn begin(&mut self, tx_count: usize) -> Result<(), String> {
        Ok(self.begin_inner(tx_count)?)
    }

    fn coinbase(&mut self) -> Result<(), String> {
        Ok(self.coinbase_inner()?)
    }

    fn spent(&mut self, index: usize, inputs: usize, payer: &mut PayerFold) -> Result<u64, String> {
        Ok(self.spent_inner(index, inputs, payer)?)
    }

    fn finish(&mut self) -> Result<(), String> {
        Ok(self.finish_inner()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payer::PayerType;

    fn varint(out: &mut Vec<u8>, n: u64) {
        out.extend(crate::decode::varint::tests::write_varint(n));
    }

    /// A coin: height, coinbase flag, compressed amount code, P2PKH or a raw P2WPKH script.
    fn coin(out: &mut Vec<u8>, height: u64, coinbase: bool, amount_code: u64, p2pkh: bool) {
        varint(out, height * 2 + u64::from(coinbase));
        if height > 0 {
            out.push(0);
        }
        varint(out, amount_code);
        if p2pkh {
            out.push(0);
            out.extend([0x22; 20]);
        } else {
            varint(out, 6 + 22);
            out.extend([0x00, 0x14]);
            out.extend([0x33; 20]);
        }
    }

    /// Block of three transactions: coinbase; tx 1 spends a 50 BTC coinbase coin (P2PKH) and
    /// a 1 BTC P2WPKH coin; tx 2 spends one 0.01 BTC coin created at height 0.
    fn record() -> Vec<u8> {
        let mut r = vec![2];
        r.push(2);
        coin(&mut r, 7, true, 50, true);
        coin(&mut r, 300, false, 9, false);
        r.push(1);
        coin(&mut r, 0, false, 7, false);
        r
    }

    fn run(undo: &mut UndoSpentValues, inputs: &[usize]) -> Result<Vec<u64>, String> {
        let mut payer = PayerFold::default();
        undo.begin(inputs.len() + 1)?;
        undo.coinbase()?;
        let mut sums = Vec::new();
        for (i, &n) in inputs.iter().enumerate() {
            sums.push(undo.spent(i + 1, n, &mut payer)?);
        }
        undo.finish()?;
        Ok(sums)
    }

    #[test]
    fn reads_values_and_types_in_order() {
        let bytes = record();
        let mut undo = UndoSpentValues::new(&bytes);
        let mut payer = PayerFold::default();
        undo.begin(3).unwrap();
        undo.coinbase().unwrap();
        payer.begin_tx();
        assert_eq!(undo.spent(1, 2, &mut payer), Ok(5_100_000_000));
        assert_eq!((payer.inputs(), payer.finish_tx()), (2, PayerType::Mixed));
        payer.begin_tx();
        assert_eq!(undo.spent(2, 1, &mut payer), Ok(1_000_000));
        assert_eq!((payer.inputs(), payer.finish_tx()), (1, PayerType::P2wpkh));
        undo.finish().unwrap();
    }

    #[test]
    fn genesis_spends_nothing() {
        let mut undo = UndoSpentValues::genesis();
        assert_eq!(run(&mut undo, &[]), Ok(vec![]));
        let mut undo = UndoSpentValues::genesis();
        assert!(undo.begin(2).unwrap_err().contains("1 were expected"));
    }

    #[test]
    fn transaction_count_mismatch() {
        let bytes = record();
        let err = run(&mut UndoSpentValues::new(&bytes), &[2, 1, 1]).unwrap_err();
        assert_eq!(
            err,
            "undo record holds 2 transaction undo(s); the block has 4 transaction(s), so 3 were expected"
        );
        assert!(UndoSpentValues::new(&bytes).begin(0).is_err());
    }

    #[test]
    fn input_count_mismatch_names_tx_and_offset() {
        let bytes = record();
        let err = run(&mut UndoSpentValues::new(&bytes), &[2, 2]).unwrap_err();
        // The count, then one coin of 25 bytes: code, amount, script size, 22 script bytes.
        let tx2_offset = bytes.len() - 25 - 1;
        assert_eq!(
            err,
            format!("transaction 2: undo holds 1 spent coin(s) but it has 2 input(s) (undo byte {tx2_offset})")
        );
    }

    #[test]
    fn truncation_anywhere_is_an_error() {
        let bytes = record();
        for len in 0..bytes.len() {
            let err = run(&mut UndoSpentValues::new(&bytes[..len]), &[2, 1]).unwrap_err();
            assert!(
                err.contains("truncated") || err.contains("unreadable"),
                "{len}: {err}"
            );
        }
        let err = run(
            &mut UndoSpentValues::new(&bytes[..bytes.len() - 1]),
            &[2, 1],
        )
        .unwrap_err();
        assert_eq!(
            err,
            format!(
                "transaction 2 input 0: spent coin unreadable: truncated at byte {}: 1 more byte(s) needed",
                bytes.len() - 1
            )
        );
    }

    #[test]
    fn leftover_bytes() {
        let mut bytes = record();
        bytes.push(0);
        let err = run(&mut UndoSpentValues::new(&bytes), &[2, 1]).unwrap_err();
        assert_eq!(
            err,
            format!(
                "1 byte(s) left over in the undo record at byte {}",
                bytes.len() - 1
            )
        );
    }

    #[test]
    fn bad_amount_is_an_error() {
        let mut bytes = vec![1, 1];
        varint(&mut bytes, 2);
        bytes.push(0);
        varint(&mut bytes, u64::MAX);
        bytes.push(0);
        bytes.extend([0; 20]);
        let err = run(&mut UndoSpentValues::new(&bytes), &[1]).unwrap_err();
        assert!(
            err.starts_with("transaction 1 input 0: spent coin unreadable: amount code"),
            "{err}"
        );
        assert!(err.ends_with("at byte 4 is not a valid amount"), "{err}");
    }

    #[test]
    fn out_of_order_calls() {
        let bytes = record();
        let mut payer = PayerFold::default();
        let mut undo = UndoSpentValues::new(&bytes);
        assert!(undo.coinbase().is_err());
        undo.begin(3).unwrap();
        assert!(undo.begin(3).is_err());
        assert!(undo.spent(1, 2, &mut payer).is_err());
        undo.coinbase().unwrap();
        assert!(undo.coinbase().is_err());
        assert!(undo.spent(2, 1, &mut payer).is_err());
        undo.spent(1, 2, &mut payer).unwrap();
        assert_eq!(
            undo.finish(),
            Err("undo reading finished after 2 of 3 transaction(s)".to_string())
        );
    }
}
