//! Lists without repeats, in the order values were first met, in linear time: a hostile page
//! may carry hundreds of thousands of links or keywords, and a scan of the list for each new
//! value would take minutes.

use std::collections::HashSet;
use std::hash::Hash;

/// The values in first-seen order, each once.
pub fn unique<T: Eq + Hash + Clone>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    values
        .into_iter()
        .filter(|value| seen.insert(value.clone()))
        .collect()
}

/// Adds the values of `more` that `list` lacks, keeping the order of both.
pub fn extend_unique<T: Eq + Hash + Clone>(list: &mut Vec<T>, more: impl IntoIterator<Item = T>) {
    let mut seen: HashSet<T> = list.iter().cloned().collect();
    list.extend(more.into_iter().filter(|value| seen.insert(value.clone())));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_go_and_the_first_order_stays() {
        assert_eq!(unique(["b", "a", "b", "c", "a"]), ["b", "a", "c"]);
        let mut list = vec![3, 1];
        extend_unique(&mut list, [1, 2, 3, 2, 4]);
        assert_eq!(list, [3, 1, 2, 4]);
    }
}
