//! The allow-list every piece of editor HTML passes before it is stored, and the cleaner for
//! what editors paste from Word and WeChat (the same rules: structure kept, the rest dropped).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use ammonia::{Builder, UrlRelative};

/// How a picture in a `<figure>` sits in the text: the only classes an article may carry,
/// styled by the public style sheet. The body editor offers the same three.
pub const FIGURE_ALIGNMENTS: [&str; 3] = ["align-left", "align-center", "align-right"];

static RULES: LazyLock<Builder<'static>> = LazyLock::new(rules);

/// The allow-list. The body editor's document schema (`editor/src/schema.js`) produces
/// exactly these elements; the browser tests check the two against each other.
fn rules() -> Builder<'static> {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "ul",
        "ol",
        "li",
        "a",
        "blockquote",
        "img",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "hr",
        "figure",
        "figcaption",
        "pre",
        "code",
    ]
    .into();
    let cell: HashSet<&str> = ["colspan", "rowspan"].into();
    let attributes: HashMap<&str, HashSet<&str>> = [
        ("a", ["href", "title"].into()),
        ("img", ["src", "alt", "width", "height"].into()),
        ("td", cell.clone()),
        ("th", cell),
        ("ol", ["start"].into()),
    ]
    .into();
    let mut builder = Builder::default();
    builder
        .tags(tags)
        .tag_attributes(attributes)
        // No style or id anywhere, and no class but a figure's alignment: nothing can hide,
        // overlay or restyle the page.
        .generic_attributes(HashSet::new())
        .allowed_classes([("figure", FIGURE_ALIGNMENTS.into())].into())
        .url_schemes(["http", "https", "mailto", "tel"].into())
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        // Removed with their content, not just unwrapped: Word puts its settings in <xml>
        // and <style>, and none of these is ever article text.
        .clean_content_tags(
            [
                "script", "style", "xml", "title", "head", "template", "iframe", "object", "embed",
                "noscript", "svg", "math", "textarea", "select",
            ]
            .into(),
        )
        .strip_comments(true);
    builder
}

/// `html` with only allowed tags, attributes and URLs left.
pub fn sanitize_html(html: &str) -> String {
    // The HTML parser drops one leading byte-order mark per pass, so sanitising twice would
    // differ; they mean nothing inside an article.
    let html = html.replace('\u{feff}', "");
    let pass = |html: &str| RULES.clean(html).to_string().trim().to_string();
    // Removing a disallowed tag can leave markup that parses differently the next time
    // (`<li>` inside `<li>`); cleaning until nothing changes makes a second save a no-op.
    let mut clean = pass(&html);
    for _ in 0..8 {
        let again = pass(&clean);
        if again == clean {
            break;
        }
        clean = again;
    }
    clean
}

/// The `src` of every picture in `html` (already sanitised), in order, each once.
pub fn image_sources(html: &str) -> Vec<String> {
    let found = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = found.clone();
    let mut builder = rules();
    builder.attribute_filter(move |element, attribute, value| {
        if (element, attribute) == ("img", "src")
            && let Ok(mut sources) = seen.lock()
            && !sources.iter().any(|source| source == value)
        {
            sources.push(value.to_string());
        }
        Some(value.into())
    });
    let _ = builder.clean(html);
    let sources = found.lock().map(|sources| sources.clone());
    sources.unwrap_or_default()
}

/// `html` (already sanitised) with the pictures' `src` replaced as `replaced` says.
pub fn replace_image_sources(html: &str, replaced: HashMap<String, String>) -> String {
    let mut builder = rules();
    builder.attribute_filter(move |element, attribute, value| {
        match ((element, attribute) == ("img", "src")).then(|| replaced.get(value)) {
            Some(Some(new)) => Some(new.clone().into()),
            _ => Some(value.into()),
        }
    });
    builder.clean(html).to_string().trim().to_string()
}

/// Pasted HTML ready to insert in the editor. Word and WeChat wrap text in `<span>`s and
/// `<section>`s with inline styles; dropping the wrappers keeps the text and structure.
pub fn clean_pasted_html(html: &str) -> String {
    sanitize_html(html)
}

