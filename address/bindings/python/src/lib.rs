//! Python bindings of the [`btcaddr`] generic address codec: the extension module
//! `btcaddr._btcaddr`, re-exported by the `btcaddr` package (`python/btcaddr/__init__.py`).
//!
//! Thin by design: every function converts Python types and errors and calls the core crate;
//! nothing of the format itself lives here. The docstrings below are what Python's `help()`
//! shows; their `>>>` examples run in `tests/test_doctests.py`.

use std::borrow::Cow;
use std::fmt::Display;

use bitcoin::ScriptBuf;
use btcaddr::{GenericAddress, Network};
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyMemoryView, PyString, PyTuple};

create_exception!(
    btcaddr,
    DecodeError,
    PyValueError,
    "A string is not a valid generic address.\n\n\
     ``kind`` names the reason (``missing_colon``, ``repeated_colon``, ``mixed_case``,\n\
     ``unknown_prefix``, ``invalid_char``, ``invalid_length``, ``script_too_long``,\n\
     ``damm_mismatch``, ``crc_mismatch``); ``position`` is the 0-based index of the character\n\
     blamed, or None.\n\n\
     >>> import btcaddr\n\
     >>> try:\n\
     ...     btcaddr.decode('btc:ybn0')\n\
     ... except btcaddr.DecodeError as e:\n\
     ...     print(e.kind, e.position)\n\
     invalid_char 7\n"
);
create_exception!(
    btcaddr,
    EncodeError,
    PyValueError,
    "A script cannot be encoded: ``kind`` is ``empty_script``, ``script_too_long`` or\n\
     ``unknown_prefix`` (the network is not btc, testnet, signet or regtest).\n\n\
     >>> import btcaddr\n\
     >>> try:\n\
     ...     btcaddr.encode('btc', b'')\n\
     ... except btcaddr.EncodeError as e:\n\
     ...     print(e.kind)\n\
     empty_script\n"
);
create_exception!(
    btcaddr,
    ConversionError,
    PyValueError,
    "A conversion to or from a standard address failed: ``kind`` is ``no_standard_address``,\n\
     ``invalid_standard``, ``wrong_network``, ``encode`` or ``unknown_prefix`` (an unknown\n\
     network name).\n\n\
     >>> import btcaddr\n\
     >>> try:\n\
     ...     btcaddr.from_standard('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'testnet')\n\
     ... except btcaddr.ConversionError as e:\n\
     ...     print(e.kind, '|', e)\n\
     wrong_network | the address is not valid on testnet\n"
);

/// Builds an exception of type `T` with the core error's message and its stable `kind` (and
/// any extra attributes) set on the instance.
fn error<T: pyo3::PyTypeInfo>(
    py: Python<'_>,
    message: impl Display,
    kind: &'static str,
    extra: &[(&str, Option<usize>)],
) -> PyErr {
    let err = PyErr::new::<T, _>(message.to_string());
    let value = err.value(py);
    // setattr on a fresh exception instance cannot fail short of memory exhaustion; if it does,
    // that error is the one to raise.
    if let Err(e) = value.setattr("kind", kind) {
        return e;
    }
    for &(name, v) in extra {
        if let Err(e) = value.setattr(name, v) {
            return e;
        }
    }
    err
}

fn decode_error(py: Python<'_>, e: btcaddr::DecodeError) -> PyErr {
    error::<DecodeError>(py, e, e.kind(), &[("position", e.position())])
}

fn encode_error(py: Python<'_>, e: btcaddr::EncodeError) -> PyErr {
    error::<EncodeError>(py, e, e.kind(), &[])
}

fn conversion_error(py: Python<'_>, e: btcaddr::ConversionError) -> PyErr {
    error::<ConversionError>(py, &e, e.kind(), &[])
}

/// The name of `obj`'s type, for error messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}

/// The text of argument `arg` of `func`, or a `TypeError` in CPython's words naming both (PyO3's
/// own message names neither before Python 3.11). A lone surrogate raises `UnicodeEncodeError`.
fn text<'a>(obj: &'a Bound<'_, PyAny>, func: &str, arg: &str) -> PyResult<Cow<'a, str>> {
    let s = obj.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{func}() argument '{arg}' must be str, not {}",
            type_name(obj)
        ))
    })?;
    s.to_cow()
}

