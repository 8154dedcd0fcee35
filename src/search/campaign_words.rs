//! Words that name a campaign.
//!
//! A bare word searches the `text` field, where a campaign is split into words as written.
//! The `campaign` field keys whole names instead, so that `VS-20`, `#vs20` and `vs20` agree.
//! A word or phrase of the query whose key is a campaign of the index also matches that
//! campaign's items (rewritten on the syntax tree, see `leaf.rs`), and the campaigns a query
//! names lift their items above items that merely mention them.

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};
use tantivy_query_grammar::{Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};

use crate::index::Fields;
use crate::tag;

/// Added to the score of items in a campaign the query names: larger than any text score, so
/// the campaign's own items come first.
const CAMPAIGN_BONUS: f32 = 1_000.0;

/// The campaign that a word or phrase of the `text` field names, given its words as the
/// index analyzed them, if the index has it.
///
/// # Errors
/// When the index cannot be read.
pub(crate) fn named_by(
    words: &[String],
    searcher: &Searcher,
    fields: &Fields,
) -> tantivy::Result<Option<Term>> {
    let key = tag::key(&words.concat());
    if key.is_empty() {
        return Ok(None);
    }
    let campaign = Term::from_field_text(fields.campaign, &key);
    Ok((searcher.doc_freq(&campaign)? > 0).then_some(campaign))
}

/// `literal OR campaign:key`, where `field` is the campaign field's name.
pub(crate) fn widened(literal: UserInputLiteral, field: String, campaign: &Term) -> UserInputAst {
    let in_campaign = UserInputLiteral {
        field_name: Some(field),
        phrase: campaign.value().as_str().unwrap_or_default().to_string(),
        delimiter: Delimiter::None,
        slop: 0,
        prefix: false,
    };
    let either = |literal: UserInputLiteral| {
        let leaf: UserInputAst = UserInputLeaf::Literal(literal).into();
        (Some(Occur::Should), leaf)
    };
    UserInputAst::Clause(vec![either(literal), either(in_campaign)])
}

/// The query, with the bonus for every campaign it names. A query naming none comes back as
/// it was, so Tantivy can still skip what cannot rank (block-max WAND).
pub(crate) fn with_bonus(query: Box<dyn Query>, campaigns: Vec<Term>) -> Box<dyn Query> {
    if campaigns.is_empty() {
        return query;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    for term in campaigns {
        let in_campaign = TermQuery::new(term, IndexRecordOption::Basic);
        clauses.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(Box::new(in_campaign), CAMPAIGN_BONUS)),
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}
