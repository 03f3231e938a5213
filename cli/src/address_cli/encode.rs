//! `btcaddr encode`: standard addresses or hex scripts to generic addresses.

use std::io::Write;

use btcaddr::{GenericAddress, Network};

use super::batch::{Failure, Location, Processor, Scratch};
use super::error::InputError;
use super::hex;

/// Encodes standard addresses (network from the address, `network` choosing among those that
/// share its form) or, with `script`, hex scriptPubKeys (on `network`, default `btc`).
#[derive(Debug, Clone, Copy)]
pub struct Encode {
    /// `--network`.
    pub network: Option<Network>,
    /// `--script`.
    pub script: bool,
}

impl Processor for Encode {
    fn process(
        &self,
        input: &str,
        _at: Location,
        out: &mut Vec<u8>,
        scratch: &mut Scratch,
    ) -> Result<(), Failure> {
        if self.script {
            hex::parse_into(input, &mut scratch.hex_bytes).map_err(InputError::Hex)?;
            let text = btcaddr::encode(self.network.unwrap_or(Network::Btc), &scratch.hex_bytes)?;
            out.extend_from_slice(text.as_bytes());
        } else {
            if input.contains(':') && btcaddr::verify(input).is_ok() {
                return Err(InputError::AlreadyGeneric.into());
            }
            let generic = GenericAddress::from_standard(input, self.network)?;
            // Writing into a Vec cannot fail.
            let _ = write!(out, "{generic}");
        }
        out.push(b'\n');
        Ok(())
    }
}
