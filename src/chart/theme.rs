//! Colours and sizes shared by every chart (Okabe–Ito colour-blind-safe palette).

use super::surface::Rgb;

/// Colours and text sizes for one rendering of a chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    /// Plot background.
    pub background: Rgb,
    /// Axis labels, captions and legend text.
    pub text: Rgb,
    /// Light grid lines.
    pub grid: Rgb,
    /// Device pixels per CSS pixel; text and line widths are multiplied by it.
    pub scale: f64,
}

/// Okabe–Ito blue: what was accepted or processed.
pub const BLUE: Rgb = Rgb(0, 114, 178);
/// Okabe–Ito orange: what was offered or requested.
pub const ORANGE: Rgb = Rgb(230, 159, 0);
/// Okabe–Ito vermillion: limits and losses.
pub const VERMILLION: Rgb = Rgb(213, 94, 0);
/// Okabe–Ito sky blue.
pub const SKY: Rgb = Rgb(86, 180, 233);
/// Okabe–Ito bluish green.
pub const GREEN: Rgb = Rgb(0, 158, 115);
/// Okabe–Ito reddish purple.
pub const PURPLE: Rgb = Rgb(204, 121, 167);

impl Theme {
    /// Dark text on white.
    pub const LIGHT: Theme = Theme {
        background: Rgb(255, 255, 255),
        text: Rgb(34, 34, 34),
        grid: Rgb(228, 228, 228),
        scale: 1.0,
    };

    /// Light text on a dark grey.
    pub const DARK: Theme = Theme {
        background: Rgb(24, 26, 30),
        text: Rgb(230, 230, 230),
        grid: Rgb(58, 62, 70),
        scale: 1.0,
    };

    /// The dark theme when `dark`, else the light one, for a display with `scale`
    /// device pixels per CSS pixel.
    pub fn for_display(dark: bool, scale: f64) -> Theme {
        if dark { Theme::DARK } else { Theme::LIGHT }.scaled(scale)
    }

    /// The same theme for a display with `scale` device pixels per CSS pixel.
    pub fn scaled(self, scale: f64) -> Theme {
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        Theme { scale, ..self }
    }

    /// A length of `css_px` CSS pixels in device pixels.
    pub fn px(&self, css_px: f64) -> u32 {
        (css_px * self.scale).round().max(1.0) as u32
    }

    /// A font size of `css_px` CSS pixels in device pixels.
    pub fn font(&self, css_px: f64) -> f64 {
        css_px * self.scale
    }
}
