//! The CRC-64/ECMA-182 over the ASCII prefix and the script, and how many of its bits are kept.

use crc::{Crc, Table, CRC_64_ECMA_182};

use crate::Network;

/// CRC-64/ECMA-182 (not CRC-64/XZ): polynomial 0x42F0E1EBA9EA3693, init 0, not reflected.
/// Slice-by-16 tables: the CRC is most of the work of encoding a short script.
const CRC64: Crc<u64, Table<16>> = Crc::<u64, Table<16>>::new(&CRC_64_ECMA_182);

/// The CRC of `ascii(prefix) || script`.
///
/// ```
/// // The catalogue check value of CRC-64/ECMA-182 is that of "123456789".
/// let crc = btcaddr::checksum::crc64(b"1234", b"56789");
/// assert_eq!(crc, 0x6C40_DF5F_0B49_7347);
/// ```
pub fn crc64(prefix: &[u8], script: &[u8]) -> u64 {
    let mut digest = CRC64.digest();
    digest.update(prefix);
    digest.update(script);
    digest.finalize()
}

/// A running CRC over the prefix then the script, for streaming decoders.
pub(crate) struct Running(crc::Digest<'static, u64, Table<16>>);

impl Running {
    pub(crate) fn new(network: Network) -> Running {
        let mut digest = CRC64.digest();
        digest.update(network.prefix().as_bytes());
        Running(digest)
    }

    #[inline]
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes)
    }

    pub(crate) fn finalize(self) -> u64 {
        self.0.finalize()
    }
}

/// The k most significant bits of `crc`, left-aligned (lower bits zero).
#[inline]
pub(crate) fn top_bits(crc: u64, k: u32) -> u64 {
    crc & !(u64::MAX >> k)
}
