//! The warning shown beside a valid address whose script no wallet would pay to.

use core::fmt;

/// A valid address that pays to a non-standard script: most likely a mistyped one, since an
/// inserted or appended letter can land on another script length that both checks accept
/// (docs/ERROR-DETECTION.md). Every place a person reads a verdict shows this text.
///
/// ```
/// use btcaddr::{encode, GenericAddress, Network};
/// let odd: GenericAddress = encode(Network::Btc, &[0x00, 0x14, 0x01]).unwrap().parse().unwrap();
/// let warning = odd.warning().unwrap();
/// assert_eq!(warning.script_len, 3);
/// assert_eq!(
///     warning.to_string(),
///     "valid, but pays to a non-standard script of 3 bytes: if you expected an ordinary address, it was probably mistyped"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NonStandardWarning {
    /// The script's length in bytes.
    pub script_len: usize,
}

impl NonStandardWarning {
    /// The warning for `script`, if it is not a standard output.
    ///
    /// ```
    /// use btcaddr::NonStandardWarning;
    /// assert_eq!(NonStandardWarning::of(&[0x51, 0x02, 0x4e, 0x73]), None); // P2A
    /// assert_eq!(NonStandardWarning::of(&[0x00, 0x14, 0x01]), Some(NonStandardWarning { script_len: 3 }));
    /// ```
    pub fn of(script: &[u8]) -> Option<NonStandardWarning> {
        let standard = crate::ScriptType::of(bitcoin::Script::from_bytes(script)).is_standard();
        (!standard).then_some(NonStandardWarning {
            script_len: script.len(),
        })
    }
}

impl fmt::Display for NonStandardWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "valid, but pays to a non-standard script of {} bytes: if you expected an ordinary address, it was probably mistyped",
            self.script_len
        )
    }
}
