//! The producers: admission, retries and rate shapes.

use super::*;

/// An offer of `records` records of `bytes_per_record` bytes each.
fn offer(records: u64, bytes_per_record: u64) -> Offer {
    Offer {
        records,
        bytes_per_record,
        ..Offer::default()
    }
}

#[test]
fn admission_fills_the_record_limit_exactly() {
    let offers = [offer(1_500, 100), offer(700, 100), offer(333, 100)];
    let mut acc = [0; 3];
    let (r, b) = admit(&offers, 1_000, 1_048_576, &mut acc);
    assert_eq!(r, 1_000);
    assert_eq!(b, 100_000);
    assert_eq!(acc.iter().sum::<u64>(), 1_000);
    // Proportional, floored (1,500,000 / 2,533 = 592.2, 700,000 / 2,533 = 276.4,
    // 333,000 / 2,533 = 131.5), the record flooring left going to the last offer.
    assert_eq!(acc, [592, 276, 132]);
}

#[test]
fn admission_of_large_records_splits_the_byte_limit() {
    // 5 KB records, new and retried, over 1 MiB: 400 × 1,048,576 / 3,500,000 = 119.8
    // and 300 × … = 89.9; flooring leaves room for one more 5 KB record, the last
    // offer's, and not two.
    let mut acc = [0; 2];
    let (r, b) = admit(
        &[offer(400, 5_000), offer(300, 5_000)],
        1_000,
        1_048_576,
        &mut acc,
    );
    assert_eq!((acc, r, b), ([119, 90], 209, 1_045_000));
}

#[test]
fn admission_splits_exactly_past_64_bit_products() {
    // Half of 7e9 bytes: 6e9 × 3.5e9 is past 2^64 (the split goes to 128 bits for
    // the same floor), 1e9 × 3.5e9 is not.
    let mut acc = [0; 2];
    let offers = [offer(6_000_000_000, 1), offer(1_000_000_000, 1)];
    let (r, b) = admit(&offers, 10_000_000_000, 3_500_000_000, &mut acc);
    assert_eq!(acc, [3_000_000_000, 500_000_000]);
    assert_eq!((r, b), (3_500_000_000, 3_500_000_000));
}

#[test]
fn admission_respects_the_byte_limit() {
    let offers = [offer(900, 4_096)];
    let mut acc = [0; 1];
    let (r, b) = admit(&offers, 1_000, 1_048_576, &mut acc);
    assert_eq!(r, 256);
    assert_eq!(b, 1_048_576);
}

#[test]
fn retries_spread_over_the_jitter_window() {
    let retry = RetryConfig {
        max_attempts: 3,
        base_delay_ms: 1_000,
        max_delay_ms: 20_000,
    };
    let mut q = RetryQueue::default();
    q.schedule(&retry, 2, 400, 1_000); // window 2 s → due over the next 2 ticks
    assert_eq!(q.waiting, 400);
    let mut due = Vec::new();
    for _ in 0..3 {
        q.drain_due(|attempt, n| due.push((attempt, n)));
    }
    assert_eq!(due, vec![(3, 200), (3, 200)]);
    assert_eq!(q.waiting, 0);
}

#[test]
fn daily_shape_peaks_and_troughs() {
    let shape = Shape::Daily {
        peak_hour: 14.0,
        trough: 0.3,
    };
    assert!((shape_factor(&shape, 14 * 3_600_000) - 1.0).abs() < 1e-12);
    assert!((shape_factor(&shape, 2 * 3_600_000) - 0.3).abs() < 1e-12);
    let surge = Shape::Surge {
        every_s: 3_600,
        duration_s: 300,
        multiplier: 3.0,
    };
    assert_eq!(shape_factor(&surge, 0), 3.0);
    assert_eq!(shape_factor(&surge, 299_999), 3.0);
    assert_eq!(shape_factor(&surge, 300_000), 1.0);
    assert_eq!(shape_factor(&surge, 3_600_000), 3.0);
}

#[test]
fn shape_integrals_match_the_multiplier_at_any_tick() {
    let surge = Shape::Surge {
        every_s: 900,
        duration_s: 5,
        multiplier: 3.0,
    };
    // A 5 s burst in a 10 s tick: 5 s at 3× and 5 s at 1×.
    assert_eq!(shape_integral(&surge, 0, 10_000), 20_000.0);
    assert_eq!(shape_integral(&surge, 900_000, 901_000), 3_000.0);
    let hour: f64 = (0..3_600)
        .map(|s| shape_integral(&surge, s * 1_000, (s + 1) * 1_000))
        .sum();
    assert_eq!(hour, shape_integral(&surge, 0, 3_600_000));
    let daily = Shape::Daily {
        peak_hour: 14.0,
        trough: 0.3,
    };
    // A whole day averages (1 + trough) / 2.
    let day = shape_integral(&daily, 0, DAY_MS);
    assert!((day / DAY_MS as f64 - 0.65).abs() < 1e-9, "{day}");
    let tick = shape_integral(&daily, 14 * 3_600_000, 14 * 3_600_000 + 10_000);
    assert!((tick - 10_000.0).abs() < 1e-3, "{tick}");
}

#[test]
fn batches_send_a_whole_period_in_its_first_second_and_keep_the_mean() {
    let batches = Shape::Batches { flush_every_s: 5 };
    let second = |s: u64| shape_integral(&batches, s * 1_000, (s + 1) * 1_000);
    let seconds: Vec<f64> = (0..11).map(second).collect();
    assert_eq!(
        seconds,
        [5e3, 0.0, 0.0, 0.0, 0.0, 5e3, 0.0, 0.0, 0.0, 0.0, 5e3]
    );
    assert_eq!(shape_factor(&batches, 5_999), 5.0);
    assert_eq!(shape_factor(&batches, 6_000), 0.0);
    // Any whole number of periods carries the mean rate, at any tick.
    assert_eq!(shape_integral(&batches, 0, 60_000), 60_000.0);
    assert_eq!(shape_integral(&batches, 10_000, 20_000), 10_000.0);
    // Part of a flush second carries its part.
    assert_eq!(shape_integral(&batches, 5_500, 7_000), 2_500.0);
    let seven = Shape::Batches { flush_every_s: 7 };
    assert_eq!(shape_integral(&seven, 0, 70_000), 70_000.0);
    assert_eq!(shape_integral(&seven, 1_000, 7_000), 0.0);
}
