//! Hex for scripts: parsing `--script` input into a reused buffer.

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

#[cfg(test)]
mod tests {
    use super::*;

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
