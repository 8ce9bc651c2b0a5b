//! Appearance streams of form widgets: what a reader shows when it draws the
//! widget itself (a tick, a dot, a value in Helvetica), and the WinAnsi bytes
//! of a text for that font.

use lopdf::{Dictionary, ObjectId, Stream, dictionary};

/// Font size of text fields, in points.
pub(crate) const FONT_SIZE: f32 = 10.0;
/// Space between a text field's edge and its text, in points.
const PAD: f32 = 2.0;

/// A form XObject of size `w`×`h` drawing `ops`, with `font` as `/Helv` when given.
pub(crate) fn stream(w: f32, h: f32, ops: String, font: Option<ObjectId>) -> Stream {
    let mut dict = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Form",
        "BBox" => vec![0.into(), 0.into(), w.into(), h.into()],
    };
    if let Some(f) = font {
        dict.set(
            "Resources",
            dictionary! { "Font" => dictionary! { "Helv" => f } },
        );
    } else {
        dict.set("Resources", Dictionary::new());
    }
    Stream::new(dict, ops.into_bytes())
}

/// Nothing drawn (a blank text field, a box not ticked): the page shows through.
pub(crate) fn blank() -> String {
    String::new()
}

/// A tick in the middle of a `w`×`h` box.
pub(crate) fn tick(w: f32, h: f32) -> String {
    let s = w.min(h);
    let (x, y) = ((w - s) / 2.0, (h - s) / 2.0);
    let p = |fx: f32, fy: f32| format!("{} {}", num(x + fx * s), num(y + fy * s));
    format!(
        "q 0 G {} w 1 J 1 j {} m {} l {} l S Q",
        num((s * 0.12).max(0.8)),
        p(0.2, 0.52),
        p(0.42, 0.28),
        p(0.82, 0.78)
    )
}

/// A filled dot in the middle of a `w`×`h` box (a chosen radio button).
pub(crate) fn dot(w: f32, h: f32) -> String {
    let r = (w.min(h) * 0.22).min(3.2);
    let (cx, cy) = (w / 2.0, h / 2.0);
    // A circle from four Bézier arcs (k: the usual control-point factor).
    let k = r * 0.552_285;
    format!(
        "q 0 g {} {} m {} {} {} {} {} {} c {} {} {} {} {} {} c {} {} {} {} {} {} c {} {} {} {} {} {} c f Q",
        num(cx + r),
        num(cy),
        num(cx + r),
        num(cy + k),
        num(cx + k),
        num(cy + r),
        num(cx),
        num(cy + r),
        num(cx - k),
        num(cy + r),
        num(cx - r),
        num(cy + k),
        num(cx - r),
        num(cy),
        num(cx - r),
        num(cy - k),
        num(cx - k),
        num(cy - r),
        num(cx),
        num(cy - r),
        num(cx + k),
        num(cy - r),
        num(cx + r),
        num(cy - k),
        num(cx + r),
        num(cy),
    )
}

/// Smallest font size a one-line field's text shrinks to, in points.
const MIN_FONT_SIZE: f32 = 6.0;