/// The network named by argument `network` of `func` (a prefix or an alias the core accepts),
/// or an `E` with kind `unknown_prefix` and the core's message.
fn network<E: pyo3::PyTypeInfo>(obj: &Bound<'_, PyAny>, func: &str) -> PyResult<Network> {
    text(obj, func, "network")?
        .parse::<Network>()
        .map_err(|e| error::<E>(obj.py(), e, "unknown_prefix", &[]))
}

/// The bytes of argument `script` of `func`: any object with the buffer protocol (bytes,
/// bytearray, memoryview, array, numpy arrays…), borrowed when it is `bytes`; a `TypeError`
/// otherwise.
fn bytes_like<'a>(obj: &'a Bound<'_, PyAny>, func: &str) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    // The limited API before 3.11 has no buffer access of its own: a memoryview copies the
    // bytes out (tobytes flattens any layout to C order).
    let view = PyMemoryView::from(obj).map_err(|_| {
        PyTypeError::new_err(format!(
            "{func}() argument 'script' must be a bytes-like object (bytes, bytearray, memoryview, array), not {}",
            type_name(obj)
        ))
    })?;
    let copy = view.call_method0("tobytes")?;
    let bytes = copy.cast::<PyBytes>()?;
    Ok(Cow::Owned(bytes.as_bytes().to_vec()))
}

/// A decoded generic address: one scriptPubKey on one chain.
///
/// ``str(a)`` is the canonical lowercase form; equal addresses compare and hash equal.
/// ``Address(network, script)`` builds one from a network name and a bytes-like script.
///
/// >>> import btcaddr
/// >>> a = btcaddr.decode('btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a')
/// >>> a.network, a.script_type, a.is_standard, a.warning
/// ('btc', 'p2wpkh', True, None)
/// >>> a.script.hex()
/// '0014751e76e8199196d454941c45d1b3a323f1433bd6'
/// >>> a == btcaddr.Address('btc', a.script) == btcaddr.decode(str(a).upper())
/// True
/// >>> a.to_standard()
/// 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'
#[pyclass(module = "btcaddr", name = "Address", frozen, eq, hash)]
#[derive(PartialEq, Eq, Hash)]
struct Address {
    inner: GenericAddress,
}

#[pymethods]
impl Address {
    #[new]
    fn new(network: &Bound<'_, PyAny>, script: &Bound<'_, PyAny>) -> PyResult<Address> {
        let py = network.py();
        let network = self::network::<EncodeError>(network, "Address")?;
        let script = ScriptBuf::from_bytes(bytes_like(script, "Address")?.into_owned());
        let inner = GenericAddress::new(network, script).map_err(|e| encode_error(py, e))?;
        Ok(Address { inner })
    }

    /// The chain's prefix: ``'btc'``, ``'testnet'``, ``'signet'`` or ``'regtest'``.
    #[getter]
    fn network(&self) -> &'static str {
        self.inner.network().prefix()
    }

    /// The scriptPubKey, as bytes.
    #[getter]
    fn script<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.script().as_bytes())
    }

    /// What the script is: ``'p2pk'``, ``'p2pkh'``, ``'p2sh'``, ``'p2wpkh'``, ``'p2wsh'``,
    /// ``'p2tr'``, ``'p2a'``, ``'witness_v<N>'``, ``'op_return'``, ``'multisig'`` or
    /// ``'nonstandard'``.
    #[getter]
    fn script_type(&self) -> String {
        self.inner.script_type().to_string()
    }

    /// Whether a wallet would pay to this script (a standard kind of script).
    #[getter]
    fn is_standard(&self) -> bool {
        self.inner.is_standard()
    }

    /// The warning to show beside this address when its script is not standard, else None:
    /// such an address is most likely a mistyped one that happens to pass both checks.
    #[getter]
    fn warning(&self) -> Option<String> {
        self.inner.warning().map(|w| w.to_string())
    }

    /// The all-uppercase form (same address; denser in QR codes).
    ///
    /// >>> import btcaddr
    /// >>> btcaddr.Address('btc', b'\x51').to_uppercase()
    /// 'BTC:KFIWGTUFW'
    fn to_uppercase(&self) -> String {
        self.inner.to_uppercase_string()
    }

    /// The standard base58check, bech32 or bech32m string for this script, or
    /// ``ConversionError`` (kind ``no_standard_address``) when the script has none.
    fn to_standard(&self, py: Python<'_>) -> PyResult<String> {
        self.inner
            .to_standard()
            .map(|a| a.to_string())
            .map_err(|e| conversion_error(py, e))
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<btcaddr.Address {} {}>",
            self.inner,
            self.inner.script_type()
        )
    }

    /// Pickles as its string, decoded again on load.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let decode = py.import("btcaddr")?.getattr("decode")?;
        Ok((decode, PyTuple::new(py, [self.inner.to_string()])?))
    }
}

