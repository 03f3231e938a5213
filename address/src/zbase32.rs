//! The z-base-32 alphabet, as a `data-encoding` encoding.

use data_encoding::Encoding;

/// The z-base-32 letters, value 0 to 31 in this order.
pub const ALPHABET: &str = "ybndrfg8ejkmcpqxot1uwisza345h769";

/// z-base-32, most significant bit first, no padding; uppercase letters translate to lowercase.
///
/// Built at compile time from the same [`specification`] (a test checks they are equal), so hot
/// paths never build it.
pub(crate) const ZBASE32: Encoding = data_encoding_macro::new_encoding! {
    symbols: "ybndrfg8ejkmcpqxot1uwisza345h769",
    translate_from: "YBNDRFGEJKMCPQXOTUWISZAH",
    translate_to: "ybndrfgejkmcpqxotuwiszah",
};

/// The `data-encoding` specification of z-base-32 as this crate uses it.
///
/// ```
/// let zb = btcaddr::zbase32::specification().encoding().unwrap();
/// assert_eq!(zb.encode(&[0xff]), "9h");
/// ```
pub fn specification() -> data_encoding::Specification {
    let mut spec = data_encoding::Specification::new();
    spec.symbols.push_str(ALPHABET);
    spec.translate.from.push_str("YBNDRFGEJKMCPQXOTUWISZAH");
    spec.translate.to.push_str("ybndrfgejkmcpqxotuwiszah");
    spec
}

/// Value of each byte as a z-base-32 letter (uppercase ones too with `any_case`), or
/// [`INVALID`]; derived from [`ALPHABET`].
const fn values(any_case: bool) -> [u8; 256] {
    let mut table = [INVALID; 256];
    let letters = ALPHABET.as_bytes();
    let mut i = 0;
    while i < letters.len() {
        table[letters[i] as usize] = i as u8;
        if any_case {
            table[letters[i].to_ascii_uppercase() as usize] = i as u8;
        }
        i += 1;
    }
    table
}

/// Value of each byte as a lowercase letter, or [`INVALID`].
const VALUES: [u8; 256] = values(false);

/// Value of each byte as a letter of either case, or [`INVALID`].
pub(crate) const VALUES_ANY_CASE: [u8; 256] = values(true);

/// Not a letter: above every value 0..31 (its top bits are set).
pub(crate) const INVALID: u8 = 0xff;

/// The value 0..31 of a lowercase letter, if it is one.
///
/// ```
/// assert_eq!(btcaddr::zbase32::value(b'y'), Some(0));
/// assert_eq!(btcaddr::zbase32::value(b'9'), Some(31));
/// assert_eq!(btcaddr::zbase32::value(b'0'), None);
/// ```
#[inline]
pub fn value(letter: u8) -> Option<u8> {
    match VALUES[usize::from(letter)] {
        INVALID => None,
        v => Some(v),
    }
}

/// The lowercase letter for a value 0..31.
///
/// ```
/// assert_eq!(btcaddr::zbase32::letter(0), 'y');
/// ```
#[inline]
pub fn letter(value: u8) -> char {
    char::from(ALPHABET.as_bytes()[usize::from(value & 31)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn const_encoding_equals_specification() {
        assert_eq!(specification().encoding().unwrap(), ZBASE32);
    }

    #[test]
    fn uppercase_translates() {
        assert_eq!(
            ZBASE32.decode(b"9H").unwrap(),
            ZBASE32.decode(b"9h").unwrap()
        );
    }
}
