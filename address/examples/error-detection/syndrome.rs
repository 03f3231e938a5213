//! The fast method: both the generic format's checks and bech32's checksum are linear over GF(2),
//! so whether a corruption is caught depends only on the error pattern, and the "syndrome" of a
//! pattern is the XOR of one precomputed value per (position, changed bits).
//!
//! * Generic: the Damm interim over data and check letters is `sum x^(L-i) * d_i` in GF(2^5)
//!   (the quasigroup `a * b = x*a ^ b` is linear), and the CRC-64 with init 0 and no final xor is
//!   linear in the message. A corruption passes both checks iff its syndrome is 0.
//! * bech32/bech32m: the BCH polymod is linear once its initial value is factored out: the
//!   corrupted residue is `original residue ^ polymod_0(error)`; the checksum passes iff the
//!   residue is bech32's constant 1 or bech32m's 0x2bc830a3.
//!
//! A pass is always confirmed by the real decoder, so counts of accepted strings are exact; the
//! table reports how often fast and real verdicts agree.

use btcaddr::{checksum, length};

/// Per-position, per-delta syndromes of one address's checked letters.
pub struct Syndromes {
    /// `table[pos][delta]`: syndrome of XOR-ing `delta` into the value of letter `pos`.
    pub table: Vec<[u64; 32]>,
    /// Residue of the uncorrupted string.
    pub base: u64,
    /// Residues that pass the check(s).
    pub targets: [u64; 2],
    /// How many bits the syndrome has (for the rank and the exact random-string rate).
    pub bits: u32,
}

impl Syndromes {
    /// Whether a corruption with XOR-ed syndrome `s` passes the checksum(s).
    #[inline]
    pub fn passes(&self, s: u64) -> bool {
        let r = self.base ^ s;
        r == self.targets[0] || r == self.targets[1]
    }

    /// Syndrome of changing letter `pos` by XOR `delta`.
    #[inline]
    pub fn of(&self, pos: usize, delta: u8) -> u64 {
        self.table[pos][usize::from(delta)]
    }

    /// Rank over GF(2) of the map from error bits to syndromes.
    pub fn rank(&self) -> u32 {
        let rows: Vec<u64> = self
            .table
            .iter()
            .flat_map(|t| [1, 2, 4, 8, 16].map(|d| t[d]))
            .collect();
        // Greedy reduction against a basis indexed by leading bit.
        let mut by_lead = [0u64; 64];
        let mut rank = 0;
        for mut v in rows {
            while v != 0 {
                let lead = 63 - v.leading_zeros() as usize;
                if by_lead[lead] == 0 {
                    by_lead[lead] = v;
                    rank += 1;
                    break;
                }
                v ^= by_lead[lead];
            }
        }
        rank
    }

    /// A nonzero error pattern on letters `positions` (a delta per position, some may be 0)
    /// whose syndrome is 0, if the columns are dependent.
    pub fn kernel_vector(&self, positions: &[usize]) -> Option<Vec<u8>> {
        let rows: Vec<u64> = positions
            .iter()
            .flat_map(|&p| [1, 2, 4, 8, 16].map(|d| self.table[p][d]))
            .collect();
        let mask = eliminate(&rows)?;
        Some(
            positions
                .iter()
                .enumerate()
                .map(|(k, _)| ((mask >> (5 * k)) & 31) as u8)
                .collect(),
        )
    }
}

/// Gaussian elimination of up to 128 rows: the first nonzero combination of rows (bit i = row i)
/// that XORs to 0, if any.
fn eliminate(rows: &[u64]) -> Option<u128> {
    assert!(rows.len() <= 128);
    let mut by_lead: [Option<(u64, u128)>; 64] = [None; 64];
    let mut dependency = None;
    for (i, &row) in rows.iter().enumerate() {
        let (mut v, mut combo) = (row, 1u128 << i);
        while v != 0 {
            let lead = 63 - v.leading_zeros() as usize;
            match by_lead[lead] {
                Some((b, c)) => {
                    v ^= b;
                    combo ^= c;
                }
                None => {
                    by_lead[lead] = Some((v, combo));
                    break;
                }
            }
        }
        if v == 0 {
            dependency.get_or_insert(combo);
        }
    }
    dependency
}

