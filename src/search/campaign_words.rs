//! Words that name a campaign.
//!
//! A bare word searches the `text` field, where a campaign is split into words as written.
//! The `campaign` field keys whole names instead, so that `VS-20`, `#vs20` and `vs20` agree.
//! A word or phrase of the query whose key is a campaign of the index also matches that
//! campaign's items, and lifts them above items that merely mention it.

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::index::Fields;
use crate::tag;

/// Added to the score of items in a campaign the query names: larger than any text score, so
/// the campaign's own items come first.
const CAMPAIGN_BONUS: f32 = 1_000.0;

/// The query, where each word naming a campaign also matches the campaign, with the bonus
/// for every campaign it names. A query naming none comes back as it was, so Tantivy can
/// still skip what cannot rank (block-max WAND).
///
/// # Errors
/// When the index cannot be read.
pub(crate) fn with_campaigns(
    query: Box<dyn Query>,
    searcher: &Searcher,
    fields: &Fields,
) -> tantivy::Result<Box<dyn Query>> {
    let mut named: Vec<Term> = Vec::new();
    let query = widen(query, searcher, fields, &mut named)?;
    query.query_terms(&mut |term, _| {
        if term.field() == fields.campaign && !named.contains(term) {
            named.push(term.clone());
        }
    });
    if named.is_empty() {
        return Ok(query);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    for term in named {
        let in_campaign = TermQuery::new(term, IndexRecordOption::Basic);
        clauses.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(Box::new(in_campaign), CAMPAIGN_BONUS)),
        ));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// Rebuilds the query with `word OR campaign:word` where a word names a campaign.
fn widen(
    query: Box<dyn Query>,
    searcher: &Searcher,
    fields: &Fields,
    named: &mut Vec<Term>,
) -> tantivy::Result<Box<dyn Query>> {
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let mut clauses = Vec::with_capacity(boolean.clauses().len());
        for (occur, clause) in boolean.clauses() {
            clauses.push((*occur, widen(clause.box_clone(), searcher, fields, named)?));
        }
        let mut rebuilt = BooleanQuery::new(clauses);
        rebuilt.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
        return Ok(Box::new(rebuilt));
    }
    let Some(campaign) = campaign_named(&*query, searcher, fields)? else {
        return Ok(query);
    };
    if !named.contains(&campaign) {
        named.push(campaign.clone());
    }
    let in_campaign = TermQuery::new(campaign, IndexRecordOption::Basic);
    Ok(Box::new(BooleanQuery::union(vec![
        query,
        Box::new(in_campaign),
    ])))
}

/// The campaign term a word or phrase of the `text` field names, if the index has it.
fn campaign_named(
    query: &dyn Query,
    searcher: &Searcher,
    fields: &Fields,
) -> tantivy::Result<Option<Term>> {
    let words = if let Some(term) = query.downcast_ref::<TermQuery>() {
        vec![term.term().clone()]
    } else if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        phrase.phrase_terms()
    } else {
        return Ok(None);
    };
    if words.iter().any(|word| word.field() != fields.text) {
        return Ok(None);
    }
    let mut joined = String::new();
    for word in &words {
        joined.extend(word.value().as_str());
    }
    let key = tag::key(&joined);
    if key.is_empty() {
        return Ok(None);
    }
    let campaign = Term::from_field_text(fields.campaign, &key);
    Ok((searcher.doc_freq(&campaign)? > 0).then_some(campaign))
}
