//! Decoding never panics, and whatever decodes re-encodes to the canonical (lowercase) form of
//! the input; the allocation-free paths agree with `decode`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let decoded = btcaddr::decode(s);
    assert_eq!(btcaddr::is_valid(s), decoded.is_ok());
    let mut buf = [0u8; 10_000];
    let sliced = btcaddr::decode_to_slice(s, &mut buf);
    match &decoded {
        Ok(address) => {
            // Only all-lowercase or all-uppercase decodes, so lowercasing is the canonical form.
            assert_eq!(address.to_string(), s.to_ascii_lowercase());
            assert_eq!(
                btcaddr::verify(s),
                Ok((address.network(), address.script().len()))
            );
            let (network, script) = sliced.expect("decode_to_slice agrees with decode");
            assert_eq!(network, address.network());
            assert_eq!(script, address.script().as_bytes());
            assert_eq!(
                btcaddr::encode(network, script).as_deref(),
                Ok(s.to_ascii_lowercase().as_str())
            );
        }
        Err(e) => {
            assert_eq!(btcaddr::verify(s).err(), Some(*e));
            assert_eq!(sliced.err(), Some(*e));
        }
    }
});
