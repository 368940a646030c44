//! Turns text into search terms, the same way for the index and for queries.
//!
//! SQLite's own tokenisers either keep a whole run of Chinese as one token (unicode61) or need
//! three characters (trigram), so two-character words such as 政策 would never match. Here a
//! run of Chinese becomes its overlapping two-character pairs (政策法规 → 政策 策法 法规), and
//! Latin text and numbers become lower-case words; full-width letters and digits count as
//! their ASCII forms.

/// One piece of a query: words must all appear, and a run of Chinese must appear as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A Latin word or number, lower-cased.
    Word(String),
    /// The two-character pairs of a run of Chinese, in order.
    Run(Vec<String>),
    /// A lone Chinese character, too short to look up.
    Single(char),
}

/// The terms of `text`, in order.
pub fn terms(text: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    for c in text.chars().map(normalize) {
        if is_cjk(c) {
            flush_word(&mut word, &mut terms);
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut terms);
            word.extend(c.to_lowercase());
        } else {
            flush_word(&mut word, &mut terms);
            flush_run(&mut run, &mut terms);
        }
    }
    flush_word(&mut word, &mut terms);
    flush_run(&mut run, &mut terms);
    terms
}

/// The text as the index stores it: every word and pair, separated by spaces. Lone
/// characters are kept too, so that a one-character name still appears in the index.
pub fn index_text(text: &str) -> String {
    let mut tokens: Vec<String> = Vec::new();
    for term in terms(text) {
        match term {
            Term::Word(word) => tokens.push(word),
            Term::Run(pairs) => tokens.extend(pairs),
            Term::Single(c) => tokens.push(c.to_string()),
        }
    }
    tokens.join(" ")
}

fn flush_word(word: &mut String, terms: &mut Vec<Term>) {
    if !word.is_empty() {
        terms.push(Term::Word(std::mem::take(word)));
    }
}

fn flush_run(run: &mut Vec<char>, terms: &mut Vec<Term>) {
    match run.len() {
        0 => {}
        1 => terms.push(Term::Single(run[0])),
        _ => terms.push(Term::Run(
            run.windows(2).map(|pair| pair.iter().collect()).collect(),
        )),
    }
    run.clear();
}

/// Full-width ASCII (Ａ, １, ＠) as ASCII, and the ideographic space as a space.
pub(super) fn normalize(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Chinese characters (and the Japanese kana and Korean syllables that share their
/// treatment: no spaces between words).
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'     // kana
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}'   // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'   // compatibility ideographs
        | '\u{20000}'..='\u{3134F}' // extensions B to G
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pairs: &[&str]) -> Term {
        Term::Run(pairs.iter().map(|p| p.to_string()).collect())
    }

    fn word(w: &str) -> Term {
        Term::Word(w.into())
    }

    #[test]
    fn chinese_becomes_overlapping_pairs() {
        assert_eq!(terms("政策"), [run(&["政策"])]);
        assert_eq!(terms("政策法规"), [run(&["政策", "策法", "法规"])]);
        assert_eq!(terms("政"), [Term::Single('政')]);
    }

    #[test]
    fn punctuation_separates_runs() {
        assert_eq!(
            terms("广州深圳“双城联动”论坛"),
            [
                run(&["广州", "州深", "深圳"]),
                run(&["双城", "城联", "联动"]),
                run(&["论坛"])
            ]
        );
        assert_eq!(terms("政策,法规。"), [run(&["政策"]), run(&["法规"])]);
    }

    #[test]
    fn latin_words_and_numbers_are_lower_cased() {
        assert_eq!(terms("ICP 2020"), [word("icp"), word("2020")]);
        assert_eq!(terms("Hello, World!"), [word("hello"), word("world")]);
    }

    #[test]
    fn mixed_text_splits_where_the_script_changes() {
        assert_eq!(
            terms("粤ICP备17113859号"),
            [
                Term::Single('粤'),
                word("icp"),
                Term::Single('备'),
                word("17113859"),
                Term::Single('号')
            ]
        );
        assert_eq!(
            terms("2020年会员大会"),
            [word("2020"), run(&["年会", "会员", "员大", "大会"])]
        );
    }

    #[test]
    fn full_width_forms_count_as_ascii() {
        assert_eq!(terms("ＩＣＰ　２０２０"), [word("icp"), word("2020")]);
        assert_eq!(terms("Ｈｅｌｌｏ"), [word("hello")]);
    }

    #[test]
    fn operators_and_quotes_are_only_separators() {
        assert_eq!(
            terms("\"政策\" OR -法规 (NEAR) *"),
            [run(&["政策"]), word("or"), run(&["法规"]), word("near")]
        );
        assert!(terms("\"*()-+:^").is_empty());
        assert!(terms("   ").is_empty());
    }

    #[test]
    fn index_text_keeps_every_token() {
        assert_eq!(index_text("政策法规 ICP"), "政策 策法 法规 icp");
        assert_eq!(index_text("粤ICP备"), "粤 icp 备");
    }
}
