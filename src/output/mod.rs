//! Human and machine output: the crawl's summary, and for the read commands tables fitted to
//! the terminal, JSON and CSV records, one item in full. The library hands over typed
//! results; only this module decides how they look.

pub(crate) mod campaigns;
pub(crate) mod crawl;
pub(crate) mod download;
pub(crate) mod download_progress;
pub(crate) mod printable;
pub(crate) mod records;
pub(crate) mod show;
mod summary;
pub(crate) mod table;
mod text;

use std::io::{self, IsTerminal};

use crate::cli::ColorWhen;

pub(crate) use summary::did_you_mean;

/// Width when stdout is not a terminal: wide enough for most titles, narrow enough for logs.
const DEFAULT_WIDTH: usize = 120;

/// The terminal's width, or a default when printing to a pipe or file.
pub(crate) fn terminal_width() -> usize {
    if !io::stdout().is_terminal() {
        return DEFAULT_WIDTH;
    }
    console::Term::stdout()
        .size_checked()
        .map_or(DEFAULT_WIDTH, |(_, cols)| usize::from(cols))
}

/// How text is styled: plain, or with ANSI colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Palette {
    colour: bool,
}

impl Palette {
    /// Plain text, for pipes, files and tests.
    pub(crate) const PLAIN: Palette = Palette { colour: false };
    /// ANSI colours.
    #[cfg(test)]
    pub(crate) const COLOUR: Palette = Palette { colour: true };

    /// Colour on a terminal only, and never when `NO_COLOR` is set (no-color.org) or the
    /// terminal is dumb; `--color` overrides.
    pub(crate) fn for_stdout(when: ColorWhen) -> Palette {
        let colour = match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
                io::stdout().is_terminal() && !no_color && !dumb
            }
        };
        Palette { colour }
    }

    fn paint(self, text: &str, style: console::Style) -> String {
        if self.colour && !text.is_empty() {
            style.force_styling(true).apply_to(text).to_string()
        } else {
            text.to_string()
        }
    }

    /// A matched word.
    pub(crate) fn matched(self, text: &str) -> String {
        self.paint(text, console::Style::new().bold().yellow())
    }

    /// A heading or the summary line.
    pub(crate) fn heading(self, text: &str) -> String {
        self.paint(text, console::Style::new().bold())
    }

    /// A link.
    pub(crate) fn link(self, text: &str) -> String {
        self.paint(text, console::Style::new().cyan())
    }

    /// Secondary text.
    pub(crate) fn dim(self, text: &str) -> String {
        self.paint(text, console::Style::new().dim())
    }

    /// A warning, such as a licence that forbids publication.
    pub(crate) fn warn(self, text: &str) -> String {
        self.paint(text, console::Style::new().red())
    }

    /// Good news, such as a licence that allows publication.
    pub(crate) fn good(self, text: &str) -> String {
        self.paint(text, console::Style::new().green())
    }
}

/// `1 item`, `2 items`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
