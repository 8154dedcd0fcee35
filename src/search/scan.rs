//! A first pass over the query's characters, before Tantivy's grammar reads it.
//!
//! The grammar is a recursive parser that gives no position when it fails, and reads `'` as
//! a quote. This pass, which never recurses:
//! - bounds what the grammar is given (nesting, words: see [`super::limits`]);
//! - escapes the apostrophes of words, so that `L'Enigme`, `aujourd'hui` and `Yoon's` are
//!   text to the grammar (phrases are written with double quotes), and the colons after the
//!   one that names the field, so that `taken:2018-12-18T15:54:37Z` is a field and a value;
//! - notes the first unbalanced quote, parenthesis, bracket or operator, which explains the
//!   grammar's refusal with a position. It never refuses a query itself: the grammar decides.

use super::error::{QueryError, QueryErrorKind};
use super::limits::{MAX_DEPTH, MAX_WORDS};

/// The query, ready for the grammar.
#[derive(Debug)]
pub(crate) struct Scanned {
    /// The query with the apostrophes of its words escaped.
    pub(crate) text: String,
    /// The byte offsets in `text` of the escapes added.
    added: Vec<usize>,
    /// The first unbalanced quote, parenthesis, bracket or operator, at a character position.
    pub(crate) flaw: Option<(QueryErrorKind, usize)>,
}

impl Scanned {
    /// The character position in the user's query of a byte offset in `text`.
    pub(crate) fn position(&self, byte: usize) -> usize {
        let chars = self.text.char_indices().take_while(|(i, _)| *i < byte);
        chars.count() - self.added.iter().filter(|&&a| a < byte).count()
    }
}

/// Reads the query once.
///
/// # Errors
/// [`QueryErrorKind::TooDeep`] and [`QueryErrorKind::TooManyWords`], at the character where
/// the limit is passed.
pub(crate) fn scan(query: &str) -> Result<Scanned, QueryError> {
    let mut scanner = Scanner::default();
    for (at, c) in query.chars().enumerate() {
        scanner
            .read(at, c)
            .map_err(|kind| QueryError::new(kind, query, Some(scanner.word_at)))?;
    }
    let end = query.chars().count();
    scanner
        .end_word()
        .map_err(|kind| QueryError::new(kind, query, Some(scanner.word_at)))?;
    scanner.finish(end);
    Ok(Scanned {
        text: scanner.out,
        added: scanner.added,
        flaw: scanner.flaw,
    })
}

#[derive(Default)]
struct Scanner {
    out: String,
    added: Vec<usize>,
    /// Open parentheses: where, and the `NOT`s outside them still waiting for an operand.
    parens: Vec<(usize, usize)>,
    /// `NOT`s waiting for an operand in the enclosing levels.
    outer_nots: usize,
    /// `NOT`s waiting for an operand at this level.
    nots: usize,
    /// Where the open phrase starts.
    quote: Option<usize>,
    /// Where the open range starts.
    range: Option<usize>,
    /// The previous character was a `\`.
    escaped: bool,
    /// The word being read outside phrases, and where it starts.
    word: String,
    word_at: usize,
    /// Where the value starts in the word, after the colon that names its field.
    value: Option<usize>,
    /// Inside a phrase, whether the last character belongs to a word.
    in_phrase_word: bool,
    words: usize,
    /// Something to apply an operator to came since the start or the last `(`.
    operand: bool,
    /// The operator waiting for its operand.
    operator: Option<(String, usize)>,
    flaw: Option<(QueryErrorKind, usize)>,
}

impl Scanner {
    fn read(&mut self, at: usize, c: char) -> Result<(), QueryErrorKind> {
        if self.escaped {
            self.escaped = false;
            return self.text(at, c);
        }
        if c == '\\' {
            self.escaped = true;
            return self.text(at, c);
        }
        if self.quote.is_some() {
            return self.in_phrase(at, c);
        }
        match c {
            '"' | '(' | ')' | '[' | '{' | ']' | '}' => {
                self.end_word()?;
                self.out.push(c);
                self.delimiter(at, c)
            }
            c if c.is_whitespace() => {
                self.out.push(c);
                self.end_word()
            }
            '\'' if self.range.is_none() => self.escaped_text(at, c),
            ':' if self.range.is_none() => self.colon(at),
            c => self.text(at, c),
        }
    }

    /// A character the grammar would read as syntax, escaped to be text.
    fn escaped_text(&mut self, at: usize, c: char) -> Result<(), QueryErrorKind> {
        self.added.push(self.out.len());
        self.out.push('\\');
        self.text(at, c)
    }

