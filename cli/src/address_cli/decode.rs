//! `btcaddr decode`: generic addresses to `NETWORK SCRIPT_HEX TYPE` lines or JSON objects.

use std::io::Write;

use bitcoin::hex::DisplayHex;
use bitcoin::Script;
use btcaddr::{DecodeError, GenericAddress, ScriptType};
use serde::Serialize;

use super::batch::{Failure, Location, Processor, Scratch};
use super::error::InputError;
use super::hex;

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
    /// Whether the script is a standard output.
    standard: bool,
    /// The warning for a valid address whose script is not standard (probably mistyped).
    warning: Option<String>,
}

impl Processor for Decode {
    fn process(
        &self,
        input: &str,
        _at: Location,
        out: &mut Vec<u8>,
        scratch: &mut Scratch,
    ) -> Result<(), Failure> {
        let (network, script) = match btcaddr::decode_to_slice(input, &mut scratch.script) {
            Ok(decoded) => decoded,
            // Only on the error path: say so when the input is a valid standard address.
            Err(DecodeError::MissingColon)
                if GenericAddress::from_standard(input, None).is_ok() =>
            {
                return Err(InputError::StandardGiven.into())
            }
            Err(e) => return Err(e.into()),
        };
        let script_type = ScriptType::of(Script::from_bytes(script));
        if self.json {
            // A few small allocations per line: --json is not the fast path.
            let script_hex = script.to_lower_hex_string();
            let kind = script_type.to_string();
            let address = input.to_ascii_lowercase();
            let line = DecodedJson {
                network: network.prefix(),
                script: &script_hex,
                script_type: &kind,
                address: &address,
                standard: script_type.is_standard(),
                warning: btcaddr::NonStandardWarning::of(script).map(|w| w.to_string()),
            };
            // Serializing strings into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, &line);
            out.push(b'\n');
        } else {
            out.extend_from_slice(network.prefix().as_bytes());
            out.push(b' ');
            hex::append_lower(script, out);
            out.push(b' ');
            let _ = write!(out, "{script_type}");
            out.push(b'\n');
        }
        Ok(())
    }
}
