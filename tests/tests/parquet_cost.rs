//! The benchmark's `parquet-cost` helper: it writes and reads back real `txs.parquet` frames
//! with every codec it lists, and names a bad file instead of panicking.

use assert_cmd::Command;
use bitcoin::absolute::LockTime;
use bitcoin::consensus::encode::{serialize, VarInt};
use bitcoin::{transaction, Amount, OutPoint, ScriptBuf, Sequence, Transaction, TxIn, TxOut};

const CODECS: [&str; 7] = [
    "uncompressed",
    "snappy",
    "lz4",
    "zstd-1",
    "zstd-3",
    "zstd-6",
    "zstd-9",
];

/// The regtest genesis block (height 0, no fee rows) and, at height 1, the same block with a
/// transaction spending its coinbase for a fee of 1,000 sat, with both blocks' REST spent
/// outputs.
fn write_blocks(dir: &std::path::Path) {
    let genesis = bitcoin::blockdata::constants::genesis_block(bitcoin::Network::Regtest);
    std::fs::write(dir.join("0.block"), serialize(&genesis)).unwrap();
    // The coinbase spends nothing: one transaction, an empty list.
    std::fs::write(dir.join("0.spent"), [1u8, 0]).unwrap();

    let coinbase_out = genesis.txdata[0].output[0].clone();
    let spend = Transaction {
        version: transaction::Version::TWO,
        lock_time: LockTime::ZERO,
        input: vec![TxIn {
            previous_output: OutPoint::new(genesis.txdata[0].compute_txid(), 0),
            script_sig: ScriptBuf::from_bytes(vec![0x51]),
            sequence: Sequence::MAX,
            witness: Default::default(),
        }],
        output: vec![TxOut {
            value: coinbase_out.value - Amount::from_sat(1000),
            script_pubkey: ScriptBuf::from_bytes(vec![0x51]),
        }],
    };
    let mut block = genesis.clone();
    block.txdata.push(spend);
    std::fs::write(dir.join("1.block"), serialize(&block)).unwrap();
    let mut spent = serialize(&VarInt(2));
    spent.extend(serialize(&Vec::<TxOut>::new()));
    spent.extend(serialize(&vec![coinbase_out]));
    std::fs::write(dir.join("1.spent"), spent).unwrap();
}

#[test]
fn parquet_cost_prints_every_codec_and_names_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    write_blocks(dir.path());
    let ok = Command::cargo_bin("parquet-cost")
        .unwrap()
        .arg(dir.path())
        .arg("2")
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&ok.get_output().stdout).to_string();
    assert!(stdout.starts_with("2 blocks, 1 transactions, "), "{stdout}");
    for codec in CODECS {
        let row = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(codec))
            .unwrap_or_else(|| panic!("no {codec} row: {stdout}"));
        // codec, bytes, MB, ratio, write s, write MB/s, read s, read MB/s: all numbers.
        let fields: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(fields.len(), 8, "{row}");
        for field in &fields[1..] {
            assert!(field.parse::<f64>().is_ok(), "{field} in {row}");
        }
        assert!(fields[1].parse::<usize>().unwrap() > 0, "{row}");
    }
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("CPU of other threads during a rep: at most ")),
        "{stdout}"
    );

    std::fs::write(dir.path().join("2.block"), b"not a block").unwrap();
    std::fs::write(dir.path().join("2.spent"), [0u8]).unwrap();
    let bad = Command::cargo_bin("parquet-cost")
        .unwrap()
        .arg(dir.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&bad.get_output().stderr).to_string();
    assert!(stderr.contains("2.block"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");

    // A missing spent file is named too.
    std::fs::remove_file(dir.path().join("2.spent")).unwrap();
    let missing = Command::cargo_bin("parquet-cost")
        .unwrap()
        .arg(dir.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&missing.get_output().stderr).to_string();
    assert!(stderr.contains("2.spent"), "{stderr}");
}
