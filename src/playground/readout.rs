//! How a slider's value reads beside it, with its unit (the JSON it writes comes from
//! the settings table).

use crate::format::{duration_ms, thousands};

/// A count with thousands separators: "1,000".
pub(super) fn count(v: f64) -> String {
    thousands(v.round() as u64)
}

/// A warm throughput: "none" or "50 MiB/s".
pub(super) fn mib_per_s(v: f64) -> String {
    match v.round() as u64 {
        0 => "none".into(),
        n => format!("{} MiB/s", thousands(n)),
    }
}

/// A rate of records: "1,000 records/s".
pub(super) fn per_s(v: f64) -> String {
    format!("{} records/s", thousands(v.round() as u64))
}

/// Whole MiB or KiB where the size is one, else exact bytes ("1,000,000 B").
pub(super) fn bytes(v: f64) -> String {
    let b = v.round() as u64;
    if b >= 1_048_576 && b.is_multiple_of(1_048_576) {
        format!("{} MiB", b / 1_048_576)
    } else if b >= 1_024 && b.is_multiple_of(1_024) {
        format!("{} KiB", b / 1_024)
    } else {
        format!("{} B", thousands(b))
    }
}

/// Hours, with days where whole: "1 day (24 h)", "7 days (168 h)".
pub(super) fn hours(v: f64) -> String {
    let h = v.round() as u64;
    if h == 24 {
        "1 day (24 h)".into()
    } else if h.is_multiple_of(24) {
        format!("{} days ({} h)", thousands(h / 24), thousands(h))
    } else if h > 48 {
        // Half a year is 4,380 h: said in days as well.
        format!("{} h ({:.1} days)", thousands(h), h as f64 / 24.0)
    } else {
        format!("{h} h")
    }
}

/// Milliseconds: fractions as they are ("0.1 ms"), else a duration ("3.8 ms", "1 s").
pub(super) fn ms(v: f64) -> String {
    if v < 1.0 {
        format!("{v} ms")
    } else if v < 1_000.0 {
        // One decimal where the value has one: "3.8 ms", "20 ms".
        let text = format!("{v:.1}");
        format!("{} ms", text.trim_end_matches(".0"))
    } else {
        duration_ms(v)
    }
}

/// A share in whole percent: "35 %".
pub(super) fn percent(v: f64) -> String {
    format!("{:.0} %", v * 100.0)
}

/// A small share as a percentage with the decimals it needs: 0.0001 → "0.01 %".
pub(super) fn fine_percent(v: f64) -> String {
    if v <= 0.0 {
        return "none".into();
    }
    let text = format!("{:.2}", v * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} %")
}

/// Whole milliseconds with separators: "1,500 ms".
pub(super) fn millis(v: f64) -> String {
    format!("{} ms", thousands(v.round() as u64))
}

/// Seconds, as minutes when whole: "30 s", "15 min".
pub(super) fn seconds(v: f64) -> String {
    let s = v.round() as u64;
    if s >= 60 && s.is_multiple_of(60) {
        format!("{} min", s / 60)
    } else {
        format!("{s} s")
    }
}

/// −1 means "no limit" (retry until the records expire).
pub(super) fn retries(v: f64) -> String {
    if v < 0.0 {
        "unlimited".into()
    } else {
        count(v)
    }
}

/// An age limit in seconds: −1 is "unlimited"; else "1 min", "6 h", "1 day", "7 days".
pub(super) fn age_limit(v: f64) -> String {
    if v < 0.0 {
        return "unlimited".into();
    }
    let s = v.round() as u64;
    if s >= 86_400 && s.is_multiple_of(86_400) {
        crate::format::count(s / 86_400, "day", "days")
    } else if s >= 3_600 && s.is_multiple_of(3_600) {
        format!("{} h", s / 3_600)
    } else {
        seconds(v)
    }
}

/// Key popularity: "uniform" or the Zipf exponent.
pub(super) fn skew(v: f64) -> String {
    if v == 0.0 {
        "uniform".into()
    } else {
        format!("Zipf {v:.1}")
    }
}

/// A reservation: 0 is "unreserved".
pub(super) fn unreserved(v: f64) -> String {
    if v <= 0.0 {
        "unreserved".into()
    } else {
        count(v)
    }
}

/// A cap: 0 is "unlimited".
pub(super) fn unlimited(v: f64) -> String {
    if v <= 0.0 {
        "unlimited".into()
    } else {
        count(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_the_largest_whole_unit() {
        assert_eq!(bytes(100.0), "100 B");
        assert_eq!(bytes(1_024.0), "1 KiB");
        assert_eq!(bytes(262_144.0), "256 KiB");
        assert_eq!(bytes(1_000_000.0), "1,000,000 B");
        assert_eq!(bytes(1_048_576.0), "1 MiB");
        assert_eq!(bytes(1_500.0), "1,500 B");
    }

    #[test]
    fn times_read_with_their_unit() {
        assert_eq!(hours(24.0), "1 day (24 h)");
        assert_eq!(hours(168.0), "7 days (168 h)");
        assert_eq!(hours(30.0), "30 h");
        assert_eq!(hours(4_380.0), "4,380 h (182.5 days)");
        assert_eq!(hours(8_760.0), "365 days (8,760 h)");
        assert_eq!(ms(0.1), "0.1 ms");
        assert_eq!(ms(0.0), "0 ms");
        assert_eq!(ms(5.0), "5 ms");
        assert_eq!(ms(100.0), "100 ms");
        assert_eq!(ms(3.8), "3.8 ms");
        assert_eq!(ms(3_000.0), "3 s");
        assert_eq!(millis(1_500.0), "1,500 ms");
        assert_eq!(seconds(3.0), "3 s");
        assert_eq!(seconds(90.0), "90 s");
        assert_eq!(seconds(900.0), "15 min");
        assert_eq!(age_limit(-1.0), "unlimited");
        assert_eq!(age_limit(60.0), "1 min");
        assert_eq!(age_limit(21_600.0), "6 h");
        assert_eq!(age_limit(86_400.0), "1 day");
        assert_eq!(age_limit(604_800.0), "7 days");
    }

    #[test]
    fn shares_counts_and_special_values() {
        assert_eq!(percent(0.35), "35 %");
        assert_eq!(fine_percent(0.0), "none");
        assert_eq!(fine_percent(0.0001), "0.01 %");
        assert_eq!(fine_percent(0.05), "5 %");
        assert_eq!(fine_percent(0.25), "25 %");
        assert_eq!(count(10_000.0), "10,000");
        assert_eq!(per_s(1_250.0), "1,250 records/s");
        assert_eq!(retries(-1.0), "unlimited");
        assert_eq!(retries(3.0), "3");
        assert_eq!(skew(0.0), "uniform");
        assert_eq!(skew(1.2), "Zipf 1.2");
        assert_eq!(unreserved(0.0), "unreserved");
        assert_eq!(unreserved(900.0), "900");
        assert_eq!(unlimited(0.0), "unlimited");
        assert_eq!(unlimited(20.0), "20");
    }
}
