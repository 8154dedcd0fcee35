//! What one query may cost. Each bound stops a query long before it could exhaust the stack
//! or the memory; none is near what a person types.

/// How deep parentheses and `NOT`s may nest. Tantivy's grammar recurses once per level, so
/// ten thousand levels overflowed the stack; the depth is checked before the grammar runs.
pub const MAX_DEPTH: usize = 20;

/// How many words a query may have, phrases included. Each word is a term to look up and a
/// scorer to run.
pub const MAX_WORDS: usize = 200;

/// How many prefixes (`soyu*`) and ranges over words a query may have. Each reads every
/// matching word of the index and keeps a bitset of the items per segment: ten thousand
/// prefixes took 1.1 GB.
pub const MAX_EXPANSIONS: usize = 20;
