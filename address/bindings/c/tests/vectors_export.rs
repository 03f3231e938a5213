//! tests/vectors.tsv is the C test's copy of address/tests/data/vectors.json (C has no JSON
//! parser), with the error position each invalid vector must report. This test regenerates it
//! in memory and fails when the committed file is stale;
//! `BTCADDR_C_WRITE_VECTORS=1 cargo test -p btcaddr-c --test vectors_export` rewrites it.
//!
//! Lines, tab-separated:
//! `valid  <network> <type> <script hex> <address> <standard address or ->`
//! `invalid <address> <error kind> <position or ->`

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

fn field<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("vectors.json: {key:?} is not a string in {v}"))
}

fn export() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let json_path = dir.join("../../tests/data/vectors.json");
    let text = std::fs::read_to_string(&json_path)
        .unwrap_or_else(|e| panic!("{}: {e}", json_path.display()));
    let json: Value = serde_json::from_str(&text).expect("vectors.json is JSON");
    let mut out = String::from(
        "# Generated from address/tests/data/vectors.json by address/bindings/c/tests/vectors_export.rs; do not edit.\n",
    );
    for v in json["valid"].as_array().expect("a `valid` list") {
        let standard = v["standard"].as_str().unwrap_or("-");
        writeln!(
            out,
            "valid\t{}\t{}\t{}\t{}\t{standard}",
            field(v, "network"),
            field(v, "type"),
            field(v, "script"),
            field(v, "address")
        )
        .unwrap();
    }
    for v in json["invalid"].as_array().expect("an `invalid` list") {
        let address = field(v, "address");
        let kind = field(v, "error");
        // The JSON has no positions: take the core's, after checking it blames the right kind
        // of character, so that a wrong position in the core cannot hide here.
        let err = codec::decode(address).expect_err(address);
        assert_eq!(err.kind(), kind, "{address}");
        let position = match err.position() {
            Some(p) => {
                let ch = address.chars().nth(p).expect("position inside the string");
                match kind {
                    "repeated_colon" => assert_eq!(ch, ':', "{address}"),
                    "invalid_char" => assert!(
                        !"ybndrfg8ejkmcpqxot1uwisza345h769".contains(ch.to_ascii_lowercase()),
                        "{address}: {ch:?} at {p} is in the alphabet"
                    ),
                    _ => panic!("{address}: unexpected position for {kind}"),
                }
                p.to_string()
            }
            None => "-".into(),
        };
        writeln!(out, "invalid\t{address}\t{kind}\t{position}").unwrap();
    }
    out
}

#[test]
fn vectors_tsv_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors.tsv");
    let generated = export();
    if std::env::var_os("BTCADDR_C_WRITE_VECTORS").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (generate it with BTCADDR_C_WRITE_VECTORS=1)",
            path.display()
        )
    });
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || "the line count".to_string(),
                |i| format!("line {}", i + 1),
            );
        panic!(
            "{} is stale: it differs from vectors.json at {line}. Rewrite it with: \
             BTCADDR_C_WRITE_VECTORS=1 cargo test -p btcaddr-c --test vectors_export",
            path.display()
        );
    }
}
