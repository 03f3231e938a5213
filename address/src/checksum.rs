//! The CRC-64/ECMA-182 over the ASCII prefix and the script, and how many of its bits are kept.

use crc::{Crc, NoTable, Table, CRC_64_ECMA_182};

use crate::Network;

/// The `crc` crate's table layout: slice-by-16 (32 KiB of tables), since the CRC is most of the
/// work of encoding a short script; with the `small-tables` feature one 2 KiB table, for builds
/// where size matters more than speed (the WebAssembly package). The checksum is the same.
#[cfg(not(feature = "small-tables"))]
type Tables = Table<16>;
#[cfg(feature = "small-tables")]
type Tables = Table<1>;

/// CRC-64/ECMA-182 (not CRC-64/XZ): polynomial 0x42F0E1EBA9EA3693, init 0, not reflected.
/// A `static`, so every digest borrows the one copy of the tables.
static CRC64: Crc<u64, Tables> = Crc::<u64, Tables>::new(&CRC_64_ECMA_182);

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

/// The CRC of `network`'s prefix and `script`.
#[inline]
pub(crate) fn crc64_of(network: Network, script: &[u8]) -> u64 {
    let mut crc = Running::new(network);
    crc.update(script);
    crc.finalize()
}

/// The CRC of each prefix, computed at compile time.
///
/// CRC-64/ECMA-182 has init 0, no reflection and no final xor, so its register after the prefix
/// *is* the prefix's CRC, and a digest started from that value continues over the script: the
/// prefix costs nothing at run time.
const fn prefix_crc(network: Network) -> u64 {
    Crc::<u64, NoTable>::new(&CRC_64_ECMA_182).checksum(network.prefix().as_bytes())
}

/// A running CRC over the prefix then the script, for streaming decoders.
pub(crate) struct Running(crc::Digest<'static, u64, Tables>);

impl Running {
    #[inline]
    pub(crate) fn new(network: Network) -> Running {
        const BTC: u64 = prefix_crc(Network::Btc);
        const TESTNET: u64 = prefix_crc(Network::Testnet);
        const SIGNET: u64 = prefix_crc(Network::Signet);
        const REGTEST: u64 = prefix_crc(Network::Regtest);
        let initial = match network {
            Network::Btc => BTC,
            Network::Testnet => TESTNET,
            Network::Signet => SIGNET,
            Network::Regtest => REGTEST,
        };
        Running(CRC64.digest_with_initial(initial))
    }

    #[inline]
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes)
    }

    #[inline]
    pub(crate) fn finalize(self) -> u64 {
        self.0.finalize()
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

    /// Starting from the precomputed prefix CRC gives the CRC of prefix and script, for every
    /// network, any length and any split of the script.
    #[test]
    fn running_equals_plain_crc() {
        let plain = Crc::<u64, NoTable>::new(&CRC_64_ECMA_182);
        let data: alloc::vec::Vec<u8> = (0..100u8).map(|i| i.wrapping_mul(77) ^ 0xc3).collect();
        for network in Network::ALL {
            for len in 0..data.len() {
                let script = &data[..len];
                let expected = plain.checksum(&[network.prefix().as_bytes(), script].concat());
                assert_eq!(crc64_of(network, script), expected, "{network} {len}");
                assert_eq!(crc64(network.prefix().as_bytes(), script), expected);
                let split = len / 3;
                let mut crc = Running::new(network);
                crc.update(&script[..split]);
                crc.update(&script[split..]);
                assert_eq!(crc.finalize(), expected, "{network} {len} split");
            }
        }
    }
}
