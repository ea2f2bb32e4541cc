//! What a chart needs from whatever it is drawn on: filled rectangles, stroked
//! polylines, anchored text and its width. The page implements it on a canvas
//! (`web::canvas`), native tests on an SVG string (`chart::svg`).

/// A colour: red, green and blue, 0–255 each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// A rectangle in device pixels: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// How a polyline is stroked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pen {
    /// Colour.
    pub color: Rgb,
    /// Opacity, 0 (invisible) to 1 (opaque).
    pub alpha: f64,
    /// Width in device pixels.
    pub width: f64,
    /// Dash and gap lengths in device pixels, or `None` for a solid line.
    pub dash: Option<(f64, f64)>,
}

impl Pen {
    /// An opaque solid line.
    pub fn solid(color: Rgb, width: f64) -> Pen {
        Pen {
            color,
            alpha: 1.0,
            width,
            dash: None,
        }
    }
}

/// Where the anchor point of a text is along its width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// The text starts at the point.
    Left,
    /// The text is centred on the point.
    Center,
    /// The text ends at the point.
    Right,
}

/// Where the anchor point of a text is along its height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    /// The text hangs below the point.
    Top,
    /// The text is centred on the point.
    Middle,
    /// The text stands on the point.
    Bottom,
}

/// How a text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Font size in device pixels (always the sans-serif family).
    pub px: f64,
    /// Colour.
    pub color: Rgb,
    /// Horizontal anchor (along the text).
    pub align: Align,
    /// Vertical anchor (across the text).
    pub baseline: Baseline,
    /// Turned a quarter anticlockwise, reading upwards (a y axis title).
    pub upward: bool,
}

impl TextStyle {
    /// Text of `px` device pixels in `color`, anchored at its top left.
    pub fn new(px: f64, color: Rgb) -> TextStyle {
        TextStyle {
            px,
            color,
            align: Align::Left,
            baseline: Baseline::Top,
            upward: false,
        }
    }

    /// The same text anchored at `align` and `baseline`.
    pub fn at(self, align: Align, baseline: Baseline) -> TextStyle {
        TextStyle {
            align,
            baseline,
            ..self
        }
    }
}

/// Something a chart can be drawn on, in device pixels with y growing downwards.
///
/// Drawing never fails here: a surface that meets an error keeps the first one for its
/// owner to report once the chart is drawn.
pub trait Surface {
    /// Width and height in device pixels.
    fn size(&self) -> (u32, u32);
    /// Fills `rect` with `color` at opacity `alpha`.
    fn fill_rect(&mut self, rect: Rect, color: Rgb, alpha: f64);
    /// Strokes the polyline through `points` as one path (nothing for fewer than two).
    fn stroke(&mut self, points: &[(f64, f64)], pen: &Pen);
    /// Writes `text` anchored at `at`.
    fn text(&mut self, text: &str, at: (f64, f64), style: &TextStyle);
    /// The width of `text` set at `px` device pixels.
    fn text_width(&mut self, text: &str, px: f64) -> f64;
    /// Confines what is drawn next to `rect`, or lifts the confinement with `None`.
    fn clip(&mut self, rect: Option<Rect>);
}