/// A candidate correction from ``suggest``: ``address`` (the corrected string, which passes
/// both checks), ``description`` (what was changed, and where), ``kind`` (``substitution``,
/// ``transposition``, ``confusion``, ``deletion``, ``insertion`` or ``lowercase``) and
/// ``index`` (the 0-based character position, or None for ``lowercase``).
///
/// Only a guess: confirm with whoever gave you the address.
#[pyclass(module = "btcaddr", name = "Suggestion", frozen, eq, hash)]
#[derive(PartialEq, Eq, Hash)]
struct Suggestion {
    /// The corrected address (canonical form).
    #[pyo3(get)]
    address: String,
    /// What was changed, and where (e.g. ``positions 10 and 11: swapped``).
    #[pyo3(get)]
    description: String,
    /// The kind of edit.
    #[pyo3(get)]
    kind: &'static str,
    /// The character position of the edit, or None.
    #[pyo3(get)]
    index: Option<usize>,
}

#[pymethods]
impl Suggestion {
    fn __repr__(&self) -> String {
        format!(
            "<btcaddr.Suggestion {} ({})>",
            self.address, self.description
        )
    }
}

/// Encodes a scriptPubKey (any bytes-like object) on ``network`` (``'btc'``, ``'testnet'``,
/// ``'signet'``, ``'regtest'`` or an alias such as ``'mainnet'``) as a generic address.
///
/// Raises ``EncodeError`` for an empty script, one over 10,000 bytes or an unknown network,
/// ``TypeError`` for a script that is not bytes-like.
///
/// >>> import btcaddr
/// >>> btcaddr.encode('btc', bytes.fromhex('0014751e76e8199196d454941c45d1b3a323f1433bd6'))
/// 'btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a'
/// >>> btcaddr.encode('signet', bytearray(b'\x51'))
/// 'signet:kry31fbno'
#[pyfunction]
fn encode(network: &Bound<'_, PyAny>, script: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = network.py();
    let network = self::network::<EncodeError>(network, "encode")?;
    let script = bytes_like(script, "encode")?;
    btcaddr::encode(network, &script).map_err(|e| encode_error(py, e))
}

/// Decodes a generic address (all lowercase or all uppercase) into an ``Address``.
///
/// Never corrects: a mistyped address raises ``DecodeError`` (see ``suggest``).
///
/// >>> import btcaddr
/// >>> btcaddr.decode('BTC:YYK8K8US7YC3DFSWK1KBATQTSQT18HKD8XMJBZF8I1A').script_type
/// 'p2wpkh'
/// >>> btcaddr.decode('btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1e')
/// Traceback (most recent call last):
///     ...
/// btcaddr.DecodeError: check letter mismatch: a letter is mistyped or two letters are swapped
#[pyfunction]
fn decode(address: &Bound<'_, PyAny>) -> PyResult<Address> {
    let py = address.py();
    btcaddr::decode(&text(address, "decode", "address")?)
        .map(|inner| Address { inner })
        .map_err(|e| decode_error(py, e))
}

