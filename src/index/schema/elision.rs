//! French elisions, dropped from the words: `l'espace` is indexed and searched as `espace`,
//! `d’improvisation` as `improvisation`.
//!
//! The simple tokenizer splits `l'espace` into `l` and `espace`; this filter drops the `l`
//! when an apostrophe (`'` or `’`) and a letter follow it in the text, and closes the gap in
//! the positions it leaves, so that the phrase "vers l'orbite" is "vers orbite", as in
//! Lucene's elision filter.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// What French elides before a vowel, as the tokenizer leaves it.
const ELIDED: [&str; 13] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

const APOSTROPHES: [char; 2] = ['\'', '’'];

/// Drops elided articles and pronouns. Goes right after the tokenizer, which must leave the
/// offsets of each token in the text and number its tokens one after the other.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ElisionFilter;

impl TokenFilter for ElisionFilter {
    type Tokenizer<T: Tokenizer> = ElisionTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ElisionTokenizer<T> {
        ElisionTokenizer { inner: tokenizer }
    }
}

#[derive(Clone)]
pub(crate) struct ElisionTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ElisionTokenizer<T> {
    type TokenStream<'a> = ElisionStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ElisionStream {
            text,
            tail: self.inner.token_stream(text),
            kept: 0,
        }
    }
}

pub(crate) struct ElisionStream<'a, S> {
    text: &'a str,
    tail: S,
    /// Tokens kept so far: the position of the next one.
    kept: usize,
}

impl<S: TokenStream> TokenStream for ElisionStream<'_, S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if elided(self.text, self.tail.token()) {
                continue;
            }
            // Numbering the kept tokens closes the gaps of the dropped ones. The tokenizer
            // before leaves no gaps of its own, and counts on from the position it finds.
            self.tail.token_mut().position = self.kept;
            self.kept += 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Whether the token is an elision: one of [`ELIDED`], then an apostrophe and a letter.
fn elided(text: &str, token: &Token) -> bool {
    let mut after = text.get(token.offset_to..).unwrap_or_default().chars();
    after.next().is_some_and(|c| APOSTROPHES.contains(&c))
        && after.next().is_some_and(char::is_alphanumeric)
        && ELIDED.iter().any(|e| token.text.eq_ignore_ascii_case(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    fn words(text: &str) -> Vec<(String, usize)> {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(ElisionFilter)
            .filter(LowerCaser)
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        stream.process(&mut |t| out.push((t.text.clone(), t.position)));
        out
    }

    fn texts(text: &str) -> Vec<String> {
        words(text).into_iter().map(|(w, _)| w).collect()
    }

    #[test]
    fn elided_words_are_dropped_with_either_apostrophe() {
        assert_eq!(texts("L'Enigme"), ["enigme"]);
        assert_eq!(texts("d’improvisation"), ["improvisation"]);
        assert_eq!(
            texts("qu'il jusqu’à lorsqu'on puisqu'elle quoiqu'ils c'est n'a s'y t'es j'ai m'a"),
            [
                "il", "à", "on", "elle", "ils", "est", "a", "y", "es", "ai", "a"
            ]
        );
    }

    #[test]
    fn other_apostrophes_are_left_alone() {
        assert_eq!(texts("aujourd'hui"), ["aujourd", "hui"]);
        assert_eq!(texts("doesn't"), ["doesn", "t"]);
        assert_eq!(texts("Yoon's party"), ["yoon", "s", "party"]);
        assert_eq!(texts("rock 'n' roll"), ["rock", "n", "roll"]);
        assert_eq!(texts("l' espace l'"), ["l", "espace", "l"]);
        assert_eq!(texts("ball'on"), ["ball", "on"], "not a French elision");
    }

    #[test]
    fn positions_close_over_the_dropped_words() {
        assert_eq!(
            words("vers l'orbite de l’espace"),
            [
                ("vers".into(), 0),
                ("orbite".into(), 1),
                ("de".into(), 2),
                ("espace".into(), 3)
            ]
        );
    }
}
