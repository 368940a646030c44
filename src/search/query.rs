//! Visitors' search queries as FTS5 expressions. Whatever is typed, the expression holds only
//! quoted tokens, so operators and quotes cannot reach FTS5's query syntax.

use super::tokenize::{Term, terms};
use crate::model::MAX_QUERY_CHARS;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prepared {
    /// An FTS5 `MATCH` expression, and the strings to highlight in results.
    Match {
        expression: String,
        highlights: Vec<String>,
    },
    /// Nothing searchable was typed.
    Empty,
    /// Only single Chinese characters: too short to look up.
    TooShort,
}

/// Prepares what a visitor typed. Every word and every run of Chinese must appear; a run must
/// appear as written. Lone characters are left out when there is anything else to look for.
pub fn prepare(query: &str) -> Prepared {
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let terms = terms(&query);
    if terms.is_empty() {
        return Prepared::Empty;
    }
    let mut parts = Vec::new();
    let mut highlights = Vec::new();
    for term in &terms {
        match term {
            Term::Word(word) => {
                parts.push(quote(word));
                highlights.push(word.clone());
            }
            Term::Run(pairs) => {
                parts.push(quote(&pairs.join(" ")));
                highlights.push(original_run(pairs));
            }
            Term::Single(_) => {}
        }
    }
    if parts.is_empty() {
        return Prepared::TooShort;
    }
    Prepared::Match {
        expression: parts.join(" AND "),
        highlights,
    }
}

/// A string as an FTS5 string literal.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// 政策 策法 法规 → 政策法规.
fn original_run(pairs: &[String]) -> String {
    let mut run: String = pairs
        .iter()
        .filter_map(|pair| pair.chars().next())
        .collect();
    if let Some(last) = pairs.last().and_then(|pair| pair.chars().last()) {
        run.push(last);
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expression(query: &str) -> String {
        match prepare(query) {
            Prepared::Match { expression, .. } => expression,
            other => panic!("{query}: {other:?}"),
        }
    }

    #[test]
    fn runs_are_phrases_and_everything_is_required() {
        assert_eq!(expression("政策"), "\"政策\"");
        assert_eq!(expression("政策法规"), "\"政策 策法 法规\"");
        assert_eq!(expression("会员 2020"), "\"会员\" AND \"2020\"");
    }

    #[test]
    fn operators_are_only_words() {
        assert_eq!(
            expression("政策 OR 法规"),
            "\"政策\" AND \"or\" AND \"法规\""
        );
        assert_eq!(expression("NEAR(a b)"), "\"near\" AND \"a\" AND \"b\"");
        assert_eq!(
            expression("'; DROP TABLE articles; --"),
            "\"drop\" AND \"table\" AND \"articles\""
        );
        assert_eq!(prepare("\"*-()"), Prepared::Empty);
    }

    #[test]
    fn single_characters_are_too_short_alone() {
        assert_eq!(prepare("政"), Prepared::TooShort);
        assert_eq!(prepare("政 策"), Prepared::TooShort);
        assert_eq!(expression("政 法规"), "\"法规\"");
    }

    #[test]
    fn empty_and_long_queries() {
        assert_eq!(prepare(""), Prepared::Empty);
        assert_eq!(prepare("   \u{3000} "), Prepared::Empty);
        let long = "政策".repeat(200);
        let Prepared::Match { highlights, .. } = prepare(&long) else {
            panic!()
        };
        assert_eq!(highlights[0].chars().count(), MAX_QUERY_CHARS);
    }

    #[test]
    fn highlights_are_what_was_typed() {
        let Prepared::Match { highlights, .. } = prepare("双城联动 ICP") else {
            panic!()
        };
        assert_eq!(highlights, ["双城联动", "icp"]);
    }
}
