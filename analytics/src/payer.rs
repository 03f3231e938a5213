//! Who pays: the type of the scripts a transaction's inputs spend, a fair proxy for the payer's
//! wallet software (the 2016 post's closing question, "What wallets or services are they
//! using?").
//!
//! Each input's type is the codec's own classification of the spent scriptPubKey
//! ([`btcaddr::ScriptType`]), refined for P2SH by the input's scriptSig: a P2SH input whose
//! scriptSig is the single push of a v0 witness program is nested segwit (`p2sh-p2wpkh`,
//! `p2sh-p2wsh`). A transaction whose inputs are all of one type has that type; otherwise it is
//! [`PayerType::Mixed`].
//!
//! # Examples
//!
//! ```
//! use btcaddr::ScriptType;
//! use btcaddr_analytics::payer::{PayerFold, PayerType};
//! let mut fold = PayerFold::default();
//! fold.begin_tx();
//! // A P2SH input whose scriptSig pushes a 22-byte v0 key-hash program: nested P2WPKH.
//! let mut script_sig = vec![0x16, 0x00, 0x14];
//! script_sig.extend([7u8; 20]);
//! fold.script_sig(&script_sig);
//! fold.input(ScriptType::P2sh);
//! assert_eq!(fold.finish_tx(), PayerType::P2shP2wpkh);
//! assert_eq!(PayerType::P2shP2wpkh.name(), "p2sh-p2wpkh");
//! ```

use std::fmt;
use std::str::FromStr;

use btcaddr::ScriptType;
use serde::{Deserialize, Serialize};

/// The type of the scripts a transaction spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum PayerType {
    /// Pay to public key.
    P2pk,
    /// Legacy pay to public key hash.
    P2pkh,
    /// Pay to script hash that is not nested segwit (multisig and other redeem scripts).
    P2sh,
    /// P2WPKH nested in P2SH.
    P2shP2wpkh,
    /// P2WSH nested in P2SH.
    P2shP2wsh,
    /// Native witness v0 key hash.
    P2wpkh,
    /// Native witness v0 script hash.
    P2wsh,
    /// Taproot.
    P2tr,
    /// Pay to anchor.
    P2a,
    /// A witness version or length not assigned yet.
    WitnessUnknown,
    /// Bare multisig.
    Multisig,
    /// Any other script.
    NonStandard,
    /// Inputs of more than one type.
    Mixed,
}

impl PayerType {
    /// Every type, in the order of [`PayerType::code`].
    pub const ALL: [PayerType; 13] = [
        PayerType::P2pk,
        PayerType::P2pkh,
        PayerType::P2sh,
        PayerType::P2shP2wpkh,
        PayerType::P2shP2wsh,
        PayerType::P2wpkh,
        PayerType::P2wsh,
        PayerType::P2tr,
        PayerType::P2a,
        PayerType::WitnessUnknown,
        PayerType::Multisig,
        PayerType::NonStandard,
        PayerType::Mixed,
    ];

    /// The name written in the data files.
    ///
    /// ```
    /// assert_eq!(btcaddr_analytics::payer::PayerType::Mixed.name(), "mixed");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            PayerType::P2pk => "p2pk",
            PayerType::P2pkh => "p2pkh",
            PayerType::P2sh => "p2sh",
            PayerType::P2shP2wpkh => "p2sh-p2wpkh",
            PayerType::P2shP2wsh => "p2sh-p2wsh",
            PayerType::P2wpkh => "p2wpkh",
            PayerType::P2wsh => "p2wsh",
            PayerType::P2tr => "p2tr",
            PayerType::P2a => "p2a",
            PayerType::WitnessUnknown => "witness_unknown",
            PayerType::Multisig => "multisig",
            PayerType::NonStandard => "nonstandard",
            PayerType::Mixed => "mixed",
        }
    }

    /// A stable one-byte code (the cache's).
    ///
    /// ```
    /// use btcaddr_analytics::payer::PayerType;
    /// assert!(PayerType::ALL.iter().all(|t| PayerType::from_code(t.code()) == Some(*t)));
    /// ```
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The type of `code`, `None` for a code no type has.
    pub fn from_code(code: u8) -> Option<PayerType> {
        PayerType::ALL.get(usize::from(code)).copied()
    }

    /// The type of one input spending a script of type `spent` with the nesting its scriptSig
    /// shows.
    fn of_input(spent: ScriptType, nesting: Nesting) -> PayerType {
        match (spent, nesting) {
            (ScriptType::P2sh, Nesting::P2wpkh) => PayerType::P2shP2wpkh,
            (ScriptType::P2sh, Nesting::P2wsh) => PayerType::P2shP2wsh,
            (ScriptType::P2sh, _) => PayerType::P2sh,
            (ScriptType::P2pk, _) => PayerType::P2pk,
            (ScriptType::P2pkh, _) => PayerType::P2pkh,
            (ScriptType::P2wpkh, _) => PayerType::P2wpkh,
            (ScriptType::P2wsh, _) => PayerType::P2wsh,
            (ScriptType::P2tr, _) => PayerType::P2tr,
            (ScriptType::P2a, _) => PayerType::P2a,
            (ScriptType::WitnessUnknown { .. }, _) => PayerType::WitnessUnknown,
            (ScriptType::Multisig, _) => PayerType::Multisig,
            // OP_RETURN outputs cannot be spent; a chain that did would be non-standard anyway.
            (ScriptType::OpReturn | ScriptType::NonStandard, _) => PayerType::NonStandard,
        }
    }
}

