//! The CRC-64/ECMA-182 over the ASCII prefix and the script, and how many of its bits are kept.

use crc::{Crc, Table, CRC_64_ECMA_182};

use crate::Network;

/// CRC-64/ECMA-182 (not CRC-64/XZ): polynomial 0x42F0E1EBA9EA3693, init 0, not reflected.
/// Slice-by-16 tables: the CRC is most of the work of encoding a short script. A `static`, so
/// every digest borrows the one copy of the 32 KiB of tables.
static CRC64: Crc<u64, Table<16>> = Crc::<u64, Table<16>>::new(&CRC_64_ECMA_182);

/// The `crc` crate's slice-by-16 step takes 16 bytes per table round and any rest one byte at a
/// time, each byte a dependent look-up: for a 25-byte `btc` + P2WPKH input the 9 single bytes
/// cost more than the 16-byte round. With init 0 (and no reflection or final xor) leading zero
/// bytes leave the CRC unchanged, so the input is fed behind enough zeros to make it whole
/// 16-byte blocks.
const BLOCK: usize = 16;

/// The CRC of `ascii(prefix) || script`.
///
/// ```
/// // The catalogue check value of CRC-64/ECMA-182 is that of "123456789".
/// let crc = btcaddr::checksum::crc64(b"1234", b"56789");
/// assert_eq!(crc, 0x6C40_DF5F_0B49_7347);
/// ```
pub fn crc64(prefix: &[u8], script: &[u8]) -> u64 {
    let mut crc = Running::with_prefix(prefix, script.len());
    crc.update(script);
    crc.finalize()
}

/// The CRC of `network`'s prefix and `script`.
///
/// For scripts of 16 bytes or more the first block(s) — leading zeros, the prefix and the first
/// `len % 16` script bytes — are assembled in a `u128` (not byte by byte in memory, which stalls
/// the crate's 16-byte reads on store forwarding), and the rest of the script is fed in place.
#[inline]
pub(crate) fn crc64_of(network: Network, script: &[u8]) -> u64 {
    let Some(first) = script.first_chunk::<BLOCK>() else {
        let mut crc = Running::new(network, script.len());
        crc.update(script);
        return crc.finalize();
    };
    let prefix = network.prefix().len();
    let prefix_value = prefix_value(network);
    let h = script.len() % BLOCK;
    // The head, `prefix || script[..h]`, as a big-endian number of up to 23 bytes: `low` is its
    // last 16 bytes, `high` the rest.
    let (high, low) = match h {
        0 => (0, prefix_value),
        _ => {
            let bits = 8 * h as u32;
            let script_head = u128::from_be_bytes(*first) >> (128 - bits);
            (
                prefix_value >> (128 - bits),
                (prefix_value << bits) | script_head,
            )
        }
    };
    let mut digest = CRC64.digest();
    if prefix + h > BLOCK {
        digest.update(&high.to_be_bytes());
    }
    digest.update(&low.to_be_bytes());
    digest.update(&script[h..]);
    digest.finalize()
}

/// A prefix's ASCII bytes as a big-endian number.
const fn prefix_value(network: Network) -> u128 {
    let bytes = network.prefix().as_bytes();
    let mut value = 0u128;
    let mut i = 0;
    while i < bytes.len() {
        value = (value << 8) | bytes[i] as u128;
        i += 1;
    }
    value
}

/// A running CRC over the prefix then the script, fed to the `crc` crate in whole 16-byte
/// blocks.
pub(crate) struct Running {
    digest: crc::Digest<'static, u64, Table<16>>,
    /// Bytes not yet fed: `pending[..filled]`.
    pending: [u8; BLOCK],
    filled: usize,
}

impl Running {
    /// A CRC of `network`'s prefix followed by `script_len` script bytes (to come through
    /// [`Running::update`]).
    #[inline]
    pub(crate) fn new(network: Network, script_len: usize) -> Running {
        Running::with_prefix(network.prefix().as_bytes(), script_len)
    }

    /// The length only decides how many zeros lead: any length gives the right CRC, the right
    /// one gives whole blocks.
    #[inline]
    fn with_prefix(prefix: &[u8], script_len: usize) -> Running {
        let lead = (BLOCK - (prefix.len() + script_len) % BLOCK) % BLOCK;
        let mut crc = Running {
            digest: CRC64.digest(),
            pending: [0; BLOCK],
            filled: lead,
        };
        crc.update(prefix);
        crc
    }

    #[inline]
    pub(crate) fn update(&mut self, mut bytes: &[u8]) {
        if self.filled > 0 {
            let take = (BLOCK - self.filled).min(bytes.len());
            self.pending[self.filled..self.filled + take].copy_from_slice(&bytes[..take]);
            self.filled += take;
            bytes = &bytes[take..];
            if self.filled < BLOCK {
                return;
            }
            self.digest.update(&self.pending);
            self.filled = 0;
        }
        let whole = bytes.len() / BLOCK * BLOCK;
        self.digest.update(&bytes[..whole]);
        let rest = &bytes[whole..];
        self.pending[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    #[inline]
    pub(crate) fn finalize(mut self) -> u64 {
        // Empty when the announced length was right.
        self.digest.update(&self.pending[..self.filled]);
        self.digest.finalize()
    }
}

/// The k most significant bits of `crc`, left-aligned (lower bits zero).
#[inline]
pub(crate) fn top_bits(crc: u64, k: u32) -> u64 {
    crc & !(u64::MAX >> k)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block-assembled CRC equals the plain one, for every network and length around the
    /// block boundaries.
    #[test]
    fn crc64_of_equals_plain_crc() {
        let plain = Crc::<u64, crc::NoTable>::new(&CRC_64_ECMA_182);
        let data: alloc::vec::Vec<u8> = (0..100u8).map(|i| i.wrapping_mul(77) ^ 0xc3).collect();
        for network in Network::ALL {
            for len in 0..data.len() {
                let script = &data[..len];
                let expected = plain.checksum(&[network.prefix().as_bytes(), script].concat());
                assert_eq!(crc64_of(network, script), expected, "{network} {len}");
            }
        }
    }

    /// Any split of the input and any announced length give the plain CRC.
    #[test]
    fn running_equals_plain_crc() {
        let plain = Crc::<u64, crc::NoTable>::new(&CRC_64_ECMA_182);
        let data: alloc::vec::Vec<u8> = (0..120u8).map(|i| i.wrapping_mul(151) ^ 0x5a).collect();
        for prefix in [&b""[..], b"btc", b"testnet"] {
            for len in [0, 1, 9, 15, 16, 17, 22, 25, 34, 40, 41, 120] {
                let script = &data[..len];
                let expected = plain.checksum(&[prefix, script].concat());
                assert_eq!(crc64(prefix, script), expected, "{prefix:?} {len}");
                for announced in [0, len, len + 3] {
                    for split in [0, 1, 7, 16, 21] {
                        let split = split.min(len);
                        let mut crc = Running::with_prefix(prefix, announced);
                        crc.update(&script[..split]);
                        crc.update(&script[split..]);
                        assert_eq!(
                            crc.finalize(),
                            expected,
                            "{prefix:?} {len} {announced} {split}"
                        );
                    }
                }
            }
        }
    }
}