/// Plain pasted text as paragraphs, in the sanitiser's own spelling (so that saving it
/// changes nothing).
pub fn text_to_paragraphs(text: &str) -> String {
    let paragraphs: String = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| format!("<p>{}</p>", crate::model::escape_html(line)))
        .collect();
    sanitize_html(&paragraphs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_is_kept() {
        let html = "<h2>一、总体要求</h2><p><strong>加强</strong><em>监管</em></p>\
                    <ul><li>一</li></ul><blockquote>引用</blockquote>\
                    <table><tbody><tr><td colspan=\"2\">表格</td></tr></tbody></table>\
                    <p><a href=\"https://www.sz.gov.cn/\">链接</a><img src=\"/uploads/a.png\" alt=\"图\"></p>";
        let clean = sanitize_html(html);
        for kept in [
            "<h2>一、总体要求</h2>",
            "<strong>加强</strong>",
            "<em>监管</em>",
            "<li>一</li>",
            "<blockquote>",
            "<td colspan=\"2\">",
            "href=\"https://www.sz.gov.cn/\"",
            "<img src=\"/uploads/a.png\" alt=\"图\">",
        ] {
            assert!(clean.contains(kept), "{kept} missing from {clean}");
        }
    }

    #[test]
    fn scripts_handlers_and_dangerous_urls_are_removed() {
        for hostile in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "<svg><script>alert(1)</script></svg>",
            "<svg onload=alert(1)>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<p style=\"position:fixed;top:0;left:0;width:100%\">覆盖</p>",
            "<div class=\"hidden\" style=\"display:none\">x</div>",
            "<scr<script>ipt>alert(1)</script>",
            "<<script>script>alert(1)<</script>/script>",
            "<p>未闭合<b><i>嵌套",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
            "<form action=\"https://evil.example\"><input name=a></form>",
            "<object data=\"x.swf\"></object>",
            "<img src=\"javascript:alert(1)\">",
            "<a href=\"vbscript:msgbox(1)\">x</a>",
            "<body onload=alert(1)>",
        ] {
            let clean = sanitize_html(hostile).to_ascii_lowercase();
            for banned in [
                "<script",
                "onerror",
                "onload",
                "javascript:",
                "vbscript:",
                "data:",
                "style=",
                "<svg",
                "<iframe",
                "<form",
                "<input",
                "<object",
                "<math",
                "class=",
            ] {
                assert!(
                    !clean.contains(banned),
                    "{banned} survived in {clean:?} from {hostile:?}"
                );
            }
        }
    }

    #[test]
    fn sanitising_twice_changes_nothing() {
        for html in [
            "\u{feff}\u{feff}<p>两个字节序标记</p>",
            "<ul><li><h1 class=x><A<ul><li>",
            "<p>未闭合<b><i>嵌套",
            "<table><tr><td>缺少 tbody</td></tr></table>",
            "<p>a &lt; b &amp; c</p>",
            "<ul><li>一<li>二</ul>",
            "😀🀄𠀀 <h2>生僻字 𪚥</h2>",
        ] {
            let once = sanitize_html(html);
            assert_eq!(sanitize_html(&once), once, "{html}");
        }
    }

    #[test]
    fn word_paste_keeps_text_and_structure() {
        let word = r#"<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
            <xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml>
            <style>p.MsoNormal{margin:0cm}</style></head><body lang=ZH-CN>
            <!--StartFragment--><h1 class=MsoTitle><span lang=EN-US>通知</span></h1>
            <p class=MsoNormal style='text-indent:2em'><b><span style='font-family:宋体'>各会员单位:</span></b><o:p></o:p></p>
            <table class=MsoTableGrid border=1><tr><td width=100 style='border:solid'><p class=MsoNormal>单位</p></td></tr></table>
            <!--EndFragment--></body></html>"#;
        let clean = clean_pasted_html(word);
        assert!(clean.contains("<b>各会员单位:</b>"), "{clean}");
        assert!(clean.contains("<td><p>单位</p></td>"), "{clean}");
        assert!(clean.contains("通知"));
        for gone in [
            "Normal",
            "margin",
            "MsoNormal",
            "<span",
            "<o:p",
            "StartFragment",
        ] {
            assert!(!clean.contains(gone), "{gone} in {clean}");
        }
    }

    #[test]
    fn wechat_paste_drops_its_wrappers() {
        let wechat = r#"<section style="margin:0 auto"><section><p style="color:rgb(0,0,0)"><span style="font-size:15px">双城联动</span></p></section></section>"#;
        assert_eq!(clean_pasted_html(wechat), "<p>双城联动</p>");
    }

    #[test]
    fn figures_keep_only_their_alignment() {
        let html = "<figure class=\"align-right hidden\" style=\"float:left\"><img src=\"/uploads/a.png\" alt=\"图\"><figcaption>说明</figcaption></figure>\
                    <p class=\"align-right\">段落</p>";
        assert_eq!(
            sanitize_html(html),
            "<figure class=\"align-right\"><img src=\"/uploads/a.png\" alt=\"图\"><figcaption>说明</figcaption></figure><p>段落</p>"
        );
    }

    #[test]
    fn image_sources_are_found_and_replaced() {
        let html = "<p><img src=\"https://mmbiz.qpic.cn/a/640?wx_fmt=png\" alt=\"一\"><img src=\"/uploads/b.png\">\
                    <img src=\"https://mmbiz.qpic.cn/a/640?wx_fmt=png\"></p><p><a href=\"https://mmbiz.qpic.cn/x\">链接</a></p>";
        assert_eq!(
            image_sources(html),
            ["https://mmbiz.qpic.cn/a/640?wx_fmt=png", "/uploads/b.png"]
        );
        let replaced = replace_image_sources(
            html,
            [(
                "https://mmbiz.qpic.cn/a/640?wx_fmt=png".to_string(),
                "/uploads/c.png".to_string(),
            )]
            .into(),
        );
        assert_eq!(replaced.matches("/uploads/c.png").count(), 2, "{replaced}");
        assert!(
            replaced.contains("/uploads/b.png") && replaced.contains("https://mmbiz.qpic.cn/x")
        );
    }

    #[test]
    fn pasted_text_becomes_escaped_paragraphs() {
        assert_eq!(
            text_to_paragraphs("第一段\n\n <script>第二段</script>\n"),
            "<p>第一段</p><p>&lt;script&gt;第二段&lt;/script&gt;</p>"
        );
    }
}
