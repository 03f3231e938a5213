//! Records in `blk?????.dat` and `rev?????.dat`.
//!
//! Core writes each record as `network magic (4) ‖ size (u32 LE) ‖ record` and, in `rev`
//! files only, a 32-byte checksum after it: SHA256d(previous block hash ‖ undo record)
//! (`WriteBlock`, `WriteBlockUndo`, `ReadRawBlock`, `ReadBlockUndo` in
//! `src/node/blockstorage.cpp`). The index's data/undo position is the offset of the record
//! itself, 8 bytes after the magic.
//!
//! Since v28 every byte of these files is XORed with the 8-byte key in `blocks/xor.dat` by
//! absolute file offset: byte `i` of the file with `key[i % 8]` (`AutoFile::detail_fread`
//! in `src/streams.cpp`). No file, or an all-zero key, means no obfuscation.
//!
//! Reads are positioned (`read_exact_at`), so one [`BlockFiles`] serves several threads.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bitcoin::hashes::{sha256d, Hash, HashEngine};
use bitcoin::p2p::Magic;
use bitcoin::BlockHash;

use super::error::FilesError;
use crate::decode::varint::MAX_SIZE;

/// Bytes before each record: magic and size.
pub const PREFIX_BYTES: u32 = 8;
/// Bytes after each undo record: its checksum.
pub const CHECKSUM_BYTES: usize = 32;
/// The smallest block record: an 80-byte header and a transaction count.
const MIN_BLOCK_SIZE: u32 = 81;
/// The smallest undo record: its CompactSize count.
const MIN_UNDO_SIZE: u32 = 1;
/// At most this many files are kept open; the next open past it starts the cache afresh.
const OPEN_FILES: usize = 64;

/// The key `blk`/`rev` files are XORed with.
///
/// ```
/// use btcaddr_analytics::source::files::blockfiles::XorKey;
/// let key = XorKey::from_bytes([1, 2, 3, 4, 5, 6, 7, 8]);
/// let mut bytes = [0u8; 4];
/// key.apply(&mut bytes, 6); // file offsets 6..10
/// assert_eq!(bytes, [7, 8, 1, 2]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct XorKey([u8; 8]);

impl XorKey {
    /// The key as stored in `xor.dat`.
    pub fn from_bytes(key: [u8; 8]) -> Self {
        XorKey(key)
    }

    /// Reads `blocks_dir/xor.dat`: a missing file is the all-zero key (blocks directories
    /// from before v28, or `-blocksxor=0`); a file of another length than 8 is an error.
    pub fn read(blocks_dir: &Path) -> Result<Self, FilesError> {
        let path = blocks_dir.join("xor.dat");
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(XorKey::default()),
            Err(source) => return Err(FilesError::Io { path, source }),
        };
        let key: [u8; 8] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| FilesError::XorKey {
                path,
                len: bytes.len() as u64,
            })?;
        Ok(XorKey(key))
    }

    /// Whether the key is all zero (no obfuscation).
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 8]
    }

    /// XORs `bytes`, read from absolute file offset `offset`, with the key.
    pub fn apply(&self, bytes: &mut [u8], offset: u64) {
        if self.is_zero() {
            return;
        }
        let mut key = self.0;
        key.rotate_left((offset % 8) as usize);
        let mut chunks = bytes.chunks_exact_mut(8);
        let wide = u64::from_ne_bytes(key);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            chunk.copy_from_slice(&(u64::from_ne_bytes(word) ^ wide).to_ne_bytes());
        }
        for (byte, k) in chunks.into_remainder().iter_mut().zip(key) {
            *byte ^= k;
        }
    }
}

/// Which of the two file sequences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `blk?????.dat`: blocks.
    Block,
    /// `rev?????.dat`: undo records.
    Undo,
}

/// Reader of block and undo records in one blocks directory.
#[derive(Debug)]
pub struct BlockFiles {
    dir: PathBuf,
    key: XorKey,
    magic: Magic,
    open: Mutex<HashMap<(FileKind, u32), Arc<File>>>,
}

