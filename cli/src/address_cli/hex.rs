//! Hex for scripts: parsing `--script` input into a reused buffer, and writing scripts fast.

use bitcoin::hex::HexToBytesIter;

use super::error::HexError;

/// Parses `s` as hex into `buf` (cleared first).
///
/// ```
/// let mut buf = Vec::new();
/// btcaddr_cli::address_cli::hex::parse_into("51024E73", &mut buf).unwrap();
/// assert_eq!(buf, [0x51, 0x02, 0x4e, 0x73]);
/// ```
pub fn parse_into(s: &str, buf: &mut Vec<u8>) -> Result<(), HexError> {
    buf.clear();
    let invalid = || {
        // The library's iterator names the character but not where it is.
        let (index, ch) = s
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_hexdigit())
            .unwrap_or((0, '?'));
        HexError::InvalidChar { ch, index }
    };
    if !s.is_ascii() {
        return Err(invalid());
    }
    let iter = HexToBytesIter::new(s).map_err(|e| HexError::OddLength(e.length()))?;
    for byte in iter {
        buf.push(byte.map_err(|_| invalid())?);
    }
    Ok(())
}

/// Appends `bytes` in lowercase hex to `out`.
///
/// The `bitcoin` crate's `DisplayHex` goes through `fmt` and was a fifth of `decode`'s time; a
/// table lookup per byte is all this needs.
///
/// ```
/// let mut out = b"script ".to_vec();
/// btcaddr_cli::address_cli::hex::append_lower(&[0x00, 0x14, 0xab], &mut out);
/// assert_eq!(out, b"script 0014ab");
/// ```
pub fn append_lower(bytes: &[u8], out: &mut Vec<u8>) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 0x0f)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_matches_the_bitcoin_crate() {
        use bitcoin::hex::DisplayHex;
        let bytes: Vec<u8> = (0..=255).collect();
        let mut out = Vec::new();
        append_lower(&bytes, &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), bytes.to_lower_hex_string());
    }

    #[test]
    fn errors_name_the_place() {
        let mut buf = Vec::new();
        assert_eq!(parse_into("abc", &mut buf), Err(HexError::OddLength(3)));
        assert_eq!(
            parse_into("00zz", &mut buf),
            Err(HexError::InvalidChar { ch: 'z', index: 2 })
        );
        assert_eq!(
            parse_into("0é", &mut buf),
            Err(HexError::InvalidChar { ch: 'é', index: 1 })
        );
    }
}
