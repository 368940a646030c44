//! Plain text made safe to place in HTML, as text.

/// Appends `c`, escaped if HTML would read it as markup.
pub fn push_escaped(c: char, html: &mut String) {
    match c {
        '<' => html.push_str("&lt;"),
        '>' => html.push_str("&gt;"),
        '&' => html.push_str("&amp;"),
        '"' => html.push_str("&quot;"),
        '\'' => html.push_str("&#39;"),
        _ => html.push(c),
    }
}

pub fn escape_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    for c in text.chars() {
        push_escaped(c, &mut html);
    }
    html
}

/// Text for leptos_meta's `<Title>`. On the server it is written into the page as it is
/// given (a title of `</title><script>…` would end the element and run); in the browser it
/// becomes `document.title`, which is text already.
pub fn title_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        escape_html(text)
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            super::escape_html("<p title='x'>a & \"b\"</p>"),
            "&lt;p title=&#39;x&#39;&gt;a &amp; &quot;b&quot;&lt;/p&gt;"
        );
    }
}
