//! The first sentence of a long caption, which titles its photo: news captions run to
//! several sentences, and a title is what a grid of cards and a credit sheet can show.

/// Captions up to this many characters are titles as they are.
const SHORT: usize = 100;
/// A first sentence shorter than this is a fragment ("Above.", "Left to right:").
const MIN_WORDS: usize = 4;

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: [&str; 24] = [
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "lt", "col", "sgt", "capt", "cmdr",
    "gov", "sen", "rep", "no", "vol", "inc", "ltd", "co", "vs", "approx",
];

/// The first sentence of `caption` when it is long and has more than one, else `None`.
pub fn first_sentence(caption: &str) -> Option<&str> {
    if caption.chars().count() <= SHORT {
        return None;
    }
    let bytes = caption.as_bytes();
    let ends = caption.match_indices(['.', '!', '?']).map(|(i, _)| i);
    for end in ends {
        let next = &caption[end + 1..];
        let starts_sentence = next.starts_with(' ')
            && next
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || matches!(c, '"' | '“' | '«' | '‘'));
        if !starts_sentence || (bytes[end] == b'.' && is_abbreviation(&caption[..end])) {
            continue;
        }
        let sentence = caption[..=end].trim();
        if sentence.split_whitespace().count() >= MIN_WORDS && sentence.len() < caption.trim().len()
        {
            return Some(sentence);
        }
    }
    None
}

/// Whether the word before a full stop is an abbreviation or an initial ("J.", "U.S.").
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default();
    let single_letter = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
    single_letter || word.contains('.') || ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_caption_is_titled_by_its_first_sentence() {
        let caption = "United Nations peacekeepers at a refugee camp in Sudan on Monday. In exchange \
                       for the lifting of sanctions, Sudan has said it will improve access.";
        assert_eq!(
            first_sentence(caption),
            Some("United Nations peacekeepers at a refugee camp in Sudan on Monday.")
        );
    }

    #[test]
    fn short_captions_initials_and_abbreviations_do_not_split() {
        assert_eq!(
            first_sentence("Soyuz VS20 on the pad. Kourou, 17 December."),
            None
        );
        let initials = "A photo by J. R. R. Smith of the Soyuz launcher taken from the mobile gantry \
                        of the Guiana Space Centre, with the U.S. flag and the French flag beside it.";
        assert_eq!(first_sentence(initials), None);
        let titled = "Dr. Jane Doe and Mr. John Roe inspect the CSO-1 satellite in the clean room \
                      at Kourou. The satellite was launched on 19 December 2018 by Soyuz flight VS20.";
        assert_eq!(
            first_sentence(titled),
            Some(
                "Dr. Jane Doe and Mr. John Roe inspect the CSO-1 satellite in the clean room at Kourou."
            )
        );
    }

    #[test]
    fn a_lowercase_continuation_or_a_fragment_is_not_a_sentence() {
        let lower = "The launcher rolls out at 10 a.m. local time, with the satellite encapsulated \
                     under its fairing, ready for the night's launch from the ELS pad";
        assert_eq!(first_sentence(lower), None);
        let fragment = "Above. The Soyuz launcher rolls out from its assembly building to the ELS \
                        launch pad at the Guiana Space Centre in Kourou, French Guiana.";
        assert_eq!(first_sentence(fragment), None);
    }
}
