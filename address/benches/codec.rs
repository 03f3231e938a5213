//! Encode and decode speed of the generic format next to the standard formats, in one run:
//! bech32 (`bech32::segwit`, the crate `bitcoin` uses) for witness programs, and the `bitcoin`
//! crate's base58 address parse and display for P2PKH; and the `floor` group: the required
//! dependencies' calls alone, the bound on any ratio a generic codec that uses them can reach.
//!
//! ```text
//! CARGO_TARGET_DIR=/tmp/target-bench cargo bench -p btcaddr --bench codec
//! ```
//!
//! Results and ratios: docs/BENCHMARKS.md, section "Address codec".

use std::hint::black_box;
use std::str::FromStr;
use std::time::Duration;

use bitcoin::address::NetworkUnchecked;
use bitcoin::{Address, Network as BtcNetwork, Script};
use btcaddr::Network;
use crc::{Crc, NoTable, Table, CRC_64_ECMA_182};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

static TABLE16: Crc<u64, Table<16>> = Crc::<u64, Table<16>>::new(&CRC_64_ECMA_182);
static TABLE1: Crc<u64, Table<1>> = Crc::<u64, Table<1>>::new(&CRC_64_ECMA_182);
static NO_TABLE: Crc<u64, NoTable> = Crc::<u64, NoTable>::new(&CRC_64_ECMA_182);
/// The CRC register after the prefix `btc` (init 0, no reflection, no final xor).
const PREFIX_CRC: u64 = Crc::<u64, NoTable>::new(&CRC_64_ECMA_182).checksum(b"btc");

/// (name, scriptPubKey) with fixed pseudo-random bytes.
fn scripts() -> Vec<(&'static str, Vec<u8>)> {
    let bytes = |n: usize, seed: u8| -> Vec<u8> {
        (0..n as u8)
            .map(|i| i.wrapping_mul(97).wrapping_add(seed))
            .collect()
    };
    vec![
        ("P2WPKH", [&[0x00, 0x14][..], &bytes(20, 3)].concat()),
        ("P2WSH", [&[0x00, 0x20][..], &bytes(32, 5)].concat()),
        (
            "P2PKH",
            [&[0x76, 0xa9, 0x14][..], &bytes(20, 7), &[0x88, 0xac]].concat(),
        ),
    ]
}

fn encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("encode");
    for (name, script) in scripts() {
        group.bench_with_input(BenchmarkId::new("generic", name), &script, |b, s| {
            b.iter(|| btcaddr::encode(Network::Btc, black_box(s)).unwrap())
        });
        let spk = Script::from_bytes(&script);
        if spk.is_witness_program() {
            let version = bech32::Fe32::try_from(spk.witness_version().unwrap().to_num()).unwrap();
            let program = script[2..].to_vec();
            group.bench_with_input(BenchmarkId::new("bech32", name), &program, |b, p| {
                b.iter(|| bech32::segwit::encode(bech32::hrp::BC, version, black_box(p)).unwrap())
            });
        } else {
            let address = Address::from_script(spk, BtcNetwork::Bitcoin).unwrap();
            group.bench_with_input(BenchmarkId::new("base58", name), &address, |b, a| {
                b.iter(|| black_box(a).to_string())
            });
        }
    }
    group.finish();
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    for (name, script) in scripts() {
        let generic = btcaddr::encode(Network::Btc, &script).unwrap();
        group.bench_with_input(BenchmarkId::new("generic", name), &generic, |b, s| {
            b.iter(|| btcaddr::decode(black_box(s)).unwrap())
        });
        group.bench_with_input(
            BenchmarkId::new("generic-verify", name),
            &generic,
            |b, s| b.iter(|| btcaddr::verify(black_box(s)).unwrap()),
        );
        let mut buf = [0u8; 64];
        group.bench_with_input(
            BenchmarkId::new("generic-decode_to_slice", name),
            &generic,
            |b, s| {
                b.iter(|| {
                    btcaddr::decode_to_slice(black_box(s), &mut buf)
                        .unwrap()
                        .1
                        .len()
                })
            },
        );
        let spk = Script::from_bytes(&script);
        let standard = Address::from_script(spk, BtcNetwork::Bitcoin)
            .unwrap()
            .to_string();
        if spk.is_witness_program() {
            group.bench_with_input(BenchmarkId::new("bech32", name), &standard, |b, s| {
                b.iter(|| bech32::segwit::decode(black_box(s)).unwrap())
            });
        } else {
            group.bench_with_input(BenchmarkId::new("base58", name), &standard, |b, s| {
                b.iter(|| Address::<NetworkUnchecked>::from_str(black_box(s)).unwrap())
            });
        }
    }
    group.finish();
}

