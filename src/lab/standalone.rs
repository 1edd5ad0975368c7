//! The lab as one self-contained HTML file (`olika lab --export FILE --wasm MODULE`): the same
//! page as `olika lab` serves, with the model inlined as WebAssembly (base64) and a short script
//! that is the page's second transport — the world steps in the page, nothing is fetched. The
//! file also says which sources it was built from ([`sources_digest`]), so CI can tell a stale
//! copy (docs/lab.html) from a fresh one.

use std::path::Path;

use super::server::PAGE;

/// The script that runs the lab in the page: it compiles the inlined module, starts the lab and
/// plays the server's runner — steps at the chosen speed, at most 30 frames a second flat out,
/// the setup after a new world — handing the page the same messages the event stream would.
const IN_PAGE: &str = include_str!("inpage.js");

/// The page with the module inlined, starting from `scenario` (a shipped one; `None`: the baseline)
/// with `overrides`, marked as built from the sources of digest `sources`.
pub fn html(wasm: &[u8], scenario: Option<&str>, overrides: &[String], sources: &str) -> String {
    let start = serde_json::json!({ "scenario": scenario, "overrides": overrides }).to_string();
    let script = format!(
        "<script>\n\"use strict\";\nconst OLIKA_START = {start};\nconst OLIKA_WASM = \"{}\";\n{IN_PAGE}</script>\n",
        base64(wasm)
    );
    let marked = PAGE.replacen(
        "<meta charset=\"utf-8\">",
        &format!("<meta charset=\"utf-8\">\n<meta name=\"olika-sources\" content=\"{sources}\">"),
        1,
    );
    // Before the page's own script, which picks the transport it finds.
    let at = marked.find("<script>").unwrap_or(marked.len());
    format!("{}{script}{}", &marked[..at], &marked[at..])
}

/// The sources digest a file says it was built from, if it says one.
pub fn marked_sources(html: &str) -> Option<&str> {
    let at = html.find("<meta name=\"olika-sources\" content=\"")? + 36;
    html[at..].split('"').next()
}

/// A digest (64-bit FNV-1a, hexadecimal) of every source the exported lab is built from, under the
/// repository `root`: the manifests and lock file, `src/`, `web/` and `scenarios/`, each file's
/// path and bytes in path order.
pub fn sources_digest(root: &Path) -> std::io::Result<String> {
    let mut files = Vec::new();
    for top in ["Cargo.toml", "Cargo.lock", "src", "web/Cargo.toml", "web/src", "scenarios"] {
        collect(&root.join(top), &mut files)?;
    }
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in files {
        let name = file.strip_prefix(root).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        feed(name.as_bytes());
        feed(&[0]);
        feed(&std::fs::read(&file)?);
        feed(&[0]);
    }
    Ok(format!("{hash:016x}"))
}

fn collect(path: &Path, into: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            collect(&entry?.path(), into)?;
        }
    } else if path.is_file() {
        into.push(path.to_path_buf());
    }
    Ok(())
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_the_page_with_the_module_and_its_sources() {
        assert_eq!(base64(b"olika"), "b2xpa2E=");
        assert_eq!(base64(b"ol"), "b2w=");
        assert_eq!(base64(b"oli"), "b2xp");
        let file = html(b"\0asm", Some("bass"), &["steps=10".into()], "0123456789abcdef");
        assert_eq!(marked_sources(&file), Some("0123456789abcdef"));
        assert!(file.contains("const OLIKA_WASM = \"AGFzbQ==\""));
        assert!(
            file.contains(r#"const OLIKA_START = {"overrides":["steps=10"],"scenario":"bass"}"#),
            "{}",
            &file[..600]
        );
        // One page: the server's, whole, with the in-page transport before its script.
        let script = file.find("OLIKA_WASM").unwrap();
        assert!(script < file.find("function serverTransport").unwrap());
        assert!(file.contains(&PAGE[PAGE.find("<script>").unwrap()..]));
        // Nothing outside itself: the module is inlined, and base64 has no ':'.
        for outside in ["http://", "https://", "//cdn", "@import", "src=\"", "<link"] {
            assert!(!file.contains(outside), "the file holds {outside:?}");
        }
    }
}
