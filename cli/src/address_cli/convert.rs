//! `btcaddr convert`: generic ↔ standard, the direction chosen by the input.

use std::io::Write;

use btcaddr::{GenericAddress, Network};

use super::batch::{Failure, Location, Processor, Scratch};
use super::error::InputError;

/// Converts generic addresses (inputs with a `:`) to standard ones and standard ones to generic.
#[derive(Debug, Clone, Copy)]
pub struct Convert {
    /// `--network`: chooses among networks sharing a standard form; generic inputs must match.
    pub network: Option<Network>,
}

/// Parses a generic (with `:`) or standard address; `network` picks among networks sharing a
/// standard form and is checked for both.
pub fn parse_any(input: &str, network: Option<Network>) -> Result<GenericAddress, InputError> {
    if input.contains(':') {
        let generic = btcaddr::decode(input)?;
        match network {
            Some(expected) if expected != generic.network() => Err(InputError::NetworkMismatch {
                found: generic.network(),
                expected,
            }),
            _ => Ok(generic),
        }
    } else {
        Ok(GenericAddress::from_standard(input, network)?)
    }
}

impl Processor for Convert {
    fn process(
        &self,
        input: &str,
        _at: Location,
        out: &mut Vec<u8>,
        _scratch: &mut Scratch,
    ) -> Result<(), Failure> {
        let generic = parse_any(input, self.network)?;
        if input.contains(':') {
            let standard = generic.to_standard()?;
            let _ = writeln!(out, "{standard}");
        } else {
            let _ = writeln!(out, "{generic}");
        }
        Ok(())
    }
}
