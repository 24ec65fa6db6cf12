//! Colours and emphasis. Every colour also has a word or symbol beside it
//! on screen, so the board reads under `NO_COLOR` and on a projector.
//!
//! Three palettes: `default` for a dark terminal, `high-contrast` with no
//! grey or dim text and bold, bright states (for projectors and tired
//! eyes), and `light` with dark colours for a light terminal background.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::domain::Pace;

/// The theme a user names in `config.toml` (`theme = "light"`) or with
/// `--theme light`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeName {
    /// For a dark terminal background.
    #[default]
    Default,
    /// No dim or grey text, strong colours: reads on a projector.
    HighContrast,
    /// Dark colours for a light terminal background.
    Light,
}

impl ThemeName {
    pub const ALL: [Self; 3] = [Self::Default, Self::HighContrast, Self::Light];

    /// The presentation's theme when the board's is this one (from
    /// `config.toml`) and the run names none: high contrast, except on a
    /// light terminal, where its bright colours would vanish.
    pub fn presented(self) -> Self {
        match self {
            Self::Light => Self::Light,
            Self::Default | Self::HighContrast => Self::HighContrast,
        }
    }

    /// The name as `config.toml` and `--theme` spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::HighContrast => "high-contrast",
            Self::Light => "light",
        }
    }
}

/// Read by name, with the names in the message whatever was written in its
/// place (`theme = 5` said only "wanted string or table").
impl<'de> Deserialize<'de> for ThemeName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = ThemeName;

            fn expecting(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let names: Vec<String> = ThemeName::ALL.iter().map(|name| format!("\"{}\"", name.as_str())).collect();
                write!(out, "a theme's name in quotes: {}", names.join(", "))
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<ThemeName, E> {
                ThemeName::ALL
                    .into_iter()
                    .find(|name| name.as_str() == text)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(text), &self))
            }
        }
        deserializer.deserialize_str(Name)
    }
}

/// The colours one theme gives each role. Only ANSI's sixteen colours, so
/// the terminal's own scheme still decides the exact shades.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Palette {
    /// Titles, keys and the focused border.
    accent: Color,
    /// Secondary text; `None` draws it in the terminal's own foreground.
    quiet: Option<Color>,
    good: Color,
    warning: Color,
    error: Color,
    marked: Color,
    active: Color,
    /// Behind a dialog, one cell down and right.
    shadow: Color,
    /// Extra emphasis on every state colour (good, warning, error, marked,
    /// active): bold reads further away than colour does.
    state_emphasis: Modifier,
}