/// The CRC-64/ECMA-182 of `btc` + a P2WPKH script (25 bytes) through the `crc` crate's
/// implementations, to choose one for ~25-byte inputs and a way to feed it:
///
/// * `*-prefix-then-script`: the prefix fed at run time, then the script;
/// * `*-from-prefix-crc`: a digest started from the prefix's CRC (what `btcaddr` does: with init 0,
///   no reflection and no final xor the register after the prefix is the prefix's CRC);
/// * `Table16-zero-led-blocks`: 7 zero bytes, prefix and script as two whole 16-byte blocks
///   (leading zeros leave an init-0 CRC unchanged), buffer prepared outside the timing.
fn crc(c: &mut Criterion) {
    let mut group = c.benchmark_group("crc");
    let (name, script) = scripts().swap_remove(0);
    group.bench_with_input(
        BenchmarkId::new("Table16-prefix-then-script", name),
        &script,
        |b, s| {
            b.iter(|| {
                let mut d = TABLE16.digest();
                d.update(black_box(b"btc"));
                d.update(black_box(s));
                d.finalize()
            })
        },
    );
    // The crate seals its table sizes, so a macro rather than a generic function.
    macro_rules! from_prefix_crc {
        ($label:literal, $crc:expr) => {
            group.bench_with_input(BenchmarkId::new($label, name), &script, |b, s| {
                b.iter(|| {
                    let mut d = $crc.digest_with_initial(black_box(PREFIX_CRC));
                    d.update(black_box(s));
                    d.finalize()
                })
            });
        };
    }
    from_prefix_crc!("Table16-from-prefix-crc", TABLE16);
    from_prefix_crc!("Table1-from-prefix-crc", TABLE1);
    from_prefix_crc!("NoTable-from-prefix-crc", NO_TABLE);
    let zero_led = [&[0u8; 7][..], b"btc", &script].concat();
    assert_eq!(
        TABLE16.checksum(&zero_led),
        btcaddr::checksum::crc64(b"btc", &script)
    );
    group.bench_with_input(
        BenchmarkId::new("Table16-zero-led-blocks", name),
        &zero_led,
        |b, s| b.iter(|| TABLE16.checksum(black_box(s))),
    );
    group.finish();
}

/// The least any implementation that follows the project's dependency rule must spend: only the
/// calls into the two required crates (`crc` for the CRC-64, `data-encoding` for the z-base-32
/// letters) plus, for encode, the returned `String`. The stream bytes and padded letters are
/// prepared outside the timing, and nothing is checked: no prefix, case, length or Damm work.
/// `bech32` time ÷ this time bounds the ratio any rule-abiding generic codec can reach.
fn floor(c: &mut Criterion) {
    let zbase32 = btcaddr::zbase32::specification().encoding().unwrap();
    let mut group = c.benchmark_group("floor");
    for (name, script) in scripts().into_iter().take(2) {
        let generic = btcaddr::encode(Network::Btc, &script).unwrap();
        // The data letters (no prefix, no check letter), zero letters up to whole 8-letter
        // blocks, and the byte stream they stand for.
        let data = &generic["btc:".len()..generic.len() - 1];
        let mut padded = data.as_bytes().to_vec();
        padded.resize(data.len().div_ceil(8) * 8, b'y');
        let stream = zbase32.decode(&padded).unwrap();
        assert_eq!(&stream[..script.len()], &script[..]);
        let capacity = generic.len() + 7;
        group.bench_with_input(BenchmarkId::new("encode", name), &stream, |b, s| {
            b.iter(|| {
                let mut d = TABLE16.digest_with_initial(PREFIX_CRC);
                d.update(&black_box(s)[..script.len()]);
                let mut out = String::with_capacity(capacity);
                out.push_str("btc:");
                zbase32.encode_append(s, &mut out);
                (d.finalize(), out)
            })
        });
        let mut buf = [0u8; 64];
        group.bench_with_input(BenchmarkId::new("decode", name), &padded, |b, l| {
            b.iter(|| {
                let n = zbase32
                    .decode_mut(black_box(l), &mut buf[..l.len() / 8 * 5])
                    .unwrap();
                let mut d = TABLE16.digest_with_initial(PREFIX_CRC);
                d.update(&buf[..script.len()]);
                (n, d.finalize())
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    targets = encode, decode, crc, floor
}
criterion_main!(benches);
