//! The hidden `bench-input` command: deterministic benchmark inputs, so the benchmark needs no
//! data file and no other tool.

use std::io::{self, Write};

use bitcoin::hex::DisplayHex;
use bitcoin::{Address, Script};
use btcaddr::Network;

use super::args::BenchForm;

/// A splitmix64 stream: fast, seedable, good enough to make distinct hashes.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn fill(&mut self, bytes: &mut [u8]) {
        for chunk in bytes.chunks_mut(8) {
            let n = self.next().to_le_bytes();
            chunk.copy_from_slice(&n[..chunk.len()]);
        }
    }
}

/// The `i`-th script: P2WPKH, P2TR and P2PKH in turn, with pseudo-random hashes and keys.
fn script(i: u64, rng: &mut SplitMix, buf: &mut Vec<u8>) {
    buf.clear();
    match i % 3 {
        0 => {
            buf.extend_from_slice(&[0x00, 0x14]);
            buf.resize(22, 0);
            rng.fill(&mut buf[2..]);
        }
        1 => {
            buf.extend_from_slice(&[0x51, 0x20]);
            buf.resize(34, 0);
            rng.fill(&mut buf[2..]);
        }
        _ => {
            buf.extend_from_slice(&[0x76, 0xa9, 0x14]);
            buf.resize(23, 0);
            rng.fill(&mut buf[3..]);
            buf.extend_from_slice(&[0x88, 0xac]);
        }
    }
}

/// Writes `count` mainnet inputs in `form`, one per line.
pub fn write(count: u64, form: BenchForm, seed: u64, out: &mut impl Write) -> io::Result<()> {
    let mut rng = SplitMix(seed);
    let mut buf = Vec::with_capacity(34);
    for i in 0..count {
        script(i, &mut rng, &mut buf);
        match form {
            BenchForm::Standard => {
                let address =
                    Address::from_script(Script::from_bytes(&buf), bitcoin::Network::Bitcoin)
                        .map_err(|e| io::Error::other(e.to_string()))?;
                writeln!(out, "{address}")?;
            }
            BenchForm::Generic => {
                let text = btcaddr::encode(Network::Btc, &buf)
                    .map_err(|e| io::Error::other(e.to_string()))?;
                writeln!(out, "{text}")?;
            }
            BenchForm::Script => writeln!(out, "{}", buf.as_hex())?,
        }
    }
    out.flush()
}
