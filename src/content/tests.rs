//! Unit tests of content loading on small in-memory trees.

use super::tree::{decode, out_dir_for};

#[test]
fn output_dirs_drop_prefixes_and_slug() {
    assert_eq!(
        out_dir_for("01-guide/02-Écoute active"),
        "guide/ecoute-active"
    );
    assert_eq!(out_dir_for(""), "");
}

#[test]
fn decodes_bom_crlf_and_utf16() {
    assert_eq!(decode("a", b"\xEF\xBB\xBFa\r\nb").unwrap(), "a\nb");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("é\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(decode("a", &utf16).unwrap(), "é\n");
    let d = decode("a.md", b"ok\nbad \xFF").unwrap_err();
    assert_eq!((d.line(), d.col()), (2, 5));
}
