//! Visitors' search queries as search expressions: FTS5's on SQLite, a `tsquery` on
//! PostgreSQL. Whatever is typed, an expression holds only quoted tokens, so operators and
//! quotes cannot reach either query syntax.

use super::tokenize::{Term, terms};
use crate::model::MAX_QUERY_CHARS;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prepared {
    /// What to look for, and the strings to highlight in results.
    Match {
        expression: Expression,
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
    let mut phrases = Vec::new();
    let mut highlights = Vec::new();
    for term in &terms {
        match term {
            Term::Word(word) => {
                phrases.push(vec![word.clone()]);
                highlights.push(word.clone());
            }
            Term::Run(pairs) => {
                phrases.push(pairs.clone());
                highlights.push(original_run(pairs));
            }
            Term::Single(_) => {}
        }
    }
    if phrases.is_empty() {
        return Prepared::TooShort;
    }
    Prepared::Match {
        expression: Expression { phrases },
        highlights,
    }
}

/// Every phrase must appear; a phrase is tokens that follow each other, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expression {
    phrases: Vec<Vec<String>>,
}

impl Expression {
    /// As an FTS5 `MATCH` expression over every column.
    pub fn fts5(&self) -> String {
        self.phrases
            .iter()
            .map(|phrase| fts5_string(&phrase.join(" ")))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// As a PostgreSQL `tsquery` (its text form) over the whole document.
    pub fn tsquery(&self) -> String {
        self.tsquery_labelled("", " & ")
    }

    /// As a `tsquery` that a title (the lexemes of weight A) holding any of the phrases
    /// matches: the rule that ranks such articles first, as SQLite's
    /// `bm25(article_search, 1.0, 0.0) < 0` does.
    pub fn tsquery_in_title(&self) -> String {
        self.tsquery_labelled(":A", " | ")
    }

    fn tsquery_labelled(&self, label: &str, between: &str) -> String {
        self.phrases
            .iter()
            .map(|phrase| {
                let phrase = phrase
                    .iter()
                    .map(|token| format!("{}{label}", tsquery_lexeme(token)))
                    .collect::<Vec<_>>()
                    .join(" <-> ");
                format!("({phrase})")
            })
            .collect::<Vec<_>>()
            .join(between)
    }
}

/// A string as an FTS5 string literal.
fn fts5_string(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A token as a quoted `tsquery` or `tsvector` lexeme, taken as it is (no stemming).
pub fn tsquery_lexeme(token: &str) -> String {
    format!("'{}'", token.replace('\\', "\\\\").replace('\'', "''"))
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
            Prepared::Match { expression, .. } => expression.fts5(),
            other => panic!("{query}: {other:?}"),
        }
    }

    #[test]
    fn postgresql_gets_the_same_phrases_as_a_tsquery() {
        let Prepared::Match { expression, .. } = prepare("政策法规 ICP") else {
            panic!()
        };
        assert_eq!(
            expression.tsquery(),
            "('政策' <-> '策法' <-> '法规') & ('icp')"
        );
        assert_eq!(
            expression.tsquery_in_title(),
            "('政策':A <-> '策法':A <-> '法规':A) | ('icp':A)"
        );
        assert_eq!(tsquery_lexeme("it's\\"), "'it''s\\\\'");
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
