//! Encoding and decoding: the bit string `script || top k CRC bits` as z-base-32 letters, plus the
//! Damm check letter.
//!
//! Both directions stream in groups of 5 bytes = 8 letters, so verifying allocates nothing and
//! encoding allocates only its output.

use core::fmt;

use crate::checksum::{self, Running};
use crate::error::{DecodeError, EncodeError, UnknownPrefixError};
use crate::length::{self, MAX_SCRIPT_LEN};
use crate::zbase32::{self, ZBASE32};
use crate::{damm, Network};

/// Checks a script can be encoded.
pub(crate) fn check_script(script: &[u8]) -> Result<(), EncodeError> {
    match script.len() {
        0 => Err(EncodeError::EmptyScript),
        len if len > MAX_SCRIPT_LEN => Err(EncodeError::ScriptTooLong { len }),
        _ => Ok(()),
    }
}

/// Writes `prefix:letters check` for a script already checked by [`check_script`].
pub(crate) fn write_address<W: fmt::Write>(
    out: &mut W,
    network: Network,
    script: &[u8],
) -> fmt::Result {
    out.write_str(network.prefix())?;
    out.write_char(':')?;
    let k = length::crc_bits(script.len());
    let crc = checksum::top_bits(checksum::crc64(network.prefix().as_bytes(), script), k);
    let crc_bytes = crc.to_be_bytes();
    let mut remaining = length::data_letters(script.len());
    let mut r = 0u8;
    let mut group = [0u8; 5];
    let mut letters = [0u8; 8];
    let mut pos = 0;
    while remaining > 0 {
        // The virtual byte stream is the script then the CRC bytes (zeros past k bits).
        let bytes: &[u8; 5] = match script.get(pos..pos + 5) {
            Some(chunk) => chunk.try_into().map_err(|_| fmt::Error)?,
            None => {
                for (i, b) in group.iter_mut().enumerate() {
                    let p = pos + i;
                    *b = if p < script.len() {
                        script[p]
                    } else {
                        crc_bytes.get(p - script.len()).copied().unwrap_or(0)
                    };
                }
                &group
            }
        };
        ZBASE32.encode_mut(bytes, &mut letters);
        let take = remaining.min(8);
        for &l in &letters[..take] {
            r = damm::op(r, zbase32::value(l).unwrap_or(0));
        }
        // The letters come from the alphabet, which is ASCII.
        out.write_str(core::str::from_utf8(&letters[..take]).map_err(|_| fmt::Error)?)?;
        remaining -= take;
        pos += 5;
    }
    out.write_char(zbase32::letter(damm::check_value(r)))
}

/// The result of the structural checks, before the CRC.
pub(crate) struct Parsed<'a> {
    pub(crate) network: Network,
    /// Data letters, check letter excluded; either case (the encoding translates uppercase).
    pub(crate) data: &'a [u8],
    pub(crate) script_len: usize,
}

/// Runs every check but the CRC, in the order a person fixes things: shape, case, prefix,
/// characters, length, check letter.
pub(crate) fn parse(s: &str) -> Result<Parsed<'_>, DecodeError> {
    let bytes = s.as_bytes();
    let colon = bytes
        .iter()
        .position(|&b| b == b':')
        .ok_or(DecodeError::MissingColon)?;
    if let Some(second) = bytes[colon + 1..].iter().position(|&b| b == b':') {
        return Err(DecodeError::RepeatedColon {
            index: char_index(s, colon + 1 + second),
        });
    }
    let has_lower = bytes.iter().any(u8::is_ascii_lowercase);
    let upper = bytes.iter().any(u8::is_ascii_uppercase);
    if has_lower && upper {
        return Err(DecodeError::MixedCase);
    }
    let prefix = &s[..colon];
    let network = if upper {
        Network::from_prefix_ignore_case(prefix)
    } else {
        Network::from_prefix(prefix)
    }
    .ok_or_else(|| UnknownPrefixError::new(prefix))?;

    let letters = &bytes[colon + 1..];
    let mut r = 0u8;
    for (i, &b) in letters.iter().enumerate() {
        match zbase32::value(b.to_ascii_lowercase()) {
            Some(v) => r = damm::op(r, v),
            None => {
                let at = colon + 1 + i;
                let ch = s[at..]
                    .chars()
                    .next()
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                return Err(DecodeError::InvalidChar {
                    ch,
                    index: char_index(s, at),
                });
            }
        }
    }
    let data_len = letters.len().saturating_sub(1);
    let script_len =
        length::script_len(data_len)
            .filter(|&m| m > 0)
            .ok_or(DecodeError::InvalidLength {
                letters: letters.len(),
            })?;
    if script_len > MAX_SCRIPT_LEN {
        return Err(DecodeError::ScriptTooLong { len: script_len });
    }
    if r != 0 {
        return Err(DecodeError::DammMismatch);
    }
    Ok(Parsed {
        network,
        data: &letters[..data_len],
        script_len,
    })
}

fn char_index(s: &str, byte_index: usize) -> usize {
    s[..byte_index].chars().count()
}

/// Decodes the letters, hands the script bytes to `sink` in order, and checks the CRC.
pub(crate) fn verify_crc(
    parsed: &Parsed<'_>,
    mut sink: impl FnMut(&[u8]),
) -> Result<(), DecodeError> {
    let m = parsed.script_len;
    let k = length::crc_bits(m);
    let mut crc = Running::new(parsed.network);
    let mut crc_bits: u64 = 0;
    let mut crc_bytes_seen = 0u32;
    let mut pos = 0; // byte offset of the current group in the decoded stream
    let mut padded = [b'y'; 8];
    for chunk in parsed.data.chunks(8) {
        // A short last group is padded with zero letters, so no real bit is dropped.
        let input: &[u8] = if chunk.len() == 8 {
            chunk
        } else {
            padded[..chunk.len()].copy_from_slice(chunk);
            &padded
        };
        let mut bytes = [0u8; 5];
        ZBASE32
            .decode_mut(input, &mut bytes)
            .map_err(|_| DecodeError::CrcMismatch)?;
        let script_part = m.saturating_sub(pos).min(5);
        if script_part > 0 {
            crc.update(&bytes[..script_part]);
            sink(&bytes[..script_part]);
        }
        for &b in &bytes[script_part..] {
            if crc_bytes_seen < 8 {
                crc_bits |= u64::from(b) << (56 - 8 * crc_bytes_seen);
                crc_bytes_seen += 1;
            }
        }
        pos += 5;
    }
    if checksum::top_bits(crc.finalize(), k) == crc_bits {
        Ok(())
    } else {
        Err(DecodeError::CrcMismatch)
    }
}
