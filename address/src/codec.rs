//! Encoding and decoding: the bit string `script || top k CRC bits` as z-base-32 letters, plus the
//! Damm check letter.
//!
//! Both directions stream in groups of 40 bytes = 64 letters (one group for every common script),
//! so verifying allocates nothing and encoding allocates only its output.

use alloc::string::String;
use core::fmt;

use crate::checksum::{self, Running};
use crate::error::{DecodeError, EncodeError, UnknownPrefixError};
use crate::length::{self, MAX_SCRIPT_LEN};
use crate::zbase32::{self, INVALID, VALUES_ANY_CASE, ZBASE32};
use crate::{damm, Network};

/// Checks a script can be encoded.
pub(crate) fn check_script(script: &[u8]) -> Result<(), EncodeError> {
    match script.len() {
        0 => Err(EncodeError::EmptyScript),
        len if len > MAX_SCRIPT_LEN => Err(EncodeError::ScriptTooLong { len }),
        _ => Ok(()),
    }
}

/// Bytes per encoding group: 40 bytes are exactly 64 letters, so a P2WPKH, P2SH, P2PKH, P2WSH or
/// P2TR address is one `data-encoding` call each way (per-call overhead dominated 5-byte groups).
const GROUP_BYTES: usize = 40;
const GROUP_LETTERS: usize = GROUP_BYTES / 5 * 8;

/// Writes `prefix:letters check` for a script already checked by [`check_script`].
pub(crate) fn write_address<W: fmt::Write>(
    out: &mut W,
    network: Network,
    script: &[u8],
) -> fmt::Result {
    out.write_str(network.prefix())?;
    out.write_char(':')?;
    let mut letters = [0u8; GROUP_LETTERS];
    let r = for_each_group(network, script, |bytes, take| {
        let text = ZBASE32.encode_mut_str(bytes, &mut letters[..bytes.len() / 5 * 8]);
        // ASCII, so any index is a character boundary.
        out.write_str(&text[..take])
    })?;
    out.write_char(zbase32::letter(damm::check_value(r)))
}

/// The address of a script already checked by [`check_script`], encoded straight into the
/// string (no scratch buffer, no copy).
pub(crate) fn encode_string(network: Network, script: &[u8]) -> String {
    // The last group is encoded in whole 8-letter blocks, up to 7 letters past the end, before
    // they are cut off.
    let mut out = String::with_capacity(
        network.prefix().len() + 1 + length::address_letters(script.len()) + 7,
    );
    out.push_str(network.prefix());
    out.push(':');
    let r = for_each_group(network, script, |bytes, take| {
        let start = out.len();
        ZBASE32.encode_append(bytes, &mut out);
        out.truncate(start + take);
        Ok(())
    });
    // The closure never fails.
    let r = r.unwrap_or_default();
    out.push(zbase32::letter(damm::check_value(r)));
    out
}

/// Writes the address of `script` into the front of `buf` without allocating and returns it.
pub(crate) fn encode_into<'b>(
    network: Network,
    script: &[u8],
    buf: &'b mut [u8],
) -> Result<&'b str, EncodeError> {
    check_script(script)?;
    let prefix = network.prefix().as_bytes();
    let needed = prefix.len() + 1 + length::address_letters(script.len());
    let Some(out) = buf.get_mut(..needed) else {
        return Err(EncodeError::BufferTooSmall { needed });
    };
    out[..prefix.len()].copy_from_slice(prefix);
    out[prefix.len()] = b':';
    let mut at = prefix.len() + 1;
    // `encode_mut` writes whole 8-letter blocks: through a scratch group, so that the padding
    // letters of the last one never need room in `out`.
    let mut letters = [0u8; GROUP_LETTERS];
    let r = for_each_group(network, script, |bytes, take| {
        let n = bytes.len() / 5 * 8;
        ZBASE32.encode_mut(bytes, &mut letters[..n]);
        out[at..at + take].copy_from_slice(&letters[..take]);
        at += take;
        Ok(())
    });
    // The closure never fails.
    let r = r.unwrap_or_default();
    out[at] = zbase32::letter(damm::check_value(r)) as u8;
    match core::str::from_utf8(out) {
        Ok(text) => Ok(text),
        Err(_) => unreachable!("the prefix, the colon and z-base-32 letters are ASCII"),
    }
}

