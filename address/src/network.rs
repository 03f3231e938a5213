//! The chain a generic address belongs to, named by its prefix.

use core::fmt;
use core::str::FromStr;

use crate::error::UnknownPrefixError;

/// The chain prefix of a generic address: `btc`, `testnet`, `signet` or `regtest`.
///
/// The prefix is covered by the CRC (as lowercase ASCII), so an address made for one chain never
/// decodes as a valid address of another.
///
/// # Examples
///
/// ```
/// use btcaddr::Network;
/// let n: Network = "signet".parse().unwrap();
/// assert_eq!(n, Network::Signet);
/// assert_eq!(n.to_string(), "signet");
/// assert_eq!(Network::Btc.prefix(), "btc");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Network {
    /// Bitcoin mainnet, prefix `btc`.
    Btc,
    /// Testnet (testnet3 and testnet4 share it), prefix `testnet`.
    Testnet,
    /// Signet, prefix `signet`.
    Signet,
    /// Regtest, prefix `regtest`.
    Regtest,
}

impl Network {
    /// Every network, in a fixed order.
    ///
    /// ```
    /// assert_eq!(btcaddr::Network::ALL.len(), 4);
    /// ```
    pub const ALL: [Network; 4] = [
        Network::Btc,
        Network::Testnet,
        Network::Signet,
        Network::Regtest,
    ];

    /// The lowercase prefix written before the colon.
    ///
    /// ```
    /// assert_eq!(btcaddr::Network::Regtest.prefix(), "regtest");
    /// ```
    pub const fn prefix(self) -> &'static str {
        match self {
            Network::Btc => "btc",
            Network::Testnet => "testnet",
            Network::Signet => "signet",
            Network::Regtest => "regtest",
        }
    }

    /// The network whose prefix is exactly `prefix` (lowercase), if any.
    ///
    /// ```
    /// use btcaddr::Network;
    /// assert_eq!(Network::from_prefix("btc"), Some(Network::Btc));
    /// assert_eq!(Network::from_prefix("BTC"), None);
    /// ```
    pub fn from_prefix(prefix: &str) -> Option<Network> {
        Network::ALL.into_iter().find(|n| n.prefix() == prefix)
    }

    /// Like [`Network::from_prefix`], ignoring ASCII case (for the all-uppercase form).
    ///
    /// ```
    /// use btcaddr::Network;
    /// assert_eq!(Network::from_prefix_ignore_case("TESTNET"), Some(Network::Testnet));
    /// ```
    pub fn from_prefix_ignore_case(prefix: &str) -> Option<Network> {
        Network::ALL
            .into_iter()
            .find(|n| n.prefix().eq_ignore_ascii_case(prefix))
    }

    /// The `bitcoin` crate's network for standard addresses of this chain.
    ///
    /// Testnet maps to testnet3; base58 and bech32 strings are the same for testnet4.
    ///
    /// ```
    /// assert_eq!(btcaddr::Network::Btc.to_bitcoin(), bitcoin::Network::Bitcoin);
    /// ```
    pub const fn to_bitcoin(self) -> bitcoin::Network {
        match self {
            Network::Btc => bitcoin::Network::Bitcoin,
            Network::Testnet => bitcoin::Network::Testnet,
            Network::Signet => bitcoin::Network::Signet,
            Network::Regtest => bitcoin::Network::Regtest,
        }
    }

    /// The generic prefix for a `bitcoin` crate network (testnet3 and testnet4 both map to
    /// [`Network::Testnet`]).
    ///
    /// ```
    /// use btcaddr::Network;
    /// assert_eq!(Network::from_bitcoin(bitcoin::Network::Testnet4), Network::Testnet);
    /// ```
    pub fn from_bitcoin(network: bitcoin::Network) -> Network {
        match network {
            bitcoin::Network::Bitcoin => Network::Btc,
            bitcoin::Network::Signet => Network::Signet,
            bitcoin::Network::Regtest => Network::Regtest,
            // Testnet3, testnet4 and any test network the `bitcoin` crate adds later.
            _ => Network::Testnet,
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

impl FromStr for Network {
    type Err = UnknownPrefixError;

    /// Parses a lowercase prefix; the names `bitcoin`/`mainnet` and `testnet4` are accepted too,
    /// since users type them for the same chains.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "bitcoin" | "mainnet" | "main" => Ok(Network::Btc),
            "testnet3" | "testnet4" | "test" => Ok(Network::Testnet),
            _ => Network::from_prefix(s).ok_or_else(|| UnknownPrefixError::new(s)),
        }
    }
}
