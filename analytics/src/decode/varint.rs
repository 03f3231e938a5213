//! Bitcoin Core's two integer encodings, read from a byte slice with a cursor.
//!
//! * `VARINT` (`src/serialize.h`, `ReadVarInt`): MSB-first base-128 digits, the high bit of a
//!   byte says another follows, and one is added per continuation byte so every number has
//!   exactly one encoding. Core bounds it by the C++ type it reads into; [`Reader::varint`]
//!   takes that bound as `max` and fails exactly where Core throws "size too large".
//! * CompactSize (`ReadCompactSize`): one byte below 253, else a marker 253/254/255 and a
//!   little-endian u16/u32/u64. Core rejects a value spelled wider than needed and, for
//!   lengths, anything above `MAX_SIZE` (0x02000000).

use thiserror::Error;

/// Core's `MAX_SIZE` (`src/serialize.h`): the largest length `ReadCompactSize` accepts with
/// its range check, and the largest block or undo record `ReadRawBlock` reads.
pub const MAX_SIZE: u64 = 0x0200_0000;

/// Why an integer could not be read; every variant names the byte offset (in the slice the
/// [`Reader`] was made over) where the integer started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ReadError {
    /// The slice ended inside the value.
    #[error("truncated at byte {offset}: {needed} more byte(s) needed")]
    Truncated {
        /// Offset of the first missing byte.
        offset: usize,
        /// How many bytes were missing at least.
        needed: usize,
    },
    /// A VARINT larger than the type Core reads it into.
    #[error("VARINT at byte {offset} exceeds {max}")]
    VarIntTooLarge {
        /// Offset of the VARINT's first byte.
        offset: usize,
        /// The largest value allowed there.
        max: u64,
    },
    /// A CompactSize spelled in more bytes than its value needs.
    #[error("non-canonical CompactSize {value} at byte {offset}")]
    NonCanonical {
        /// Offset of the marker byte.
        offset: usize,
        /// The value read.
        value: u64,
    },
    /// A CompactSize length above Core's `MAX_SIZE`.
    #[error("CompactSize {value} at byte {offset} exceeds MAX_SIZE ({MAX_SIZE})")]
    TooLarge {
        /// Offset of the marker byte.
        offset: usize,
        /// The value read.
        value: u64,
    },
}