/// Whether ``address`` is a valid generic address (without building an ``Address``).
///
/// >>> import btcaddr
/// >>> btcaddr.is_valid('btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a')
/// True
/// >>> btcaddr.is_valid('btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8ia1')
/// False
#[pyfunction]
fn is_valid(address: &Bound<'_, PyAny>) -> PyResult<bool> {
    let s = address.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!(
            "is_valid() argument 'address' must be str, not {}",
            type_name(address)
        ))
    })?;
    // A string with no UTF-8 form (a lone surrogate) is simply not an address.
    Ok(s.to_cow().is_ok_and(|s| btcaddr::is_valid(&s)))
}

/// Candidate corrections one edit away from ``address`` that pass both checks, as a list of
/// ``Suggestion``: empty when ``address`` is already valid or nothing one edit away is.
///
/// >>> import btcaddr
/// >>> [s.address for s in btcaddr.suggest('btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8ia1')]
/// ['btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a']
/// >>> btcaddr.suggest('btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8ia1')[0].description
/// 'positions 45 and 46: swapped'
#[pyfunction]
fn suggest(address: &Bound<'_, PyAny>) -> PyResult<Vec<Suggestion>> {
    let py = address.py();
    let address = text(address, "suggest", "address")?;
    // The search decodes thousands of candidates for a long input: let other threads run.
    let found = py.detach(|| btcaddr::suggest(&address));
    Ok(found
        .into_iter()
        .map(|s| Suggestion {
            address: s.address.to_string(),
            description: s.edit.to_string(),
            kind: s.edit.kind(),
            index: s.edit.index(),
        })
        .collect())
}

/// The standard base58check, bech32 or bech32m form of a generic address.
///
/// Raises ``DecodeError`` for an invalid generic address and ``ConversionError`` (kind
/// ``no_standard_address``) for a script that has no standard form.
///
/// >>> import btcaddr
/// >>> btcaddr.to_standard('btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a')
/// 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'
#[pyfunction]
fn to_standard(address: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = address.py();
    let generic = btcaddr::decode(&text(address, "to_standard", "address")?)
        .map_err(|e| decode_error(py, e))?;
    generic
        .to_standard()
        .map(|a| a.to_string())
        .map_err(|e| conversion_error(py, e))
}

/// The generic address of a standard base58check, bech32 or bech32m address.
///
/// The network comes from the string; ``network`` picks among the test chains that share a
/// form (``tb1…`` is testnet unless ``'signet'`` is given) and is checked against it.
/// Raises ``ConversionError``.
///
/// >>> import btcaddr
/// >>> btcaddr.from_standard('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')
/// 'btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a'
/// >>> btcaddr.from_standard('tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', 'signet')[:7]
/// 'signet:'
#[pyfunction]
#[pyo3(signature = (address, network = None))]
fn from_standard(
    address: &Bound<'_, PyAny>,
    network: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let py = address.py();
    let address = text(address, "from_standard", "address")?;
    // None (or no argument) lets the string pick the network.
    let network = network
        .filter(|n| !n.is_none())
        .map(|n| self::network::<ConversionError>(n, "from_standard"))
        .transpose()?;
    GenericAddress::from_standard(&address, network)
        .map(|g| g.to_string())
        .map_err(|e| conversion_error(py, e))
}

/// The compiled part of the `btcaddr` package.
#[pymodule(name = "_btcaddr")]
fn btcaddr_python(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Address>()?;
    m.add_class::<Suggestion>()?;
    // Class-level defaults, so that an instance raised from Python code without them still
    // has the attributes the stub promises.
    let decode_error = py.get_type::<DecodeError>();
    decode_error.setattr("kind", py.None())?;
    decode_error.setattr("position", py.None())?;
    m.add("DecodeError", decode_error)?;
    for (name, ty) in [
        ("EncodeError", py.get_type::<EncodeError>()),
        ("ConversionError", py.get_type::<ConversionError>()),
    ] {
        ty.setattr("kind", py.None())?;
        m.add(name, ty)?;
    }
    m.add_function(wrap_pyfunction!(encode, m)?)?;
    m.add_function(wrap_pyfunction!(decode, m)?)?;
    m.add_function(wrap_pyfunction!(is_valid, m)?)?;
    m.add_function(wrap_pyfunction!(suggest, m)?)?;
    m.add_function(wrap_pyfunction!(to_standard, m)?)?;
    m.add_function(wrap_pyfunction!(from_standard, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
