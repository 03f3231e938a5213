//! Every error of the facade, provoked on copies of the tiny chain's blocks directory.

use super::common;

use std::fs::{self, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::Path;

use bitcoin::hashes::Hash;
use bitcoin::{BlockHash, Network};
use btcaddr_analytics::source::files::index::{status, IndexEntry};
use btcaddr_analytics::source::files::{FilesError, NodeFiles};

fn copy() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    common::copy_tree(&common::tiny_blocks_dir(), temp.path());
    temp
}

fn xor_key(dir: &Path) -> [u8; 8] {
    fs::read(dir.join("xor.dat")).unwrap().try_into().unwrap()
}

/// Flips (XORs) one plain byte at `offset` of a file: the same flip in obfuscated form.
fn flip(path: &Path, offset: u64, mask: u8) {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .unwrap();
    let mut byte = [0];
    file.read_exact_at(&mut byte, offset).unwrap();
    byte[0] ^= mask;
    file.write_all_at(&byte, offset).unwrap();
}

#[test]
fn truncated_block_file() {
    let dir = copy();
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    let tip = node.entry(125).unwrap().clone();
    let cut = u64::from(tip.data_pos.unwrap()) + 100;
    OpenOptions::new()
        .write(true)
        .open(dir.path().join("blk00000.dat"))
        .unwrap()
        .set_len(cut)
        .unwrap();
    let err = node.block(125, &mut Vec::new()).unwrap_err();
    match &err {
        FilesError::Truncated {
            height,
            offset,
            file_len,
            ..
        } => {
            assert_eq!(
                (*height, *offset, *file_len),
                (125, u64::from(tip.data_pos.unwrap()), cut)
            );
        }
        other => panic!("{other}"),
    }
    assert!(
        err.to_string()
            .contains("blk00000.dat: record for height 125"),
        "{err}"
    );
    // Earlier blocks still read.
    node.block(124, &mut Vec::new()).unwrap();
}

#[test]
fn truncated_undo_file_and_missing_file() {
    let dir = copy();
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    let pos = node.entry(125).unwrap().undo_pos.unwrap();
    let rev = dir.path().join("rev00000.dat");
    // Cut inside the checksum.
    let mut prefix = [0u8; 4];
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&rev)
        .unwrap();
    file.read_exact_at(&mut prefix, u64::from(pos) - 4).unwrap();
    let key = xor_key(dir.path());
    for (i, b) in prefix.iter_mut().enumerate() {
        *b ^= key[(pos as usize - 4 + i) % 8];
    }
    let size = u32::from_le_bytes(prefix);
    file.set_len(u64::from(pos + size) + 31).unwrap();
    let err = node.undo(125, &mut Vec::new()).unwrap_err();
    assert!(
        matches!(err, FilesError::Truncated { height: 125, .. }),
        "{err}"
    );
    // No rev file at all (a fresh NodeFiles: the old one keeps its open handle).
    fs::remove_file(&rev).unwrap();
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    let err = node.undo(7, &mut Vec::new()).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("rev00000.dat is missing (needed for height 7)"),
        "{err}"
    );
}

#[test]
fn flipped_checksum_byte() {
    let dir = copy();
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    let mut buf = Vec::new();
    let size = node.undo(110, &mut buf).unwrap().len() as u64;
    let pos = u64::from(node.entry(110).unwrap().undo_pos.unwrap());
    flip(&dir.path().join("rev00000.dat"), pos + size + 5, 0x01);
    let err = node.undo(110, &mut buf).unwrap_err();
    assert!(
        matches!(err, FilesError::ChecksumMismatch { height: 110, .. }),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains(&format!("at offset {pos}: checksum mismatch")),
        "{err}"
    );
    // A flipped record byte fails the same check.
    flip(&dir.path().join("rev00000.dat"), pos + size + 5, 0x01);
    node.undo(110, &mut buf).unwrap();
    flip(&dir.path().join("rev00000.dat"), pos + 3, 0x80);
    assert!(matches!(
        node.undo(110, &mut buf),
        Err(FilesError::ChecksumMismatch { .. })
    ));
}