/// Widths of Helvetica's printable ASCII characters (from space), in
/// thousandths of the font size: the standard font's metrics.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // space…/
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0…?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @…O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P…_
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `…o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p…~
];

/// The width of `line` in Helvetica at size 1 (other characters, accented
/// letters mostly, counted as wide as the widest of their kind).
fn width_em(line: &str) -> f32 {
    line.chars()
        .map(|c| match u32::from(c) {
            n @ 32..=126 => f32::from(HELVETICA[(n - 32) as usize]) / 1000.0,
            _ if c.is_uppercase() => 0.778,
            _ => 0.611,
        })
        .sum()
}

/// The font size that fits one line of `line` in a field `w` wide: the usual
/// size, smaller for a long text (a long name prints whole), down to a floor.
fn fit_size(line: &str, w: f32) -> f32 {
    let room = (w - 2.0 * PAD).max(1.0);
    let width = width_em(line);
    if width * FONT_SIZE <= room {
        FONT_SIZE
    } else {
        // Rounded down as it is written (two decimals), so that it still fits.
        ((room / width * 100.0).floor() / 100.0).clamp(MIN_FONT_SIZE, FONT_SIZE)
    }
}

/// `text` in Helvetica, one line per line of it, from the top left of a
/// `w`×`h` box (one line, when the box holds one, is centred vertically, and
/// made smaller when it is too long for the box).
pub(crate) fn text(value: &str, w: f32, h: f32, multiline: bool) -> String {
    let lines: Vec<&str> = if multiline {
        value.lines().collect()
    } else {
        vec![value.lines().next().unwrap_or("")]
    };
    let size = if multiline {
        FONT_SIZE
    } else {
        fit_size(lines.first().copied().unwrap_or(""), w)
    };
    let leading = size * 1.2;
    let first = if multiline && h > leading * 1.8 {
        h - PAD - size
    } else {
        (h - size * 0.7) / 2.0
    };
    let mut ops = format!(
        "/Tx BMC q {} {} {} {} re W n BT /Helv {} Tf 0 g {} TL {} {} Td",
        num(1.0),
        num(1.0),
        num((w - 2.0).max(0.0)),
        num((h - 2.0).max(0.0)),
        num(size),
        num(leading),
        num(PAD),
        num(first)
    );
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            ops.push_str(" T*");
        }
        ops.push_str(" (");
        for b in win_ansi(line) {
            match b {
                b'(' | b')' | b'\\' => {
                    ops.push('\\');
                    ops.push(char::from(b));
                }
                0x20..=0x7e => ops.push(char::from(b)),
                _ => ops.push_str(&format!("\\{b:03o}")),
            }
        }
        ops.push_str(") Tj");
    }
    ops.push_str(" ET Q EMC");
    ops
}

/// A number as a PDF operand: at most two decimals, no trailing zeros.
fn num(v: f32) -> String {
    let s = format!("{:.2}", if v.is_finite() { v } else { 0.0 });
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" || s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// The bytes of `s` in WinAnsiEncoding (the encoding of the form's Helvetica);
/// a character it does not have becomes `?`.
pub(crate) fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| {
            let u = c as u32;
            match u {
                0x20..=0x7e | 0xa0..=0xff => u as u8,
                _ => match c {
                    '€' => 0x80,
                    '‚' => 0x82,
                    'ƒ' => 0x83,
                    '„' => 0x84,
                    '…' => 0x85,
                    '†' => 0x86,
                    '‡' => 0x87,
                    'ˆ' => 0x88,
                    '‰' => 0x89,
                    'Š' => 0x8a,
                    '‹' => 0x8b,
                    'Œ' => 0x8c,
                    'Ž' => 0x8e,
                    '‘' => 0x91,
                    '’' => 0x92,
                    '“' => 0x93,
                    '”' => 0x94,
                    '•' => 0x95,
                    '–' => 0x96,
                    '—' => 0x97,
                    '˜' => 0x98,
                    '™' => 0x99,
                    'š' => 0x9a,
                    '›' => 0x9b,
                    'œ' => 0x9c,
                    'ž' => 0x9e,
                    'Ÿ' => 0x9f,
                    // Narrow and thin no-break spaces print as a no-break space.
                    '\u{202f}' | '\u{2009}' => 0xa0,
                    _ => b'?',
                },
            }
        })
        .collect()
}

/// The form's fonts: Helvetica in WinAnsiEncoding for text, ZapfDingbats for the
/// ticks and dots a reader draws itself.
pub(crate) fn fonts(doc: &mut lopdf::Document) -> (ObjectId, ObjectId) {
    let helv = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
        "Name" => "Helv",
    });
    let zadb = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "ZapfDingbats",
        "Name" => "ZaDb",
    });
    (helv, zadb)
}

/// A PDF name made of the letters, digits, `-` and `_` of `s` (`Off` is taken).
pub(crate) fn name_of(s: &str, fallback: usize) -> Vec<u8> {
    let clean: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(32)
        .collect();
    let clean = if clean.is_empty() || clean == "Off" {
        format!("v{fallback}")
    } else {
        clean
    };
    clean.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_is_in_win_ansi() {
        assert_eq!(
            win_ansi("é è à ç œ « » Œ"),
            [
                0xe9, 32, 0xe8, 32, 0xe0, 32, 0xe7, 32, 0x9c, 32, 0xab, 32, 0xbb, 32, 0x8c
            ]
        );
        assert_eq!(win_ansi("日"), b"?");
        let ops = text("Dupré (x)", 100.0, 20.0, false);
        assert!(ops.contains("(Dupr\\351 \\(x\\)) Tj"), "{ops}");
    }

    #[test]
    fn a_long_name_shrinks_to_fit_its_field() {
        // 175 points wide, as a worksheet header's name field.
        let short = text("Zoé N’Diaye", 175.0, 18.0, false);
        assert!(short.contains("/Helv 10 Tf"), "{short}");
        let name = "Marie-Christine de La Rochefoucauld-Montmorency";
        let long = text(name, 175.0, 18.0, false);
        let size: f32 = long
            .split("/Helv ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .expect("a font size");
        assert!((MIN_FONT_SIZE..10.0).contains(&size), "{long}");
        assert!(
            width_em(name) * size <= 175.0 - 2.0 * PAD + 0.01,
            "it fits: {size}"
        );
        assert_eq!(
            fit_size(&"W".repeat(200), 100.0),
            MIN_FONT_SIZE,
            "never unreadable"
        );
        assert!(
            text(name, 175.0, 60.0, true).contains("/Helv 10 Tf"),
            "a text box keeps its size"
        );
    }

    #[test]
    fn shapes_are_plain_operators() {
        assert!(tick(10.0, 10.0).ends_with("S Q"));
        assert!(dot(20.0, 10.0).ends_with("c f Q"));
        assert_eq!(num(2.50), "2.5");
        assert_eq!(num(-0.001), "0");
        assert_eq!(name_of("3", 0), b"3");
        assert_eq!(name_of("Off", 2), b"v2");
    }
}
