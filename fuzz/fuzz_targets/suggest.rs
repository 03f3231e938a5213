//! Suggesting never panics, and every suggestion is a valid address that differs from the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let suggestions = btcaddr::suggest(s);
    if btcaddr::is_valid(s) {
        assert!(suggestions.is_empty(), "a valid input gets no suggestion");
    }
    for suggestion in suggestions {
        let text = suggestion.address.to_string();
        let decoded = btcaddr::decode(&text).expect("every suggestion decodes");
        assert_eq!(decoded, suggestion.address);
        let _ = suggestion.edit.to_string();
    }
});
