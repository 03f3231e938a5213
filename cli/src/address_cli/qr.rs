//! `btcaddr qr`: a QR code of an address's uppercase generic form, for the terminal, SVG or PNG.

use std::io::{self, Write};
use std::path::Path;

use qrcode::render::{svg, unicode};
use qrcode::{EcLevel, QrCode};

use super::args::QrArgs;
use super::batch::Summary;
use super::convert::parse_any;

/// Pixels per module in the PNG: large enough for a phone camera at arm's length.
const PNG_MODULE_PIXELS: u32 = 8;
/// The quiet zone the QR standard asks for, in modules.
const QUIET_ZONE: u32 = 4;

/// Runs `btcaddr qr`: 0 written, 1 the address is invalid, 2 (an `Err`) a file could not be
/// written.
pub fn run(args: &QrArgs) -> io::Result<Summary> {
    let address = match parse_any(&args.address, args.network) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("btcaddr: {}: {e}", args.address);
            return Ok(Summary {
                inputs: 1,
                failed: 1,
            });
        }
    };
    if let Some(warning) = address.warning() {
        eprintln!("btcaddr: warning: {address}: {warning}");
    }
    let text = address.to_uppercase_string();
    let code = code_for(&text)?;
    let mut written = false;
    if let Some(path) = &args.svg {
        write_file(path, svg_document(&code).as_bytes())?;
        written = true;
    }
    if let Some(path) = &args.png {
        write_file(path, &png_bytes(&code)?)?;
        written = true;
    }
    if !written {
        let mut out = io::stdout().lock();
        writeln!(out, "{}", terminal_text(&code))?;
        writeln!(out, "{text}")?;
        out.flush()?;
    }
    Ok(Summary {
        inputs: 1,
        failed: 0,
    })
}

/// The QR code of `text` at error correction level M (15 % of the modules may be damaged).
///
/// ```
/// let code = btcaddr_cli::address_cli::qr::code_for("BTC:YBNDRFG8").unwrap();
/// assert!(code.width() >= 21);
/// ```
pub fn code_for(text: &str) -> io::Result<QrCode> {
    QrCode::with_error_correction_level(text, EcLevel::M)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("QR code: {e}")))
}

/// The code as an SVG document.
///
/// ```
/// let code = btcaddr_cli::address_cli::qr::code_for("BTC:YBNDRFG8").unwrap();
/// assert!(btcaddr_cli::address_cli::qr::svg_document(&code).contains("<svg"));
/// ```
pub fn svg_document(code: &QrCode) -> String {
    code.render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build()
}

/// The code as text in half-height block characters, light modules drawn, so that it reads as
/// dark-on-light on the usual dark terminal background.
pub fn terminal_text(code: &QrCode) -> String {
    code.render::<unicode::Dense1x2>()
        .dark_color(unicode::Dense1x2::Light)
        .light_color(unicode::Dense1x2::Dark)
        .quiet_zone(true)
        .build()
}

/// The code as a grey-scale PNG, black modules on white with the quiet zone.
pub fn png_bytes(code: &QrCode) -> io::Result<Vec<u8>> {
    let modules = code.width() as u32;
    let side = (modules + 2 * QUIET_ZONE) * PNG_MODULE_PIXELS;
    let colors = code.to_colors();
    let image = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / PNG_MODULE_PIXELS, y / PNG_MODULE_PIXELS);
        let inside = (QUIET_ZONE..QUIET_ZONE + modules).contains(&mx)
            && (QUIET_ZONE..QUIET_ZONE + modules).contains(&my);
        let dark = inside
            && colors[((my - QUIET_ZONE) * modules + (mx - QUIET_ZONE)) as usize]
                == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut png = Vec::new();
    image
        .write_to(
            &mut io::Cursor::new(&mut png),
            image::ImageOutputFormat::Png,
        )
        .map_err(|e| io::Error::other(format!("encoding the PNG: {e}")))?;
    Ok(png)
}

fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    std::fs::write(path, bytes)
        .map_err(|e| io::Error::new(e.kind(), format!("writing {}: {e}", path.display())))
}
