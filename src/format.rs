//! Number formatting shared by chart labels and page text.

/// Formats a count with commas between thousands: 12345 → "12,345".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number written in digits (`10000`, `-1234.5`, `0.25`) with thousands separators in
/// its whole part: `10,000`, `-1,234.5`. Text that is not plain digits (`1e+30`, `NaN`)
/// comes back as it is.
pub fn grouped(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (whole, fraction) = rest
        .split_once('.')
        .map_or((rest, None), |(w, f)| (w, Some(f)));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match whole.parse::<u64>() {
        Ok(n) if digits(whole) && fraction.is_none_or(digits) => {
            let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
            format!("{sign}{}{fraction}", thousands(n))
        }
        _ => text.to_string(),
    }
}

/// A count and its noun, singular for exactly one: `count(1, "shard", "shards")` is
/// "1 shard", `count(10000, …)` "10,000 shards".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// US dollars with thousands separators and `decimals` places: "$11,468", "$0.605".
/// Less than nothing is written as $0.
pub fn usd(amount: f64, decimals: usize) -> String {
    let text = format!("{:.decimals$}", amount.max(0.0));
    format!("${}", grouped(&text))
}

/// An axis value with thousands separators (negative as 0); small fractions keep one
/// decimal so neighbouring ticks of a small axis stay distinct.
pub fn axis_count(value: &f64) -> String {
    let v = value.max(0.0);
    if v < 10.0 && v.fract().abs() > 1e-9 {
        format!("{v:.1}")
    } else if v >= 1e9 {
        format!("{:.1} G", v / 1e9)
    } else if v >= 1e6 {
        format!("{:.1} M", v / 1e6)
    } else if v >= 1e5 {
        format!("{:.0} k", v / 1e3)
    } else {
        thousands(v.round() as u64)
    }
}

/// A simulated time as a clock: "day 2 · 03:14:00" (days count from 1).
pub fn day_clock(seconds: u64) -> String {
    let day = seconds / 86_400 + 1;
    let s = seconds % 86_400;
    format!(
        "day {day} · {:02}:{:02}:{:02}",
        s / 3_600,
        s / 60 % 60,
        s % 60
    )
}

/// An axis label for simulated time `seconds`, detailed enough for a window of `span` s.
pub fn clock(seconds: f64, span: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    let (d, h, m, sec) = (s / 86_400, s / 3_600 % 24, s / 60 % 60, s % 60);
    let day = if d > 0 {
        format!("d{} ", d + 1)
    } else {
        String::new()
    };
    if span >= 2.0 * 86_400.0 {
        format!("d{} {:02}h", d + 1, h)
    } else if span >= 3_600.0 {
        format!("{day}{h:02}:{m:02}")
    } else {
        format!("{day}{h:02}:{m:02}:{sec:02}")
    }
}

/// A duration in ms for people: "850 ms", "42 s", "23.5 min", "6.2 h", "2.1 d".
pub fn duration_ms(ms: f64) -> String {
    let ms = ms.max(0.0);
    if ms < 1_000.0 {
        format!("{ms:.0} ms")
    } else if ms < 60_000.0 {
        format!("{:.0} s", ms / 1_000.0)
    } else if ms < 3_600_000.0 {
        format!("{:.1} min", ms / 60_000.0)
    } else if ms < 86_400_000.0 {
        format!("{:.1} h", ms / 3_600_000.0)
    } else {
        format!("{:.1} d", ms / 86_400_000.0)
    }
}

/// An axis value in ms shown as a duration.
pub fn axis_duration(value: &f64) -> String {
    // Ticks fall on round durations: "18 h", not "18.0 h".
    duration_ms(*value).replace(".0 ", " ")
}

