//! `btcaddr decode`: generic addresses to `NETWORK SCRIPT_HEX TYPE` lines or JSON objects.

use std::io::Write;

use bitcoin::hex::DisplayHex;
use bitcoin::Script;
use btcaddr::ScriptType;
use serde::Serialize;

use super::batch::{Failure, Location, Processor, Scratch};

/// Decodes generic addresses (either case).
#[derive(Debug, Clone, Copy)]
pub struct Decode {
    /// `--json`: one object per line instead of three fields.
    pub json: bool,
}

/// The `--json` line.
#[derive(Debug, Serialize)]
struct DecodedJson<'a> {
    network: &'a str,
    script: &'a str,
    #[serde(rename = "type")]
    script_type: &'a str,
    address: &'a str,
}

impl Processor for Decode {
    fn process(
        &self,
        input: &str,
        _at: Location,
        out: &mut Vec<u8>,
        scratch: &mut Scratch,
    ) -> Result<(), Failure> {
        let (network, script) = btcaddr::decode_to_slice(input, &mut scratch.script)?;
        let script_type = ScriptType::of(Script::from_bytes(script));
        if self.json {
            // A few small allocations per line: --json is not the fast path.
            let hex = script.to_lower_hex_string();
            let kind = script_type.to_string();
            let address = input.to_ascii_lowercase();
            let line = DecodedJson {
                network: network.prefix(),
                script: &hex,
                script_type: &kind,
                address: &address,
            };
            // Serializing strings into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, &line);
            out.push(b'\n');
        } else {
            let _ = writeln!(out, "{} {:x} {}", network, script.as_hex(), script_type);
        }
        Ok(())
    }
}
