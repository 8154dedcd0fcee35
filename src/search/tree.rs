//! The query's syntax tree, reshaped before Tantivy builds the query from it. Each leaf is
//! rewritten by the caller (dates, prefixes, campaigns: see `leaf.rs`); the clauses are
//! reshaped here:
//!
//! - `a AND NOT b` excludes `b`. The grammar reads it as `a` and a clause that only
//!   excludes, which matches nothing in Tantivy; the exclusion is lifted into its parent.
//! - A clause inside another of the same kind is merged into it, as Tantivy's own parser
//!   does when it reads a query, so ranking is what it was.
//!
//! The recursion is as deep as the tree, which [`super::limits::MAX_DEPTH`] bounds before
//! the grammar runs.

use tantivy_query_grammar::{Occur, UserInputAst, UserInputLeaf};

/// The tree with every leaf rewritten by `leaf` and its clauses reshaped.
///
/// # Errors
/// The first error of `leaf`.
pub(crate) fn rewrite<E>(
    ast: UserInputAst,
    leaf: &mut dyn FnMut(UserInputLeaf) -> Result<UserInputAst, E>,
) -> Result<UserInputAst, E> {
    Ok(match ast {
        UserInputAst::Leaf(one) => leaf(*one)?,
        UserInputAst::Boost(inner, boost) => {
            UserInputAst::Boost(Box::new(rewrite(*inner, leaf)?), boost)
        }
        UserInputAst::Clause(children) => {
            let mut clauses = Vec::with_capacity(children.len());
            for (occur, child) in children {
                // Words are all required unless said otherwise: the parser is set so.
                let occur = occur.unwrap_or(Occur::Must);
                merge(&mut clauses, occur, rewrite(child, leaf)?);
            }
            UserInputAst::Clause(clauses)
        }
    })
}

/// Adds a child to its parent's clauses: its own clauses instead when they can join them.
fn merge(clauses: &mut Vec<(Option<Occur>, UserInputAst)>, occur: Occur, child: UserInputAst) {
    let joins = |inner: &[(Option<Occur>, UserInputAst)]| {
        let all = |kind: Occur| !inner.is_empty() && inner.iter().all(|(o, _)| *o == Some(kind));
        (occur == Occur::Must && all(Occur::MustNot)) || (occur != Occur::MustNot && all(occur))
    };
    match child {
        UserInputAst::Clause(inner) if joins(&inner) => clauses.extend(inner),
        child => clauses.push((Some(occur), child)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;

    fn shape(query: &str) -> String {
        let ast = tantivy_query_grammar::parse_query(query).unwrap();
        let same = &mut |leaf: UserInputLeaf| Ok::<_, Infallible>(UserInputAst::from(leaf));
        format!("{:?}", rewrite(ast, same).unwrap())
    }

    #[test]
    fn and_not_excludes() {
        assert_eq!(shape("soyuz AND NOT vs21"), "(+soyuz -vs21)");
        assert_eq!(shape("soyuz AND -vs21"), "(+soyuz -vs21)");
        assert_eq!(shape("soyuz NOT vs21"), "(+soyuz -vs21)");
        assert_eq!(
            shape("(soyuz AND NOT vs21) OR ariane"),
            "(?(+soyuz -vs21) ?ariane)"
        );
        assert_eq!(
            shape("a OR NOT b"),
            "(?a ?(-b))",
            "OR NOT keeps its own clause"
        );
    }

    #[test]
    fn clauses_of_one_kind_merge() {
        assert_eq!(shape("a (b c)"), "(+a +b +c)");
        assert_eq!(shape("a OR (b OR c)"), "(?a ?b ?c)");
        assert_eq!(shape("a (b OR c)"), "(+a +(?b ?c))");
        assert_eq!(shape("-(a b)"), "(-(+a +b))");
    }
}