#[test]
fn wrong_magic() {
    let dir = copy();
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    let pos = u64::from(node.entry(50).unwrap().data_pos.unwrap());
    flip(&dir.path().join("blk00000.dat"), pos - 8, 0xff);
    let err = node.block(50, &mut Vec::new()).unwrap_err();
    assert!(
        matches!(err, FilesError::WrongMagic { height: 50, offset, .. } if offset == pos - 8),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("magic 05bfb5da is not the expected fabfb5da"),
        "{err}"
    );
    // A wrong XOR key shows up as wrong magic too.
    fs::write(dir.path().join("xor.dat"), [0u8; 8]).unwrap();
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    let err = node.block(51, &mut Vec::new()).unwrap_err();
    assert!(matches!(err, FilesError::WrongMagic { .. }), "{err}");
}

#[test]
fn size_out_of_range() {
    let dir = copy();
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    let pos = u64::from(node.entry(60).unwrap().data_pos.unwrap());
    // The size's top byte: 0x00 -> 0x10 is 256 MiB, above MAX_SIZE.
    flip(&dir.path().join("blk00000.dat"), pos - 1, 0x10);
    let err = node.block(60, &mut Vec::new()).unwrap_err();
    assert!(
        matches!(err, FilesError::SizeOutOfRange { height: 60, .. }),
        "{err}"
    );
}

// ---- hand-modified copies of the block index ----

fn write_varint(out: &mut Vec<u8>, mut n: u64) {
    let mut tmp = Vec::new();
    loop {
        tmp.push((n & 0x7f) as u8 | if tmp.is_empty() { 0 } else { 0x80 });
        if n <= 0x7f {
            break;
        }
        n = (n >> 7) - 1;
    }
    tmp.reverse();
    out.extend(tmp);
}

/// CDiskBlockIndex serialization, as Core writes it.
fn encode(e: &IndexEntry) -> Vec<u8> {
    let mut v = Vec::new();
    write_varint(&mut v, 259_900);
    write_varint(&mut v, e.height.into());
    write_varint(&mut v, e.status.into());
    write_varint(&mut v, e.tx_count.into());
    if e.status & (status::HAVE_DATA | status::HAVE_UNDO) != 0 {
        write_varint(&mut v, e.file.unwrap_or(0).into());
    }
    if e.status & status::HAVE_DATA != 0 {
        write_varint(&mut v, e.data_pos.unwrap_or(0).into());
    }
    if e.status & status::HAVE_UNDO != 0 {
        write_varint(&mut v, e.undo_pos.unwrap_or(0).into());
    }
    v.extend(bitcoin::consensus::serialize(&e.header));
    v
}

fn key(hash: &BlockHash) -> Vec<u8> {
    let mut k = vec![b'b'];
    k.extend(hash.as_byte_array());
    k
}

/// Writes `entries` (key hash, value) into the copy's index with rusty-leveldb.
fn put(dir: &Path, entries: &[(BlockHash, Vec<u8>)]) {
    let mut db = rusty_leveldb::DB::open(
        dir.join("index"),
        rusty_leveldb::Options {
            create_if_missing: false,
            ..Default::default()
        },
    )
    .unwrap();
    for (hash, value) in entries {
        db.put(&key(hash), value).unwrap();
    }
    db.flush().unwrap();
    db.close().unwrap();
}

#[test]
fn encoder_matches_the_index() {
    // The test encoder re-creates the node's bytes exactly (so the modified copies below
    // differ only where intended).
    let dir = copy();
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    for height in [0, 1, 125] {
        let e = node.entry(height).unwrap();
        let decoded = IndexEntry::decode(e.hash, &encode(e)).unwrap();
        assert_eq!(&decoded, e);
    }
}

