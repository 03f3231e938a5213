//! The allocation-free paths (`verify`, `is_valid`, `decode_to_slice`, `encode_to_slice`) allocate nothing, on valid
//! and on every kind of invalid input.
//!
//! A counting global allocator applies to this whole test binary, so it lives in its own file;
//! the count is per thread, so the test harness's own threads do not disturb it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use btcaddr::Network;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `f` on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

/// Valid addresses of the common script kinds, each network, and both cases.
fn valid_inputs() -> Vec<String> {
    let scripts: [&[u8]; 4] = [
        &[
            0x00, 0x14, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        ],
        &[
            0xa9, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 0x87,
        ],
        &[
            0x51, 0x20, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
            9, 9, 9, 9, 9, 9, 9,
        ],
        &[0x6a; 10_000],
    ];
    let mut out = Vec::new();
    for network in Network::ALL {
        for script in scripts {
            let s = btcaddr::encode(network, script).unwrap();
            out.push(s.to_ascii_uppercase());
            out.push(s);
        }
    }
    out
}

/// One input per decode error.
fn invalid_inputs(valid: &str) -> Vec<String> {
    let colon = valid.find(':').unwrap();
    let letters = &valid[colon + 1..];
    let flip = |i: usize| {
        let mut b = valid.as_bytes().to_vec();
        b[i] = if b[i] == b'y' { b'b' } else { b'y' };
        String::from_utf8(b).unwrap()
    };
    vec![
        "btc".to_string(),                     // missing colon
        format!("btc::{letters}"),             // repeated colon
        format!("Btc:{letters}"),              // mixed case
        format!("xyz:{letters}"),              // unknown prefix
        format!("btc:{}0", &letters[1..]),     // invalid character
        format!("btc:é{}", &letters[1..]),     // invalid non-ASCII character
        format!("btc:{}", &letters[1..]),      // invalid length
        format!("btc:{}", "y".repeat(16_100)), // script too long
        flip(colon + 5),                       // Damm mismatch
        format!("testnet:{letters}"),          // CRC mismatch (other chain)
        String::new(),
    ]
}

#[test]
fn verify_is_valid_and_decode_to_slice_allocate_nothing() {
    let valid = valid_inputs();
    let invalid = invalid_inputs(&valid[1]);
    let mut buf = vec![0u8; 10_000];
    for s in valid.iter().chain(&invalid) {
        let n = allocations(|| {
            let v = btcaddr::verify(s);
            let ok = btcaddr::is_valid(s);
            let sliced = btcaddr::decode_to_slice(s, &mut buf).map(|(n, b)| (n, b.len()));
            assert_eq!(v.is_ok(), ok);
            assert_eq!(v, sliced);
        });
        assert_eq!(n, 0, "{n} allocation(s) checking {:.60}", s);
    }
    // Encoding into a caller's buffer allocates nothing either.
    for s in &valid {
        let decoded = btcaddr::decode(s).unwrap();
        let script = decoded.script().as_bytes().to_vec();
        let mut out = vec![0u8; s.len()];
        let n = allocations(|| {
            let text = btcaddr::encode_to_slice(decoded.network(), &script, &mut out);
            assert_eq!(text.map(str::len), Ok(s.len()));
        });
        assert_eq!(n, 0, "{n} allocation(s) encoding {:.60}", s);
    }
    // Every invalid input is rejected, each with its own error, and every valid one accepted.
    assert!(valid.iter().all(|s| btcaddr::is_valid(s)));
    let errors: Vec<_> = invalid
        .iter()
        .map(|s| btcaddr::verify(s).unwrap_err())
        .collect();
    assert!(errors.contains(&btcaddr::DecodeError::DammMismatch));
    assert!(errors.contains(&btcaddr::DecodeError::CrcMismatch));
}

#[test]
fn the_counter_sees_allocations() {
    // Without this, a broken counter would make the test above pass vacuously.
    let n = allocations(|| {
        let s = btcaddr::encode(Network::Btc, &[0x51, 0x02, 0x4e, 0x73]).unwrap();
        assert!(btcaddr::decode(&s).is_ok());
    });
    assert!(n >= 2, "encode and decode allocate, counted {n}");
}