impl fmt::Display for PayerType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PayerType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PayerType::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| format!("unknown payer type '{s}'"))
    }
}

impl From<PayerType> for String {
    fn from(t: PayerType) -> String {
        t.name().to_owned()
    }
}

impl TryFrom<String> for PayerType {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// What an input's scriptSig says of a P2SH redeem script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nesting {
    /// Not a nested witness program.
    None,
    /// The single push of `0x00 0x14 <20 bytes>`.
    P2wpkh,
    /// The single push of `0x00 0x20 <32 bytes>`.
    P2wsh,
}

impl Nesting {
    fn of(script_sig: &[u8]) -> Nesting {
        match script_sig {
            [0x16, 0x00, 0x14, rest @ ..] if rest.len() == 20 => Nesting::P2wpkh,
            [0x22, 0x00, 0x20, rest @ ..] if rest.len() == 32 => Nesting::P2wsh,
            _ => Nesting::None,
        }
    }
}

/// Folds one transaction's inputs into its [`PayerType`].
///
/// The block decoder hands it each input's scriptSig ([`PayerFold::script_sig`]) while it reads
/// the inputs, then the spent-values source hands it each spent script's type
/// ([`PayerFold::input`]) in the same order. Reused across transactions: no allocation once
/// its buffer has grown to the largest input count.
#[derive(Debug, Clone, Default)]
pub struct PayerFold {
    /// The nesting of each input's scriptSig, in input order.
    nestings: Vec<Nesting>,
    /// Spent types received so far.
    inputs: usize,
    /// The type found so far.
    found: Option<PayerType>,
}

impl PayerFold {
    /// Starts a transaction.
    pub fn begin_tx(&mut self) {
        self.nestings.clear();
        self.inputs = 0;
        self.found = None;
    }

    /// The scriptSig of the next input (in input order).
    pub fn script_sig(&mut self, script_sig: &[u8]) {
        self.nestings.push(Nesting::of(script_sig));
    }

    /// The type of the script the next input spends (in input order).
    pub fn input(&mut self, spent: ScriptType) {
        // Without a scriptSig (a caller that has none) a P2SH input stays plain P2SH.
        let nesting = self
            .nestings
            .get(self.inputs)
            .copied()
            .unwrap_or(Nesting::None);
        self.inputs += 1;
        let this = PayerType::of_input(spent, nesting);
        self.found = match self.found {
            None => Some(this),
            Some(t) if t == this => Some(t),
            Some(_) => Some(PayerType::Mixed),
        };
    }

    /// How many spent types were received for this transaction.
    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// The transaction's type. A transaction without inputs (never valid) is `nonstandard`.
    pub fn finish_tx(&mut self) -> PayerType {
        self.found.unwrap_or(PayerType::NonStandard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(inputs: &[(&[u8], ScriptType)]) -> PayerType {
        let mut f = PayerFold::default();
        f.begin_tx();
        for (sig, _) in inputs {
            f.script_sig(sig);
        }
        for (_, t) in inputs {
            f.input(*t);
        }
        f.finish_tx()
    }

    #[test]
    fn one_type_or_mixed() {
        assert_eq!(fold(&[(&[], ScriptType::P2wpkh)]), PayerType::P2wpkh);
        assert_eq!(
            fold(&[(&[], ScriptType::P2tr), (&[], ScriptType::P2tr)]),
            PayerType::P2tr
        );
        assert_eq!(
            fold(&[(&[], ScriptType::P2tr), (&[1, 2], ScriptType::P2pkh)]),
            PayerType::Mixed
        );
    }

    #[test]
    fn p2sh_is_refined_by_its_script_sig() {
        let mut wsh = vec![0x22, 0x00, 0x20];
        wsh.extend([1u8; 32]);
        assert_eq!(fold(&[(&wsh, ScriptType::P2sh)]), PayerType::P2shP2wsh);
        // A multisig redeem script is plain P2SH; so is a program pushed with extra bytes.
        assert_eq!(fold(&[(&[0x00, 0x47], ScriptType::P2sh)]), PayerType::P2sh);
        let mut longer = wsh.clone();
        longer.push(0);
        assert_eq!(fold(&[(&longer, ScriptType::P2sh)]), PayerType::P2sh);
        // Nested P2WPKH beside plain P2SH is two types.
        let mut wpkh = vec![0x16, 0x00, 0x14];
        wpkh.extend([1u8; 20]);
        assert_eq!(
            fold(&[(&wpkh, ScriptType::P2sh), (&[], ScriptType::P2sh)]),
            PayerType::Mixed
        );
        // The same push spending a non-P2SH script says nothing.
        assert_eq!(fold(&[(&wpkh, ScriptType::P2pkh)]), PayerType::P2pkh);
    }

    #[test]
    fn names_parse_back_and_codes_are_stable() {
        for (i, t) in PayerType::ALL.into_iter().enumerate() {
            assert_eq!(t.name().parse::<PayerType>(), Ok(t));
            assert_eq!(usize::from(t.code()), i);
        }
        assert!(PayerType::from_code(13).is_none());
        assert!("p2sh_p2wpkh".parse::<PayerType>().is_err());
    }
}