#[test]
fn undo_missing_and_pruned() {
    let dir = copy();
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    let mut no_undo = node.entry(125).unwrap().clone();
    no_undo.status &= !status::HAVE_UNDO;
    no_undo.undo_pos = None;
    let mut pruned = node.entry(124).unwrap().clone();
    pruned.status &= !(status::HAVE_UNDO | status::HAVE_DATA);
    pruned.file = None;
    pruned.data_pos = None;
    pruned.undo_pos = None;
    put(
        dir.path(),
        &[
            (no_undo.hash, encode(&no_undo)),
            (pruned.hash, encode(&pruned)),
        ],
    );

    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    assert_eq!(node.tip_height(), 125);
    let err = node.undo(125, &mut Vec::new()).unwrap_err();
    assert!(
        matches!(err, FilesError::UndoMissing { height: 125, .. }),
        "{err}"
    );
    assert!(err
        .to_string()
        .contains("has no undo data (not connected yet, or pruned)"));
    node.block(125, &mut Vec::new()).unwrap();
    let err = node.block(124, &mut Vec::new()).unwrap_err();
    assert!(
        matches!(err, FilesError::Pruned { height: 124, .. }),
        "{err}"
    );
    assert!(matches!(
        node.undo(124, &mut Vec::new()),
        Err(FilesError::UndoMissing { .. })
    ));
}

#[test]
fn failed_tip_is_not_active() {
    let dir = copy();
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    let mut failed = node.entry(125).unwrap().clone();
    failed.status |= status::FAILED_VALID;
    put(dir.path(), &[(failed.hash, encode(&failed))]);
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    assert_eq!(node.tip_height(), 124);
}

#[test]
fn equal_work_tips_are_an_error() {
    let dir = copy();
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    let tip = node.entry(125).unwrap().clone();
    // A sibling of the tip: same parent and bits (equal work), another nonce, "validated".
    let mut twin = tip.clone();
    twin.header.nonce ^= 1;
    twin.hash = twin.header.block_hash();
    put(dir.path(), &[(twin.hash, encode(&twin))]);
    let err = NodeFiles::open(dir.path(), Network::Regtest).unwrap_err();
    match &err {
        FilesError::TipTie {
            first,
            second,
            first_height: 125,
            second_height: 125,
        } => {
            let mut pair = [*first, *second];
            pair.sort();
            let mut expected = [tip.hash, twin.hash];
            expected.sort();
            assert_eq!(pair, expected);
        }
        other => panic!("{other}"),
    }
    assert!(
        err.to_string().contains("ask the node (getbestblockhash)"),
        "{err}"
    );
}

#[test]
fn broken_entries() {
    let dir = copy();
    let node = NodeFiles::open(dir.path(), Network::Regtest).unwrap();
    let tip = node.entry(125).unwrap().clone();
    // Truncated value.
    let mut value = encode(&tip);
    value.truncate(value.len() - 1);
    put(dir.path(), &[(tip.hash, value)]);
    let err = NodeFiles::open(dir.path(), Network::Regtest).unwrap_err();
    assert!(
        matches!(err, FilesError::BrokenEntry { hash, .. } if hash == tip.hash),
        "{err}"
    );
    assert!(err.to_string().contains("header: truncated"), "{err}");
    // Header of another block under this key.
    let other = node.entry(124).unwrap();
    put(dir.path(), &[(tip.hash, encode(other))]);
    let err = NodeFiles::open(dir.path(), Network::Regtest).unwrap_err();
    assert!(err.to_string().contains("not to its key"), "{err}");
    // Bytes after the header.
    let mut value = encode(&tip);
    value.push(0);
    put(dir.path(), &[(tip.hash, value)]);
    let err = NodeFiles::open(dir.path(), Network::Regtest).unwrap_err();
    assert!(
        err.to_string()
            .contains("1 byte(s) left over after the header"),
        "{err}"
    );
    // Wrong height.
    let mut wrong = tip.clone();
    wrong.height = 200;
    put(dir.path(), &[(tip.hash, encode(&wrong))]);
    let err = NodeFiles::open(dir.path(), Network::Regtest).unwrap_err();
    assert!(
        err.to_string()
            .contains("height 200 but parent's height 124"),
        "{err}"
    );
}

#[test]
fn not_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let err = NodeFiles::open(dir.path(), Network::Regtest).unwrap_err();
    assert!(
        err.to_string()
            .contains("no CURRENT file: not a LevelDB directory"),
        "{err}"
    );
}
