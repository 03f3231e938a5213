//! The simulator's own keys and the four output kinds it pays to and spends from.

use bitcoin::hashes::{sha256, Hash};
use bitcoin::key::{Keypair, TapTweak, TweakedKeypair};
use bitcoin::secp256k1::{All, Secp256k1, SecretKey};
use bitcoin::{Address, CompressedPublicKey, Network, ScriptBuf};

/// The output types the simulator creates (and later spends), as on mainnet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputKind {
    /// Pay to public key hash (legacy, 2016's majority).
    P2pkh,
    /// P2SH wrapping P2WPKH (nested segwit).
    P2shP2wpkh,
    /// Native segwit v0 key hash.
    P2wpkh,
    /// Taproot key path.
    P2tr,
}

impl OutputKind {
    /// All kinds, in a fixed order.
    ///
    /// ```
    /// assert_eq!(btcaddr_tests::sim::OutputKind::ALL.len(), 4);
    /// ```
    pub const ALL: [OutputKind; 4] = [
        OutputKind::P2pkh,
        OutputKind::P2shP2wpkh,
        OutputKind::P2wpkh,
        OutputKind::P2tr,
    ];

    fn index(self) -> usize {
        match self {
            OutputKind::P2pkh => 0,
            OutputKind::P2shP2wpkh => 1,
            OutputKind::P2wpkh => 2,
            OutputKind::P2tr => 3,
        }
    }
}

/// One key with its precomputed scripts for every [`OutputKind`].
#[derive(Debug, Clone)]
pub struct SimKey {
    /// The secret key (ECDSA signing).
    pub secret: SecretKey,
    /// Its compressed public key.
    pub public: CompressedPublicKey,
    /// The BIP341-tweaked key pair for taproot key-path signing.
    pub tweaked: TweakedKeypair,
    /// The P2WPKH script that P2SH wraps (the redeem script).
    pub redeem_script: ScriptBuf,
    scripts: [ScriptBuf; 4],
}

/// The simulator's keys, derived deterministically from a seed.
#[derive(Debug, Clone)]
pub struct KeyRing {
    secp: Secp256k1<All>,
    keys: Vec<SimKey>,
}

impl KeyRing {
    /// Derives `count` keys (at least one) from `seed`.
    ///
    /// ```
    /// let ring = btcaddr_tests::sim::KeyRing::from_seed(7, 4);
    /// assert_eq!(ring.len(), 4);
    /// ```
    pub fn from_seed(seed: u64, count: usize) -> KeyRing {
        let secp = Secp256k1::new();
        let mut keys = Vec::with_capacity(count.max(1));
        let mut counter = 0u64;
        while keys.len() < count.max(1) {
            let mut material = seed.to_le_bytes().to_vec();
            material.extend_from_slice(&counter.to_le_bytes());
            counter += 1;
            let digest = sha256::Hash::hash(&material);
            // Out-of-range digests (probability ~2^-128) are simply skipped.
            let Ok(secret) = SecretKey::from_slice(digest.as_byte_array()) else {
                continue;
            };
            let public = CompressedPublicKey(secret.public_key(&secp));
            let keypair = Keypair::from_secret_key(&secp, &secret);
            let (internal, _) = keypair.x_only_public_key();
            let redeem_script = ScriptBuf::new_p2wpkh(&public.wpubkey_hash());
            let scripts = [
                ScriptBuf::new_p2pkh(&public.pubkey_hash()),
                ScriptBuf::new_p2sh(&redeem_script.script_hash()),
                redeem_script.clone(),
                ScriptBuf::new_p2tr(&secp, internal, None),
            ];
            keys.push(SimKey {
                secret,
                public,
                tweaked: keypair.tap_tweak(&secp, None),
                redeem_script,
                scripts,
            });
        }
        KeyRing { secp, keys }
    }

    /// How many keys.
    ///
    /// ```
    /// assert_eq!(btcaddr_tests::sim::KeyRing::from_seed(1, 3).len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Never empty (at least one key is derived).
    ///
    /// ```
    /// assert!(!btcaddr_tests::sim::KeyRing::from_seed(1, 0).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Key number `index` (modulo the ring size).
    ///
    /// ```
    /// let ring = btcaddr_tests::sim::KeyRing::from_seed(1, 2);
    /// assert_eq!(ring.key(0).public, ring.key(2).public);
    /// ```
    pub fn key(&self, index: u32) -> &SimKey {
        &self.keys[index as usize % self.keys.len()]
    }

    /// The scriptPubKey of `kind` for key `index`.
    ///
    /// ```
    /// use btcaddr_tests::sim::{KeyRing, OutputKind};
    /// let ring = KeyRing::from_seed(1, 1);
    /// assert!(ring.script_pubkey(0, OutputKind::P2tr).is_p2tr());
    /// ```
    pub fn script_pubkey(&self, index: u32, kind: OutputKind) -> &ScriptBuf {
        &self.key(index).scripts[kind.index()]
    }

    /// The regtest P2WPKH address of key 0, where mined coinbases go.
    ///
    /// ```
    /// let ring = btcaddr_tests::sim::KeyRing::from_seed(1, 1);
    /// assert!(ring.mining_address().to_string().starts_with("bcrt1q"));
    /// ```
    pub fn mining_address(&self) -> Address {
        Address::p2wpkh(&self.key(0).public, Network::Regtest)
    }

    /// The signing context.
    ///
    /// ```
    /// let ring = btcaddr_tests::sim::KeyRing::from_seed(1, 1);
    /// let _ = ring.secp();
    /// ```
    pub fn secp(&self) -> &Secp256k1<All> {
        &self.secp
    }
}
