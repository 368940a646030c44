//! The data each page hands to the browser is written by the copy of `hydration_context` in
//! vendor/, which must write exactly what `{:?}` writes.

use hydration_context::write_debug_str;

fn written(text: &str) -> String {
    let mut out = String::new();
    write_debug_str(&mut out, text);
    out
}

#[test]
fn every_character_is_written_as_debug_writes_it() {
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let text = format!("a{c}b{c}");
        assert_eq!(written(&text), format!("{text:?}"), "U+{:04X}", c as u32);
    }
}

#[test]
fn whole_resources_are_written_as_debug_writes_them() {
    for text in [
        "",
        r#"{"Ok":{"title":"深圳市美容行业协会\"通知\"","body":"第一段\n第二段\t。"}}"#,
        "\\u003cscript>alert('x')\\u003c/script>",
        "e\u{301} 한국어 日本語 ﬁ \u{200b}\u{feff}\u{7f}\u{0}",
    ] {
        assert_eq!(written(text), format!("{text:?}"));
    }
}