/// GF(2^5) with modulus x^5 + x^2 + 1: multiply by x.
fn times_x(a: u8) -> u8 {
    let s = a << 1;
    if s & 0x20 != 0 {
        s ^ 0x25
    } else {
        s
    }
}

/// Syndromes of a generic address of a `script_len`-byte script (the prefix does not matter:
/// leading bytes never change a CRC whose register starts at 0).
pub fn generic(script_len: usize) -> Syndromes {
    let n = script_len * 8;
    let k = length::crc_bits(script_len);
    let data = length::data_letters(script_len);
    let crc_of_bit = |b: usize| -> u64 {
        if b < n {
            let mut msg = vec![0u8; script_len];
            msg[b / 8] = 0x80 >> (b % 8);
            let crc = checksum::crc64(b"", &msg);
            (crc & !(u64::MAX >> k)) >> (64 - k)
        } else {
            // A CRC bit itself: bit (b - n) of the top-aligned k-bit field.
            1u64 << (k as usize - 1 - (b - n))
        }
    };
    let mut table = Vec::with_capacity(data + 1);
    for pos in 0..=data {
        let mut row = [0u64; 32];
        for delta in 1..32u8 {
            // Damm weight of letter pos is x^(data - pos).
            let mut damm = delta;
            for _ in 0..(data - pos) {
                damm = times_x(damm);
            }
            let mut crc = 0u64;
            if pos < data {
                for bit in 0..5 {
                    if delta & (0x10 >> bit) != 0 {
                        crc ^= crc_of_bit(5 * pos + bit);
                    }
                }
            }
            row[usize::from(delta)] = u64::from(damm) << 40 | crc;
        }
        table.push(row);
    }
    Syndromes {
        table,
        base: 0,
        targets: [0, 0],
        bits: 5 + k,
    }
}

const BECH32_GEN: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const BECH32_CONST: u64 = 1;
const BECH32M_CONST: u64 = 0x2bc830a3;
/// The bech32 data-part characters, value 0 to 31.
pub const BECH32_CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn polymod(init: u32, values: impl IntoIterator<Item = u8>) -> u32 {
    let mut chk = init;
    for v in values {
        let top = chk >> 25;
        chk = (chk & 0x1ff_ffff) << 5 ^ u32::from(v);
        for (i, g) in BECH32_GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// Syndromes of a bech32/bech32m string `hrp 1 data` (data part with checksum, lowercase).
pub fn bech32(hrp: &str, data_part: &str) -> Syndromes {
    let values: Vec<u8> = data_part
        .bytes()
        .map(|c| {
            BECH32_CHARSET
                .iter()
                .position(|&x| x == c)
                .expect("bech32 char") as u8
        })
        .collect();
    let expanded = hrp
        .bytes()
        .map(|b| b >> 5)
        .chain([0])
        .chain(hrp.bytes().map(|b| b & 31));
    let base = u64::from(polymod(1, expanded.chain(values.iter().copied())));
    assert!(
        base == BECH32_CONST || base == BECH32M_CONST,
        "not a valid bech32 string"
    );
    let len = values.len();
    let table = (0..len)
        .map(|pos| {
            let mut row = [0u64; 32];
            for delta in 1..32u8 {
                let err = (0..len).map(|i| if i == pos { delta } else { 0 });
                row[usize::from(delta)] = u64::from(polymod(0, err));
            }
            row
        })
        .collect();
    Syndromes {
        table,
        base,
        targets: [BECH32_CONST, BECH32M_CONST],
        bits: 30,
    }
}
