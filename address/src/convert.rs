//! Conversion between generic addresses and the standard strings: base58check (P2PKH, P2SH),
//! bech32 (witness v0) and bech32m (witness v1+), through the `bitcoin` crate.

use core::str::FromStr;

use bitcoin::address::NetworkUnchecked;
use bitcoin::Address;

use crate::error::ConversionError;
use crate::{GenericAddress, Network, ScriptType};

impl GenericAddress {
    /// The standard address for this script and network, if the script has one.
    ///
    /// ```
    /// use btcaddr::GenericAddress;
    /// let a = GenericAddress::from_standard("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", None).unwrap();
    /// assert_eq!(a.to_standard().unwrap().to_string(), "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
    /// ```
    pub fn to_standard(&self) -> Result<Address, ConversionError> {
        Address::from_script(self.script(), self.network().to_bitcoin()).map_err(|_| {
            ConversionError::NoStandardAddress {
                script_type: self.script_type(),
            }
        })
    }

    /// The generic address for a standard address string (any case the standard allows).
    ///
    /// The network comes from the string. Testnet, signet and regtest share base58 versions,
    /// and testnet and signet share the bech32 `tb` prefix; `network` picks among them (and is
    /// checked against the string). Without it: `bc`/mainnet base58 → `btc`, `bcrt` → `regtest`,
    /// other test forms → `testnet`.
    ///
    /// ```
    /// use btcaddr::{GenericAddress, Network};
    /// let s = "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7";
    /// assert_eq!(GenericAddress::from_standard(s, None).unwrap().network(), Network::Testnet);
    /// assert_eq!(GenericAddress::from_standard(s, Some(Network::Signet)).unwrap().network(), Network::Signet);
    /// assert!(GenericAddress::from_standard(s, Some(Network::Btc)).is_err());
    /// // A base58 test address is testnet's unless regtest is asked for.
    /// let m = "mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r";
    /// assert_eq!(GenericAddress::from_standard(m, None).unwrap().network(), Network::Testnet);
    /// let bcrt = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
    /// assert_eq!(GenericAddress::from_standard(bcrt, None).unwrap().network(), Network::Regtest);
    /// ```
    pub fn from_standard(
        s: &str,
        network: Option<Network>,
    ) -> Result<GenericAddress, ConversionError> {
        let unchecked =
            Address::<NetworkUnchecked>::from_str(s).map_err(ConversionError::InvalidStandard)?;
        let network = match network {
            Some(n) if unchecked.is_valid_for_network(n.to_bitcoin()) => n,
            Some(n) => return Err(ConversionError::WrongNetwork { network: n }),
            // Testnet before regtest: they share base58 versions, and only `bcrt` is regtest's
            // alone (testnet is not valid for it).
            None => [Network::Btc, Network::Testnet, Network::Regtest]
                .into_iter()
                .find(|n| unchecked.is_valid_for_network(n.to_bitcoin()))
                .ok_or(ConversionError::WrongNetwork {
                    network: Network::Btc,
                })?,
        };
        let script = unchecked.assume_checked().script_pubkey();
        Ok(GenericAddress::new(network, script)?)
    }

    /// The generic address of a parsed standard address, on `network`.
    ///
    /// ```
    /// use btcaddr::{GenericAddress, Network};
    /// let addr: bitcoin::Address = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2".parse::<bitcoin::Address<_>>()
    ///     .unwrap().assume_checked();
    /// let g = GenericAddress::from_address(&addr, Network::Btc);
    /// assert_eq!(g.script_type(), btcaddr::ScriptType::P2pkh);
    /// ```
    pub fn from_address(address: &Address, network: Network) -> GenericAddress {
        // Standard addresses carry 22 to 42 byte scripts, always encodable.
        GenericAddress::new(network, address.script_pubkey())
            .unwrap_or_else(|_| unreachable!("standard address scripts are 22..=42 bytes"))
    }
}

impl ScriptType {
    /// Which standard encoding scripts of this kind use, if any.
    ///
    /// ```
    /// assert_eq!(btcaddr::ScriptType::P2tr.standard_encoding(), Some("bech32m"));
    /// ```
    pub fn standard_encoding(self) -> Option<&'static str> {
        match self {
            ScriptType::P2pkh | ScriptType::P2sh => Some("base58check"),
            ScriptType::P2wpkh | ScriptType::P2wsh => Some("bech32"),
            ScriptType::P2tr | ScriptType::P2a | ScriptType::WitnessUnknown { .. } => {
                Some("bech32m")
            }
            _ => None,
        }
    }
}