impl Palette {
    fn of(name: ThemeName) -> Self {
        match name {
            ThemeName::Default => Self {
                accent: Color::Cyan,
                quiet: Some(Color::DarkGray),
                good: Color::Green,
                warning: Color::Yellow,
                error: Color::Red,
                marked: Color::Yellow,
                active: Color::Green,
                shadow: Color::Black,
                state_emphasis: Modifier::empty(),
            },
            // Bright variants, all bold, and no grey: a projector washes
            // out dark and thin text first.
            ThemeName::HighContrast => Self {
                accent: Color::LightCyan,
                quiet: None,
                good: Color::LightGreen,
                warning: Color::LightYellow,
                error: Color::LightRed,
                marked: Color::LightMagenta,
                active: Color::LightGreen,
                shadow: Color::Black,
                state_emphasis: Modifier::BOLD,
            },
            // On white, yellow and cyan vanish: blue, magenta and the dark
            // ANSI colours read instead.
            ThemeName::Light => Self {
                accent: Color::Blue,
                quiet: Some(Color::DarkGray),
                good: Color::Green,
                warning: Color::Magenta,
                error: Color::Red,
                marked: Color::Magenta,
                active: Color::Green,
                shadow: Color::Gray,
                state_emphasis: Modifier::empty(),
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    name: ThemeName,
    palette: Palette,
    colour: bool,
    /// The presentation's theme: high contrast, unless `--theme` named one
    /// for this run.
    presentation: ThemeName,
}

impl Default for Theme {
    fn default() -> Self {
        Self::new(ThemeName::Default, true)
    }
}

impl Theme {
    /// `name`'s theme, in colour or (for `NO_COLOR`) in emphasis only.
    pub fn new(name: ThemeName, colour: bool) -> Self {
        Self { name, palette: Palette::of(name), colour, presentation: ThemeName::HighContrast }
    }

    /// This theme, presenting in `presentation` (`--theme` for the run).
    pub fn presenting_in(self, presentation: ThemeName) -> Self {
        Self { presentation, ..self }
    }

    /// `name`'s theme, in colour unless `NO_COLOR` is set to anything
    /// non-empty (no-color.org).
    pub fn from_env(name: ThemeName) -> Self {
        Self::new(name, std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()))
    }

    /// The presentation's theme (high contrast unless `--theme` named
    /// another), in colour as this one is.
    pub fn for_presentation(self) -> Self {
        Self::new(self.presentation, self.colour).presenting_in(self.presentation)
    }

    pub fn name(self) -> ThemeName {
        self.name
    }

    fn fg(self, colour: Color) -> Style {
        if self.colour { Style::new().fg(colour) } else { Style::new() }
    }

    /// A state's colour with the theme's emphasis for states.
    fn state(self, colour: Color) -> Style {
        self.fg(colour).add_modifier(self.palette.state_emphasis)
    }

    pub fn title(self) -> Style {
        self.fg(self.palette.accent).add_modifier(Modifier::BOLD)
    }

    /// Secondary text. High contrast draws it plain: never grey, never dim.
    pub fn dim(self) -> Style {
        match (self.palette.quiet, self.colour) {
            (None, _) => Style::new(),
            (Some(colour), true) => Style::new().fg(colour),
            (Some(_), false) => Style::new().add_modifier(Modifier::DIM),
        }
    }

    pub fn bold(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn good(self) -> Style {
        self.state(self.palette.good)
    }

    pub fn warning(self) -> Style {
        self.state(self.palette.warning).add_modifier(Modifier::BOLD)
    }

    pub fn error(self) -> Style {
        self.state(self.palette.error).add_modifier(Modifier::BOLD)
    }

    pub fn key(self) -> Style {
        self.fg(self.palette.accent).add_modifier(Modifier::BOLD)
    }

    /// The selected row of the focused pane.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// The selected row of a pane without focus: visible, but quieter.
    pub fn selected_unfocused(self) -> Style {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }

    /// Rows marked with `v`; they also carry a ✓, for monochrome screens.
    pub fn marked(self) -> Style {
        self.state(self.palette.marked).add_modifier(Modifier::BOLD)
    }

    pub fn border(self, focused: bool) -> Style {
        if focused { self.fg(self.palette.accent).add_modifier(Modifier::BOLD) } else { self.dim() }
    }

    /// The sprint running today.
    pub fn active(self) -> Style {
        self.state(self.palette.active).add_modifier(Modifier::BOLD)
    }

    /// The shadow under a dialog; none at all without colour.
    pub fn shadow(self) -> Style {
        if self.colour { Style::new().bg(self.palette.shadow) } else { Style::new() }
    }

    pub fn pace(self, pace: Pace) -> Style {
        match pace {
            Pace::OnPace => self.good(),
            Pace::Behind => self.warning(),
            Pace::AtRisk => self.error(),
            Pace::Unmeasurable => self.dim(),
        }
    }

    /// Every style the theme hands out, for tests that check a property of
    /// all of them.
    #[cfg(test)]
    fn all_styles(self) -> Vec<Style> {
        let mut styles = vec![
            self.title(),
            self.dim(),
            self.bold(),
            self.good(),
            self.warning(),
            self.error(),
            self.key(),
            self.selected(),
            self.selected_unfocused(),
            self.marked(),
            self.border(true),
            self.border(false),
            self.active(),
            self.shadow(),
        ];
        styles.extend([Pace::OnPace, Pace::Behind, Pace::AtRisk, Pace::Unmeasurable].map(|pace| self.pace(pace)));
        styles
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_presentation_is_high_contrast_unless_the_terminal_is_light() {
        assert_eq!(ThemeName::Default.presented(), ThemeName::HighContrast);
        assert_eq!(ThemeName::HighContrast.presented(), ThemeName::HighContrast);
        assert_eq!(ThemeName::Light.presented(), ThemeName::Light);
        let theme = Theme::new(ThemeName::Light, false).presenting_in(ThemeName::HighContrast).for_presentation();
        assert_eq!((theme.name(), theme.colour), (ThemeName::HighContrast, false), "NO_COLOR stays off");
    }

    use super::*;

    fn colours(style: Style) -> [Option<Color>; 3] {
        [style.fg, style.bg, style.underline_color]
    }

    #[test]
    fn high_contrast_has_no_grey_and_no_dim() {
        for colour in [true, false] {
            for style in Theme::new(ThemeName::HighContrast, colour).all_styles() {
                let grey = colours(style).into_iter().flatten().any(|c| matches!(c, Color::DarkGray | Color::Gray));
                assert!(!grey, "grey in {style:?}");
                assert!(!style.add_modifier.contains(Modifier::DIM), "dim in {style:?}");
            }
        }
    }

    #[test]
    fn no_color_means_no_colour_in_any_theme() {
        for name in ThemeName::ALL {
            for style in Theme::new(name, false).all_styles() {
                assert_eq!(colours(style), [None; 3], "{name:?}: {style:?}");
            }
        }
    }

    #[test]
    fn light_has_no_yellow_or_white() {
        for style in Theme::new(ThemeName::Light, true).all_styles() {
            let pale = style.fg.is_some_and(|c| matches!(c, Color::Yellow | Color::LightYellow | Color::White | Color::Cyan));
            assert!(!pale, "unreadable on white: {style:?}");
        }
    }

    #[test]
    fn secondary_text_stays_distinct_where_there_is_colour() {
        // Dim text is quieter than plain text in the default and light themes.
        for name in [ThemeName::Default, ThemeName::Light] {
            assert_ne!(Theme::new(name, true).dim(), Style::new(), "{name:?}");
            assert_ne!(Theme::new(name, false).dim(), Style::new(), "{name:?}");
        }
    }

    #[test]
    fn the_names_are_spelled_as_config_and_command_line_take_them() {
        use clap::ValueEnum;
        for name in ThemeName::ALL {
            assert_eq!(name.to_possible_value().map(|value| value.get_name().to_owned()), Some(name.as_str().to_owned()));
        }
    }
}