/// A byte rate for people: "512 B/s", "1.5 MiB/s".
pub fn bytes_per_s(value: &f64) -> String {
    let v = value.max(0.0);
    // Four-digit amounts read in the next unit: "1.0 MiB/s", not "1021 KiB/s".
    if v < 1_000.0 {
        format!("{v:.0} B/s")
    } else if v < 1_000.0 * 1_024.0 {
        format!("{:.0} KiB/s", v / 1_024.0)
    } else if v < 1_048_576.0 {
        // Just under a MiB/s: two places, so it never reads as the 1 MiB/s limit.
        format!("{:.2} MiB/s", (v / 1_048_576.0).min(0.99))
    } else if v < 100.0 * 1_048_576.0 {
        format!("{:.1} MiB/s", v / 1_048_576.0)
    } else {
        // Large rates in whole MiB/s with separators: "1,000 MiB/s".
        format!("{} MiB/s", thousands((v / 1_048_576.0).round() as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(axis_count(&1_999.6), "2,000");
        assert_eq!(axis_count(&-3.0), "0");
        assert_eq!(axis_count(&0.5), "0.5");
        assert_eq!(axis_count(&2.0), "2");
        assert_eq!(axis_count(&20_000.0), "20,000");
        assert_eq!(axis_count(&350_000.0), "350 k");
        assert_eq!(axis_count(&4_742_322_723.0), "4.7 G");
    }

    #[test]
    fn numbers_in_text_are_grouped_and_nouns_agree() {
        assert_eq!(grouped("10000"), "10,000");
        assert_eq!(grouped("-1234.5"), "-1,234.5");
        assert_eq!(grouped("0.25"), "0.25");
        assert_eq!(grouped("999"), "999");
        assert_eq!(
            grouped("18446744073709551615"),
            "18,446,744,073,709,551,615"
        );
        assert_eq!(grouped("1e+30"), "1e+30");
        assert_eq!(grouped("NaN"), "NaN");
        assert_eq!(grouped("12."), "12.");
        assert_eq!(grouped(""), "");
        assert_eq!(count(0, "shard", "shards"), "0 shards");
        assert_eq!(count(1, "shard", "shards"), "1 shard");
        assert_eq!(count(2, "shard", "shards"), "2 shards");
        assert_eq!(count(10_000, "record", "records"), "10,000 records");
        assert_eq!(usd(11_467.8, 0), "$11,468");
        assert_eq!(usd(0.6054, 3), "$0.605");
        assert_eq!(usd(1_234.5, 2), "$1,234.50");
        assert_eq!(usd(-3.0, 2), "$0.00");
    }

    #[test]
    fn clocks_and_durations_read_naturally() {
        assert_eq!(day_clock(0), "day 1 · 00:00:00");
        assert_eq!(day_clock(86_400 + 3 * 3_600 + 14 * 60), "day 2 · 03:14:00");
        assert_eq!(clock(3_725.0, 600.0), "01:02:05");
        assert_eq!(clock(3_725.0, 7_200.0), "01:02");
        assert_eq!(clock(90_000.0, 200_000.0), "d2 01h");
        assert_eq!(clock(90_000.0, 7_200.0), "d2 01:00");
        assert_eq!(duration_ms(850.0), "850 ms");
        assert_eq!(axis_duration(&(18.0 * 3_600_000.0)), "18 h");
        assert_eq!(bytes_per_s(&(1_000.0 * 1_048_576.0)), "1,000 MiB/s");
        assert_eq!(bytes_per_s(&(2.5 * 1_048_576.0)), "2.5 MiB/s");
        assert_eq!(axis_duration(&(90.0 * 60_000.0)), "1.5 h");
        assert_eq!(axis_duration(&86_400_000.0), "1 d");
        assert_eq!(duration_ms(86_400_000.0), "1.0 d");
        assert_eq!(bytes_per_s(&(1.5 * 1_048_576.0)), "1.5 MiB/s");
        assert_eq!(bytes_per_s(&999.0), "999 B/s");
        assert_eq!(bytes_per_s(&1_000.0), "1 KiB/s");
        assert_eq!(bytes_per_s(&(999.0 * 1_024.0)), "999 KiB/s");
        assert_eq!(bytes_per_s(&(1_021.0 * 1_024.0)), "0.99 MiB/s");
    }
}
