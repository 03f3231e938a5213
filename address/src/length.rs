//! Letter counts: how long an address is for a script length, and back.

/// The consensus limit on a scriptPubKey's size, and so on what an address may carry.
pub const MAX_SCRIPT_LEN: usize = 10_000;

/// How many CRC bits follow a script of `script_len` bytes: the smallest k >= 30 that brings the
/// bit string to a whole number of letters.
///
/// ```
/// assert_eq!(btcaddr::length::crc_bits(22), 34); // P2WPKH: 176 + 34 = 210 = 42 letters
/// assert_eq!(btcaddr::length::crc_bits(25), 30);
/// ```
pub const fn crc_bits(script_len: usize) -> u32 {
    let n = script_len * 8;
    (30 + (5 - (n + 30) % 5) % 5) as u32
}

/// Data letters (check letter excluded) for a script of `script_len` bytes.
///
/// ```
/// assert_eq!(btcaddr::length::data_letters(22), 42);
/// ```
pub const fn data_letters(script_len: usize) -> usize {
    (script_len * 8 + crc_bits(script_len) as usize) / 5
}

/// Letters after the colon (check letter included) for a script of `script_len` bytes.
///
/// ```
/// use btcaddr::length::address_letters;
/// assert_eq!([22, 23, 25, 34].map(address_letters), [43, 44, 47, 62]);
/// ```
pub const fn address_letters(script_len: usize) -> usize {
    data_letters(script_len) + 1
}

/// The script length that `data_letters` letters carry: the unique m with
/// 30 <= 5·L − 8·m <= 34, if any (m may be 0 or over the limit; callers check).
///
/// ```
/// use btcaddr::length::script_len;
/// assert_eq!(script_len(42), Some(22)); // P2WPKH
/// assert_eq!(script_len(43), Some(23)); // P2SH
/// assert_eq!(script_len(44), None); // between them: a letter added or dropped
/// ```
pub const fn script_len(data_letters: usize) -> Option<usize> {
    let bits = data_letters * 5;
    if bits < 30 {
        return None;
    }
    let m = (bits - 30) / 8;
    if bits - 8 * m <= 34 {
        Some(m)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_round_trip() {
        for m in 1..=MAX_SCRIPT_LEN {
            let k = crc_bits(m);
            assert!((30..=34).contains(&k));
            assert_eq!((m * 8 + k as usize) % 5, 0);
            assert_eq!(script_len(data_letters(m)), Some(m), "m={m}");
        }
    }
}
