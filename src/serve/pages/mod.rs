//! The pages, as typed templates (maud): every value spliced in is escaped, so a title from
//! the web that holds `<script>` shows as that text.

pub(crate) mod campaign;
mod card;
pub(crate) mod errors;
mod facets;
pub(crate) mod item;
mod layout;
pub(crate) mod search;