impl BlockFiles {
    /// Records in `blocks_dir` of the chain whose network magic is `magic`; reads the XOR key.
    pub fn new(blocks_dir: &Path, magic: Magic) -> Result<Self, FilesError> {
        Ok(BlockFiles {
            dir: blocks_dir.to_path_buf(),
            key: XorKey::read(blocks_dir)?,
            magic,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// The XOR key in use.
    pub fn key(&self) -> XorKey {
        self.key
    }

    /// The path of file number `file` of a kind: always directly inside the blocks directory
    /// (the name is built from a number, never from the index's bytes).
    pub fn path(&self, kind: FileKind, file: u32) -> PathBuf {
        let prefix = match kind {
            FileKind::Block => "blk",
            FileKind::Undo => "rev",
        };
        self.dir.join(format!("{prefix}{file:05}.dat"))
    }

    fn file(&self, kind: FileKind, number: u32, height: u32) -> Result<Arc<File>, FilesError> {
        // A poisoned lock only means another reader panicked; the map is still sound.
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(file) = open.get(&(kind, number)) {
            return Ok(Arc::clone(file));
        }
        let path = self.path(kind, number);
        let file = match File::open(&path) {
            Ok(file) => Arc::new(file),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(FilesError::MissingFile { path, height })
            }
            Err(source) => return Err(FilesError::Io { path, source }),
        };
        if open.len() >= OPEN_FILES {
            open.clear();
        }
        open.insert((kind, number), Arc::clone(&file));
        Ok(file)
    }

    /// Reads `buf.len()` bytes at `offset` and removes the obfuscation.
    fn read_at(
        &self,
        file: &File,
        kind: FileKind,
        number: u32,
        height: u32,
        buf: &mut [u8],
        offset: u64,
    ) -> Result<(), FilesError> {
        if let Err(e) = file.read_exact_at(buf, offset) {
            let path = self.path(kind, number);
            return Err(if e.kind() == io::ErrorKind::UnexpectedEof {
                FilesError::Truncated {
                    file_len: file.metadata().map(|m| m.len()).unwrap_or(0),
                    path,
                    offset,
                    height,
                    needed: buf.len() as u64,
                }
            } else {
                FilesError::Io { path, source: e }
            });
        }
        self.key.apply(buf, offset);
        Ok(())
    }

    /// Reads and checks the 8-byte prefix before the record at `pos`; returns the size.
    fn prefix(
        &self,
        file: &File,
        kind: FileKind,
        number: u32,
        pos: u32,
        height: u32,
        min: u32,
    ) -> Result<u32, FilesError> {
        let start = pos
            .checked_sub(PREFIX_BYTES)
            .ok_or_else(|| FilesError::BadPosition {
                path: self.path(kind, number),
                offset: u64::from(pos),
                height,
            })?;
        let mut prefix = [0u8; PREFIX_BYTES as usize];
        self.read_at(file, kind, number, height, &mut prefix, u64::from(start))?;
        let (magic, size) = prefix.split_at(4);
        if magic != self.magic.to_bytes() {
            return Err(FilesError::WrongMagic {
                path: self.path(kind, number),
                offset: u64::from(start),
                height,
                found: hex(magic),
                expected: hex(&self.magic.to_bytes()),
            });
        }
        let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]);
        let max = MAX_SIZE as u32;
        if size < min || size > max {
            return Err(FilesError::SizeOutOfRange {
                path: self.path(kind, number),
                offset: u64::from(start) + 4,
                height,
                size,
                min,
                max,
            });
        }
        Ok(size)
    }