/// Hands `emit` the bytes of each group of the stream `script || top k CRC bits` (whole 5-byte
/// blocks, zero-padded) with how many of their letters are real, and returns the Damm interim of
/// all the real letters.
#[inline]
fn for_each_group(
    network: Network,
    script: &[u8],
    mut emit: impl FnMut(&[u8], usize) -> fmt::Result,
) -> Result<u8, fmt::Error> {
    let m = script.len();
    let k = length::crc_bits(m);
    let crc = checksum::top_bits(checksum::crc64_of(network, script), k);
    let crc_bytes = crc.to_be_bytes();
    let mut remaining = length::data_letters(m);
    let mut r = 0u8;
    let mut group = [0u8; GROUP_BYTES];
    let mut pos = 0;
    while remaining > 0 {
        let take = remaining.min(GROUP_LETTERS);
        // Whole 5-byte blocks covering `take` letters (the last letters may be padding).
        let byte_len = take.div_ceil(8) * 5;
        let bytes: &[u8] = match script.get(pos..pos + byte_len) {
            Some(chunk) => chunk,
            None => {
                // The virtual byte stream is the script, the CRC bytes (zeros past k bits),
                // then zeros.
                let script_tail = &script[pos.min(m)..];
                let (head, rest) = group[..byte_len].split_at_mut(script_tail.len());
                head.copy_from_slice(script_tail);
                let crc_tail = &crc_bytes[pos.saturating_sub(m).min(crc_bytes.len())..];
                let n = crc_tail.len().min(rest.len());
                rest[..n].copy_from_slice(&crc_tail[..n]);
                rest[n..].fill(0);
                &group[..byte_len]
            }
        };
        emit(bytes, take)?;
        // The letters past `take` are zero bits, value 0: undo them.
        r = UNDO_ZEROS[byte_len / 5 * 8 - take][usize::from(damm_bytes(r, bytes))];
        remaining -= take;
        pos += byte_len;
    }
    Ok(r)
}

/// Letters per Damm step.
const STEP: usize = 8;

/// `WEIGHTED[j][byte]` is x^j · (value of `byte` as a letter of either case) in GF(2^5), or
/// `INVALID` for a byte outside the alphabet: eight Damm steps are then eight independent look-ups
/// and one on the running interim, instead of a serial chain of eight.
const WEIGHTED: [[u8; 256]; STEP] = {
    let mut t = [[INVALID; 256]; STEP];
    let mut b = 0;
    while b < 256 {
        let v = VALUES_ANY_CASE[b];
        if v != INVALID {
            let mut w = v;
            let mut j = 0;
            while j < STEP {
                t[j][b] = w;
                w = damm::op(w, 0); // times x
                j += 1;
            }
        }
        b += 1;
    }
    t
};

/// `TIMES_X_POW[k][r]` = x^k · r for an interim r, k up to a whole step.
const TIMES_X_POW: [[u8; 32]; STEP + 1] = {
    let mut t = [[0u8; 32]; STEP + 1];
    let mut r = 0;
    while r < 32 {
        let mut w = r as u8;
        let mut k = 0;
        while k <= STEP {
            t[k][r] = w;
            w = damm::op(w, 0);
            k += 1;
        }
        r += 1;
    }
    t
};

/// Runs the Damm interim from `r` over `letters` (either case); `None` if a byte is not a
/// letter.
#[inline]
fn damm_run(mut r: u8, letters: &[u8]) -> Option<u8> {
    let mut steps = letters.chunks_exact(STEP);
    let mut invalid = 0u8;
    for q in &mut steps {
        let w = |j: usize| WEIGHTED[STEP - 1 - j][usize::from(q[j])];
        let (a, b, c, d, e, f, g, h) = (w(0), w(1), w(2), w(3), w(4), w(5), w(6), w(7));
        invalid |= ((a | b) | (c | d)) | ((e | f) | (g | h));
        // r*v0*...*v7 = x^8 r ^ x^7 v0 ^ ... ^ x v6 ^ v7.
        r = TIMES_X_POW[STEP][usize::from(r & 31)] ^ (((a ^ b) ^ (c ^ d)) ^ ((e ^ f) ^ (g ^ h)));
    }
    // The last 0 to 7 letters: the same step, shorter.
    let rest = steps.remainder();
    let mut sum = 0;
    for (j, &l) in rest.iter().enumerate() {
        let v = WEIGHTED[rest.len() - 1 - j][usize::from(l)];
        invalid |= v;
        sum ^= v;
    }
    r = TIMES_X_POW[rest.len()][usize::from(r & 31)] ^ sum;
    // Every valid weighted value is below 32; INVALID has the top bits set.
    if invalid & !31 != 0 {
        None
    } else {
        Some(r)
    }
}

/// `BLOCK_WEIGHTS[k][byte]`: what byte k of a 5-byte block adds to the Damm interim of the
/// block's 8 letters. The interim `Σ x^(7−j)·v_j` is linear in the bits, so the encoder, which
/// has the bytes, takes five look-ups per 8 letters instead of eight (the letters themselves come
/// from `data-encoding`; this is only the check letter's arithmetic).
const BLOCK_WEIGHTS: [[u8; 256]; 5] = {
    let mut t = [[0u8; 256]; 5];
    let mut k = 0;
    while k < 5 {
        let mut b = 0;
        while b < 256 {
            let mut sum = 0u8;
            let mut bit = 0;
            while bit < 8 {
                if (b >> (7 - bit)) & 1 == 1 {
                    // Bit `p` of the block is bit `p % 5` (from the top) of letter `p / 5`.
                    let p = 8 * k + bit;
                    let mut w = 1u8 << (4 - p % 5);
                    let mut e = 0;
                    while e < 7 - p / 5 {
                        w = damm::op(w, 0);
                        e += 1;
                    }
                    sum ^= w;
                }
                bit += 1;
            }
            t[k][b] = sum;
            b += 1;
        }
        k += 1;
    }
    t
};