    /// The first colon of a word names the field; the later ones are part of the value,
    /// unless the value is a comparison (`taken:>=2018-12-18T15:00:00Z`), which the grammar
    /// reads whole.
    fn colon(&mut self, at: usize) -> Result<(), QueryErrorKind> {
        let Some(value) = self.value else {
            self.text(at, ':')?;
            self.value = Some(self.word.len());
            return Ok(());
        };
        if self.word[value..].starts_with(['<', '>']) {
            return self.text(at, ':');
        }
        self.escaped_text(at, ':')
    }

    /// A character of a word or phrase.
    fn text(&mut self, at: usize, c: char) -> Result<(), QueryErrorKind> {
        self.out.push(c);
        if self.quote.is_some() {
            return self.phrase_word(at, c);
        }
        if self.word.is_empty() {
            self.word_at = at;
        }
        self.word.push(c);
        Ok(())
    }

    fn in_phrase(&mut self, at: usize, c: char) -> Result<(), QueryErrorKind> {
        if c != '"' {
            return self.text(at, c);
        }
        self.out.push(c);
        self.quote = None;
        self.in_phrase_word = false;
        self.operand_read();
        Ok(())
    }

    /// Counts the words of a phrase as they start.
    fn phrase_word(&mut self, at: usize, c: char) -> Result<(), QueryErrorKind> {
        let starts = !c.is_whitespace() && !self.in_phrase_word;
        self.in_phrase_word = !c.is_whitespace();
        if starts {
            self.word_at = at;
            self.count_word()?;
        }
        Ok(())
    }

    fn delimiter(&mut self, at: usize, c: char) -> Result<(), QueryErrorKind> {
        match c {
            '"' => self.quote = Some(at),
            '(' => self.open(at)?,
            ')' => self.close(at),
            '[' | '{' => {
                // A second `[` inside a range is the grammar's to refuse.
                self.range.get_or_insert(at);
            }
            _ => {
                if self.range.take().is_none() {
                    self.note(QueryErrorKind::UnopenedRange, at);
                }
                self.operand_read();
            }
        }
        Ok(())
    }

    fn open(&mut self, at: usize) -> Result<(), QueryErrorKind> {
        self.parens.push((at, self.nots));
        self.outer_nots += self.nots;
        self.nots = 0;
        self.word_at = at;
        self.check_depth()?;
        self.operand = false;
        self.operator = None;
        Ok(())
    }

    fn close(&mut self, at: usize) {
        if let Some((word, at)) = self.operator.take() {
            self.note(QueryErrorKind::DanglingOperator(word), at);
        }
        match self.parens.pop() {
            Some((_, nots)) => self.outer_nots -= nots,
            None => self.note(QueryErrorKind::UnopenedParenthesis, at),
        }
        self.operand_read();
    }

    /// Ends the word being read outside phrases: an operator, or a word to count.
    fn end_word(&mut self) -> Result<(), QueryErrorKind> {
        let word = std::mem::take(&mut self.word);
        self.value = None;
        match word.as_str() {
            "" => {}
            "TO" if self.range.is_some() => {}
            "AND" | "OR" if self.range.is_none() => {
                if !self.operand || self.operator.is_some() {
                    self.note(QueryErrorKind::DanglingOperator(word.clone()), self.word_at);
                }
                self.operator = Some((word, self.word_at));
            }
            "NOT" if self.range.is_none() => {
                self.nots += 1;
                self.check_depth()?;
                self.operator = Some((word, self.word_at));
            }
            _ => {
                self.count_word()?;
                self.operand_read();
            }
        }
        Ok(())
    }

    fn count_word(&mut self) -> Result<(), QueryErrorKind> {
        self.words += 1;
        if self.words > MAX_WORDS {
            return Err(QueryErrorKind::TooManyWords);
        }
        Ok(())
    }

    fn check_depth(&self) -> Result<(), QueryErrorKind> {
        if self.parens.len() + self.outer_nots + self.nots > MAX_DEPTH {
            return Err(QueryErrorKind::TooDeep);
        }
        Ok(())
    }

    /// A word, phrase, group or range: what waiting operators apply to.
    fn operand_read(&mut self) {
        self.nots = 0;
        self.operand = true;
        self.operator = None;
    }

    /// Keeps the first flaw, in reading order.
    fn note(&mut self, kind: QueryErrorKind, at: usize) {
        self.flaw.get_or_insert((kind, at));
    }