    /// The serialized block at `data_pos` in `blk{file}.dat`, read into `buf` (reused: no
    /// allocation once it has grown to the largest block).
    pub fn read_block<'b>(
        &self,
        file: u32,
        data_pos: u32,
        height: u32,
        buf: &'b mut Vec<u8>,
    ) -> Result<&'b [u8], FilesError> {
        let kind = FileKind::Block;
        let handle = self.file(kind, file, height)?;
        let size = self.prefix(&handle, kind, file, data_pos, height, MIN_BLOCK_SIZE)?;
        buf.clear();
        buf.resize(size as usize, 0);
        self.read_at(&handle, kind, file, height, buf, u64::from(data_pos))?;
        Ok(buf)
    }

    /// The undo record at `undo_pos` in `rev{file}.dat`, read into `buf` and checked against
    /// its checksum, which commits to `prev` (the hash of the block's parent).
    pub fn read_undo<'b>(
        &self,
        file: u32,
        undo_pos: u32,
        height: u32,
        prev: &BlockHash,
        buf: &'b mut Vec<u8>,
    ) -> Result<&'b [u8], FilesError> {
        let kind = FileKind::Undo;
        let handle = self.file(kind, file, height)?;
        let size = self.prefix(&handle, kind, file, undo_pos, height, MIN_UNDO_SIZE)? as usize;
        buf.clear();
        buf.resize(size + CHECKSUM_BYTES, 0);
        self.read_at(&handle, kind, file, height, buf, u64::from(undo_pos))?;
        let (record, stored) = buf.split_at(size);
        // HashWriter << uint256 << CBlockUndo: the 32 hash bytes as stored, then the record.
        let mut engine = sha256d::Hash::engine();
        engine.input(prev.as_byte_array());
        engine.input(record);
        let computed = sha256d::Hash::from_engine(engine);
        if computed.as_byte_array() != stored {
            return Err(FilesError::ChecksumMismatch {
                path: self.path(kind, file),
                offset: u64::from(undo_pos),
                height,
                stored: hex(stored),
                computed: hex(computed.as_byte_array()),
            });
        }
        Ok(&buf[..size])
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGTEST: Magic = Magic::REGTEST;

    /// A blocks directory with one blk and one rev file written the way Core does.
    struct Fixture {
        dir: tempfile::TempDir,
        key: [u8; 8],
        block: Vec<u8>,
        block_pos: u32,
        undo: Vec<u8>,
        undo_pos: u32,
        prev: BlockHash,
    }

    fn write_record(out: &mut Vec<u8>, magic: Magic, record: &[u8]) -> u32 {
        out.extend(magic.to_bytes());
        out.extend((record.len() as u32).to_le_bytes());
        let pos = out.len() as u32;
        out.extend(record);
        pos
    }

    fn obfuscate(key: [u8; 8], bytes: &mut [u8]) {
        for (i, b) in bytes.iter_mut().enumerate() {
            *b ^= key[i % 8];
        }
    }

    fn fixture(key: Option<[u8; 8]>) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let k = key.unwrap_or_default();
        if let Some(k) = key {
            std::fs::write(dir.path().join("xor.dat"), k).unwrap();
        }
        // Some filler first so records do not start at a multiple of 8.
        let mut blk = vec![0u8; 13];
        let block: Vec<u8> = (0..200u32).map(|i| (i * 7) as u8).collect();
        let block_pos = write_record(&mut blk, REGTEST, &block);
        let mut rev = vec![0u8; 5];
        let undo: Vec<u8> = (0..45u32).map(|i| (i * 11) as u8).collect();
        let prev = BlockHash::from_byte_array([0x5a; 32]);
        let undo_pos = write_record(&mut rev, REGTEST, &undo);
        let mut engine = sha256d::Hash::engine();
        engine.input(prev.as_byte_array());
        engine.input(&undo);
        rev.extend(sha256d::Hash::from_engine(engine).as_byte_array());
        obfuscate(k, &mut blk);
        obfuscate(k, &mut rev);
        std::fs::write(dir.path().join("blk00000.dat"), blk).unwrap();
        std::fs::write(dir.path().join("rev00000.dat"), rev).unwrap();
        Fixture {
            dir,
            key: k,
            block,
            block_pos,
            undo,
            undo_pos,
            prev,
        }
    }

    fn patch(f: &Fixture, name: &str, offset: usize, plain: &[u8]) {
        let path = f.dir.path().join(name);
        let mut bytes = std::fs::read(&path).unwrap();
        for (i, &b) in plain.iter().enumerate() {
            bytes[offset + i] = b ^ f.key[(offset + i) % 8];
        }
        std::fs::write(path, bytes).unwrap();
    }

    #[test]
    fn xor_by_absolute_offset() {
        let key = XorKey::from_bytes([1, 2, 3, 4, 5, 6, 7, 8]);
        for offset in 0..20u64 {
            let mut bytes = vec![0u8; 27];
            key.apply(&mut bytes, offset);
            for (i, b) in bytes.iter().enumerate() {
                assert_eq!(*b, ((offset + i as u64) % 8) as u8 + 1);
            }
        }
        let mut bytes = [9u8; 3];
        XorKey::default().apply(&mut bytes, 5);
        assert_eq!(bytes, [9; 3]);
    }

    #[test]
    fn xor_key_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(XorKey::read(dir.path()).unwrap().is_zero());
        std::fs::write(dir.path().join("xor.dat"), [0; 8]).unwrap();
        assert!(XorKey::read(dir.path()).unwrap().is_zero());
        std::fs::write(dir.path().join("xor.dat"), [1; 7]).unwrap();
        let err = XorKey::read(dir.path()).unwrap_err().to_string();
        assert!(
            err.ends_with("xor.dat: the XOR key must be 8 bytes, the file has 7"),
            "{err}"
        );
    }

    #[test]
    fn reads_records_with_and_without_key() {
        for key in [
            None,
            Some([0; 8]),
            Some([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]),
        ] {
            let f = fixture(key);
            let files = BlockFiles::new(f.dir.path(), REGTEST).unwrap();
            let mut buf = Vec::new();
            assert_eq!(
                files.read_block(0, f.block_pos, 7, &mut buf).unwrap(),
                &f.block[..]
            );
            assert_eq!(
                files
                    .read_undo(0, f.undo_pos, 7, &f.prev, &mut buf)
                    .unwrap(),
                &f.undo[..]
            );
            // The buffer is reused: no new allocation for a smaller record.
            let capacity = buf.capacity();
            let ptr = buf.as_ptr();
            files
                .read_undo(0, f.undo_pos, 7, &f.prev, &mut buf)
                .unwrap();
            assert_eq!((buf.capacity(), buf.as_ptr()), (capacity, ptr));
        }
    }

    #[test]
    fn checksum_mismatch() {
        let f = fixture(Some([9, 8, 7, 6, 5, 4, 3, 2]));
        let end = f.undo_pos as usize + f.undo.len();
        patch(&f, "rev00000.dat", end - 3, &[f.undo[f.undo.len() - 3] ^ 1]);
        let files = BlockFiles::new(f.dir.path(), REGTEST).unwrap();
        let err = files
            .read_undo(0, f.undo_pos, 7, &f.prev, &mut Vec::new())
            .unwrap_err();
        assert!(
            matches!(err, FilesError::ChecksumMismatch { height: 7, .. }),
            "{err}"
        );
        // The wrong parent hash fails the same way.
        let f = fixture(None);
        let files = BlockFiles::new(f.dir.path(), REGTEST).unwrap();
        let other = BlockHash::from_byte_array([0; 32]);
        let err = files
            .read_undo(0, f.undo_pos, 7, &other, &mut Vec::new())
            .unwrap_err();
        assert!(err.to_string().contains("checksum mismatch"), "{err}");
    }

    #[test]
    fn wrong_magic_and_wrong_network() {
        let f = fixture(Some([1; 8]));
        let files = BlockFiles::new(f.dir.path(), Magic::BITCOIN).unwrap();
        let err = files
            .read_block(0, f.block_pos, 3, &mut Vec::new())
            .unwrap_err();
        let expected = format!(
            "{}: offset {} (height 3): magic fabfb5da is not the expected f9beb4d9 (wrong network, wrong XOR key or wrong position)",
            f.dir.path().join("blk00000.dat").display(),
            f.block_pos - 8
        );
        assert_eq!(err.to_string(), expected);
        // A position off by one lands on other bytes.
        let files = BlockFiles::new(f.dir.path(), REGTEST).unwrap();
        let err = files
            .read_block(0, f.block_pos + 1, 3, &mut Vec::new())
            .unwrap_err();
        assert!(matches!(err, FilesError::WrongMagic { .. }), "{err}");
    }

    #[test]
    fn size_out_of_range() {
        let f = fixture(Some([3; 8]));
        let files = BlockFiles::new(f.dir.path(), REGTEST).unwrap();
        let size_at = f.block_pos as usize - 4;
        patch(
            &f,
            "blk00000.dat",
            size_at,
            &(MAX_SIZE as u32 + 1).to_le_bytes(),
        );
        let err = files
            .read_block(0, f.block_pos, 3, &mut Vec::new())
            .unwrap_err();
        assert!(
            matches!(err, FilesError::SizeOutOfRange { size, offset, .. } if size == MAX_SIZE as u32 + 1 && offset == size_at as u64),
            "{err}"
        );
        patch(&f, "blk00000.dat", size_at, &80u32.to_le_bytes());
        let err = files
            .read_block(0, f.block_pos, 3, &mut Vec::new())
            .unwrap_err();
        assert!(
            matches!(err, FilesError::SizeOutOfRange { size: 80, .. }),
            "{err}"
        );
    }

    #[test]
    fn truncated_missing_and_bad_positions() {
        let f = fixture(None);
        let path = f.dir.path().join("blk00000.dat");
        let len = std::fs::metadata(&path).unwrap().len();
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(len - 1).unwrap();
        let files = BlockFiles::new(f.dir.path(), REGTEST).unwrap();
        let err = files
            .read_block(0, f.block_pos, 4, &mut Vec::new())
            .unwrap_err();
        assert!(
            matches!(err, FilesError::Truncated { offset, needed: 200, file_len, height: 4, .. }
                if offset == u64::from(f.block_pos) && file_len == len - 1),
            "{err}"
        );
        // The undo checksum cut off.
        let path = f.dir.path().join("rev00000.dat");
        let len = std::fs::metadata(&path).unwrap().len();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(len - 32)
            .unwrap();
        let err = files
            .read_undo(0, f.undo_pos, 4, &f.prev, &mut Vec::new())
            .unwrap_err();
        assert!(matches!(err, FilesError::Truncated { .. }), "{err}");
        // A missing file and a position inside the prefix.
        let err = files
            .read_block(1, f.block_pos, 4, &mut Vec::new())
            .unwrap_err();
        assert!(
            err.to_string()
                .ends_with("blk00001.dat is missing (needed for height 4)"),
            "{err}"
        );
        let err = files.read_block(0, 7, 4, &mut Vec::new()).unwrap_err();
        assert!(
            matches!(err, FilesError::BadPosition { offset: 7, .. }),
            "{err}"
        );
    }
}