/// Runs the Damm interim from `r` over the letters of `bytes`, whole 5-byte blocks.
#[inline]
fn damm_bytes(mut r: u8, bytes: &[u8]) -> u8 {
    for block in bytes.chunks_exact(5) {
        let w = |k: usize| BLOCK_WEIGHTS[k][usize::from(block[k])];
        let sum = (w(0) ^ w(1)) ^ (w(2) ^ w(3)) ^ w(4);
        r = TIMES_X_POW[STEP][usize::from(r & 31)] ^ sum;
    }
    r
}

/// `UNDO_ZEROS[n][r]` is the interim r' with x^n · r' = r: the interim before n trailing zero
/// letters (each multiplies it by x).
const UNDO_ZEROS: [[u8; 32]; STEP] = {
    let mut t = [[0u8; 32]; STEP];
    let mut n = 0;
    while n < STEP {
        let mut before = 0;
        while before < 32 {
            t[n][TIMES_X_POW[n][before] as usize] = before as u8;
            before += 1;
        }
        n += 1;
    }
    t
};

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
    // One branch-free pass (vectorises) for the case and a second colon, instead of three
    // short-circuiting ones; the flags are bits of a u8, so the fold stays vectorisable.
    let flags = |acc: u8, &b: &u8| {
        acc | u8::from(b.is_ascii_lowercase())
            | (u8::from(b.is_ascii_uppercase()) << 1)
            | (u8::from(b == b':') << 2)
    };
    // The prefix holds no colon: the first one ends it.
    let flags = bytes[..colon].iter().fold(0, flags) | bytes[colon + 1..].iter().fold(0, flags);
    let (has_lower, upper, second_colon) = (flags & 1 != 0, flags & 2 != 0, flags & 4 != 0);
    if second_colon {
        // Rare path: where, for the error.
        let second = bytes[colon + 1..]
            .iter()
            .position(|&b| b == b':')
            .map_or(colon, |i| colon + 1 + i);
        return Err(DecodeError::RepeatedColon {
            index: char_index(s, second),
        });
    }
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
    let r = match damm_run(0, letters) {
        Some(r) => r,
        None => {
            // Rare path: find the first character outside the alphabet, for the error.
            let i = letters
                .iter()
                .position(|&b| VALUES_ANY_CASE[usize::from(b)] == INVALID)
                .unwrap_or(0);
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
    };
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
    let mut padded = [b'y'; GROUP_LETTERS];
    let mut group = [0u8; GROUP_BYTES];
    for chunk in parsed.data.chunks(GROUP_LETTERS) {
        // A short last group is padded with zero letters to whole 8-letter blocks, so no real
        // bit is dropped.
        let letter_len = chunk.len().div_ceil(8) * 8;
        let input: &[u8] = if chunk.len() == letter_len {
            chunk
        } else {
            padded[..chunk.len()].copy_from_slice(chunk);
            padded[chunk.len()..letter_len].fill(b'y');
            &padded[..letter_len]
        };
        let bytes = &mut group[..letter_len / 8 * 5];
        ZBASE32
            .decode_mut(input, bytes)
            .map_err(|_| DecodeError::CrcMismatch)?;
        let script_part = m.saturating_sub(pos).min(bytes.len());
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
        pos += bytes.len();
    }
    if checksum::top_bits(crc.finalize(), k) == crc_bits {
        Ok(())
    } else {
        Err(DecodeError::CrcMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check arithmetic from the bytes equals the one over the letters, and undoing zero
    /// letters inverts appending them.
    #[test]
    fn damm_from_bytes_equals_damm_over_letters() {
        let bytes: alloc::vec::Vec<u8> = (0..200u16).map(|i| (i * 73 % 251) as u8).collect();
        for len in (0..=bytes.len()).step_by(5) {
            let letters = ZBASE32.encode(&bytes[..len]);
            for r in [0u8, 1, 17, 31] {
                assert_eq!(
                    Some(damm_bytes(r, &bytes[..len])),
                    damm_run(r, letters.as_bytes()),
                    "len {len} r {r}"
                );
            }
        }
        for n in 0..STEP {
            for r in 0..32u8 {
                let zeros = [b'y'; STEP];
                assert_eq!(
                    damm_run(UNDO_ZEROS[n][usize::from(r)], &zeros[..n]),
                    Some(r)
                );
            }
        }
    }
}