    /// What is left open at the end of the query.
    fn finish(&mut self, end: usize) {
        if let Some(at) = self.quote {
            self.note(QueryErrorKind::UnclosedQuote, at);
        }
        if let Some((word, at)) = self.operator.take() {
            self.note(QueryErrorKind::DanglingOperator(word), at);
        }
        if let Some(&(at, _)) = self.parens.last() {
            self.note(QueryErrorKind::UnclosedParenthesis, at);
        }
        if let Some(at) = self.range {
            self.note(QueryErrorKind::UnclosedRange, at);
        }
        if self.escaped {
            self.note(
                QueryErrorKind::Syntax(Some("nothing follows `\\`".into())),
                end,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flaw(query: &str) -> Option<(QueryErrorKind, usize)> {
        scan(query).unwrap().flaw
    }

    #[test]
    fn apostrophes_of_words_are_escaped_and_positions_map_back() {
        let scanned = scan("L'Enigme \"l'espace\" d’improvisation").unwrap();
        assert_eq!(scanned.text, "L\\'Enigme \"l'espace\" d’improvisation");
        assert_eq!(scanned.flaw, None);
        let quote = scanned.text.find('"').unwrap();
        assert_eq!(scanned.position(quote), 9, "the escape is not counted");
        assert_eq!(scanned.position(scanned.text.len()), 35);
        assert_eq!(scan("taken:[a' TO b]").unwrap().text, "taken:[a' TO b]");
        assert_eq!(
            scan("rock \\'n").unwrap().text,
            "rock \\'n",
            "already escaped"
        );
    }

    #[test]
    fn colons_after_the_field_are_part_of_the_value() {
        let text = |query: &str| scan(query).unwrap().text;
        assert_eq!(
            text("taken:2018-12-18T15:54:37Z"),
            "taken:2018-12-18T15\\:54\\:37Z"
        );
        assert_eq!(text("a:b c:d"), "a:b c:d");
        assert_eq!(
            text("taken:>=2018-12-18T15:54:37Z"),
            "taken:>=2018-12-18T15:54:37Z"
        );
        assert_eq!(
            text("taken:[2018-12-18T15:54:37Z TO *]"),
            "taken:[2018-12-18T15:54:37Z TO *]"
        );
        assert_eq!(text("\"a:b:c\" (d:e:f)"), "\"a:b:c\" (d:e\\:f)");
    }

    #[test]
    fn unbalanced_quotes_parentheses_and_ranges_are_located() {
        use QueryErrorKind as K;
        assert_eq!(flaw("title:(soyuz"), Some((K::UnclosedParenthesis, 6)));
        assert_eq!(flaw("(a (b) c"), Some((K::UnclosedParenthesis, 0)));
        assert_eq!(flaw("soyuz) vs20"), Some((K::UnopenedParenthesis, 5)));
        assert_eq!(flaw("vs20 \"launch (pad"), Some((K::UnclosedQuote, 5)));
        assert_eq!(flaw("taken:[2018 TO 2019"), Some((K::UnclosedRange, 6)));
        assert_eq!(flaw("a] b"), Some((K::UnopenedRange, 1)));
        assert_eq!(flaw("\"(\" (a) \"\\\"\""), None, "quoted and escaped");
    }

    #[test]
    fn operators_without_operands_are_located() {
        use QueryErrorKind as K;
        let dangling = |w: &str, at| Some((K::DanglingOperator(w.into()), at));
        assert_eq!(flaw("vs20 AND"), dangling("AND", 5));
        assert_eq!(flaw("OR vs20"), dangling("OR", 0));
        assert_eq!(flaw("(a OR) b"), dangling("OR", 3));
        assert_eq!(flaw("a AND OR b"), dangling("OR", 6));
        assert_eq!(flaw("a NOT"), dangling("NOT", 2));
        assert_eq!(flaw("a AND NOT b OR (NOT c)"), None);
        assert_eq!(flaw("\"a AND\" b"), None);
    }

    #[test]
    fn nesting_and_words_are_bounded_before_parsing() {
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        let error = scan(&deep).unwrap_err();
        assert_eq!(error.kind, QueryErrorKind::TooDeep);
        assert_eq!(error.at, Some(MAX_DEPTH));
        let nots = format!("{}a", "NOT ".repeat(MAX_DEPTH + 1));
        assert_eq!(scan(&nots).unwrap_err().at, Some(4 * MAX_DEPTH));
        let mixed = format!("{}a", "NOT (".repeat(MAX_DEPTH));
        assert_eq!(scan(&mixed).unwrap_err().kind, QueryErrorKind::TooDeep);
        let fine = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(scan(&fine).is_ok());

        let many = "soyu* ".repeat(MAX_WORDS + 1);
        let error = scan(&many).unwrap_err();
        assert_eq!(error.kind, QueryErrorKind::TooManyWords);
        assert_eq!(error.at, Some(6 * MAX_WORDS));
        let phrase = format!("\"{}\"", "a ".repeat(MAX_WORDS + 1));
        assert_eq!(scan(&phrase).unwrap_err().at, Some(1 + 2 * MAX_WORDS));
        assert!(scan(&"a ".repeat(MAX_WORDS)).is_ok());
    }
}