/// A cursor over a byte slice.
///
/// ```
/// use btcaddr_analytics::decode::varint::Reader;
/// // 300 as a VARINT is [0x81, 0x2c]: (0x01 + 1) * 128 + 0x2c.
/// let mut r = Reader::new(&[0x81, 0x2c, 0xfd, 0x00, 0x01]);
/// assert_eq!(r.varint(u64::from(u32::MAX)), Ok(300));
/// assert_eq!(r.compact_size(), Ok(256));
/// assert!(r.is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, position: 0 }
    }

    /// Offset of the next byte to be read.
    pub fn position(&self) -> usize {
        self.position
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.position
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The next `count` bytes.
    pub fn take(&mut self, count: usize) -> Result<&'a [u8], ReadError> {
        if count > self.remaining() {
            return Err(ReadError::Truncated {
                offset: self.bytes.len(),
                needed: count - self.remaining(),
            });
        }
        let taken = &self.bytes[self.position..self.position + count];
        self.position += count;
        Ok(taken)
    }

    /// The next `N` bytes, borrowed as an array.
    pub fn array_ref<const N: usize>(&mut self) -> Result<&'a [u8; N], ReadError> {
        let rest = &self.bytes[self.position..];
        let chunk = rest
            .first_chunk::<N>()
            .ok_or_else(|| ReadError::Truncated {
                offset: self.bytes.len(),
                needed: N - rest.len(),
            })?;
        self.position += N;
        Ok(chunk)
    }

    /// Skips `count` bytes.
    pub fn skip(&mut self, count: usize) -> Result<(), ReadError> {
        self.take(count).map(|_| ())
    }

    /// The next byte.
    pub fn byte(&mut self) -> Result<u8, ReadError> {
        Ok(self.take(1)?[0])
    }

    /// The next `N` bytes as an array.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], ReadError> {
        self.array_ref().copied()
    }

    /// A VARINT no larger than `max` (the maximum of the type Core reads into: `u32::MAX` for
    /// `unsigned int`/`uint32_t`, `i32::MAX` for `int` in `NONNEGATIVE_SIGNED` mode,
    /// `u64::MAX` for `uint64_t`).
    pub fn varint(&mut self, max: u64) -> Result<u64, ReadError> {
        let start = self.position;
        let too_large = ReadError::VarIntTooLarge { offset: start, max };
        let mut n: u64 = 0;
        loop {
            let byte = self.byte()?;
            // The same two checks, in the same places, as Core's ReadVarInt.
            if n > (max >> 7) {
                return Err(too_large);
            }
            n = (n << 7) | u64::from(byte & 0x7f);
            if byte & 0x80 == 0 {
                // With `max` below u64::MAX the shift can pass it on the last digit, which
                // Core's narrower type would make impossible: check explicitly.
                return if n > max { Err(too_large) } else { Ok(n) };
            }
            if n == max {
                return Err(too_large);
            }
            n += 1;
        }
    }

    /// A VARINT read into a `uint32_t` / `unsigned int`.
    pub fn varint_u32(&mut self) -> Result<u32, ReadError> {
        // In range by the bound given.
        self.varint(u64::from(u32::MAX)).map(|v| v as u32)
    }

    /// A CompactSize used as a length: canonical and at most [`MAX_SIZE`].
    pub fn compact_size(&mut self) -> Result<u64, ReadError> {
        let start = self.position;
        let value = self.compact_size_unchecked()?;
        if value > MAX_SIZE {
            return Err(ReadError::TooLarge {
                offset: start,
                value,
            });
        }
        Ok(value)
    }

    /// A canonical CompactSize without the `MAX_SIZE` range check.
    pub fn compact_size_unchecked(&mut self) -> Result<u64, ReadError> {
        let start = self.position;
        let (value, min) = match self.byte()? {
            small @ 0..=252 => return Ok(u64::from(small)),
            253 => (u64::from(u16::from_le_bytes(self.array()?)), 253),
            254 => (u64::from(u32::from_le_bytes(self.array()?)), 0x1_0000),
            255 => (u64::from_le_bytes(self.array()?), 0x1_0000_0000),
        };
        if value < min {
            self.position = start;
            return Err(ReadError::NonCanonical {
                offset: start,
                value,
            });
        }
        Ok(value)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Core's WriteVarInt, to round-trip against (and for the other decoders' tests).
    pub(crate) fn write_varint(mut n: u64) -> Vec<u8> {
        let mut tmp = Vec::new();
        loop {
            tmp.push((n & 0x7f) as u8 | if tmp.is_empty() { 0 } else { 0x80 });
            if n <= 0x7f {
                break;
            }
            n = (n >> 7) - 1;
        }
        tmp.reverse();
        tmp
    }

    #[test]
    fn varint_examples_from_serialize_h() {
        // The table in Core's serialize.h comment above VarIntMode.
        let table: &[(u64, &[u8])] = &[
            (0, &[0x00]),
            (1, &[0x01]),
            (127, &[0x7f]),
            (128, &[0x80, 0x00]),
            (255, &[0x80, 0x7f]),
            (256, &[0x81, 0x00]),
            (16383, &[0xfe, 0x7f]),
            (16384, &[0xff, 0x00]),
            (16511, &[0xff, 0x7f]),
            (65535, &[0x82, 0xfe, 0x7f]),
            (1 << 32, &[0x8e, 0xfe, 0xfe, 0xff, 0x00]),
        ];
        for &(value, bytes) in table {
            assert_eq!(Reader::new(bytes).varint(u64::MAX), Ok(value), "{bytes:x?}");
            assert_eq!(write_varint(value), bytes);
        }
    }

    #[test]
    fn varint_round_trips_at_type_limits() {
        for value in [
            u64::from(u32::MAX),
            u64::from(u32::MAX) - 1,
            u64::MAX,
            u64::MAX - 1,
        ] {
            let bytes = write_varint(value);
            let mut r = Reader::new(&bytes);
            assert_eq!(r.varint(u64::MAX), Ok(value));
            assert!(r.is_empty());
        }
        let bytes = write_varint(u64::from(u32::MAX));
        assert_eq!(Reader::new(&bytes).varint_u32(), Ok(u32::MAX));
    }

    #[test]
    fn varint_past_the_type_is_an_error_at_its_offset() {
        let mut bytes = vec![0x00, 0x00];
        bytes.extend(write_varint(u64::from(u32::MAX) + 1));
        let mut r = Reader::new(&bytes);
        r.skip(2).unwrap();
        assert_eq!(
            r.varint_u32(),
            Err(ReadError::VarIntTooLarge {
                offset: 2,
                max: u64::from(u32::MAX)
            })
        );
        // i32::MAX bound (NONNEGATIVE_SIGNED int).
        let bytes = write_varint(1 << 31);
        assert!(Reader::new(&bytes).varint(i32::MAX as u64).is_err());
        // Endless continuation bytes overflow rather than loop.
        assert!(matches!(
            Reader::new(&[0xff; 20]).varint(u64::MAX),
            Err(ReadError::VarIntTooLarge { offset: 0, .. })
        ));
    }

    #[test]
    fn varint_truncated() {
        let mut r = Reader::new(&[0x05, 0x80]);
        r.byte().unwrap();
        assert_eq!(
            r.varint(u64::MAX),
            Err(ReadError::Truncated {
                offset: 2,
                needed: 1
            })
        );
    }

    #[test]
    fn compact_size_forms() {
        let cases: &[(&[u8], u64)] = &[
            (&[0x00], 0),
            (&[0xfc], 252),
            (&[0xfd, 0xfd, 0x00], 253),
            (&[0xfd, 0xff, 0xff], 0xffff),
            (&[0xfe, 0x00, 0x00, 0x01, 0x00], 0x1_0000),
            (&[0xfe, 0x00, 0x00, 0x00, 0x02], MAX_SIZE),
        ];
        for &(bytes, value) in cases {
            let mut r = Reader::new(bytes);
            assert_eq!(r.compact_size(), Ok(value), "{bytes:x?}");
            assert!(r.is_empty());
        }
    }

    #[test]
    fn compact_size_rejections() {
        assert_eq!(
            Reader::new(&[0xfd, 0xfc, 0x00]).compact_size(),
            Err(ReadError::NonCanonical {
                offset: 0,
                value: 252
            })
        );
        assert!(matches!(
            Reader::new(&[0xfe, 0xff, 0xff, 0x00, 0x00]).compact_size(),
            Err(ReadError::NonCanonical { .. })
        ));
        assert!(matches!(
            Reader::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]).compact_size_unchecked(),
            Err(ReadError::NonCanonical { .. })
        ));
        assert_eq!(
            Reader::new(&[0xfe, 0x01, 0x00, 0x00, 0x02]).compact_size(),
            Err(ReadError::TooLarge {
                offset: 0,
                value: MAX_SIZE + 1
            })
        );
        assert_eq!(
            Reader::new(&[0xfe, 0x01, 0x00, 0x00, 0x02]).compact_size_unchecked(),
            Ok(MAX_SIZE + 1)
        );
        assert_eq!(
            Reader::new(&[0xfd, 0x01]).compact_size(),
            Err(ReadError::Truncated {
                offset: 2,
                needed: 1
            })
        );
    }
}
