//! A repeated period added to the metric history whole holds what adding its ticks one
//! by one holds, to the bit, at every level and in CloudWatch's view: for periods that
//! divide a minute and ones that do not, ticks of 1 s to a minute, repeats that start
//! part-way through a sample and ones long enough to make the coarsest level halve.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::consumer::ConsumerTick;
use kinesis_playground::model::metrics::TickMetrics;
use kinesis_playground::model::store::SeriesStore;

/// Tick `j` of a made-up run ending at `t_ms`: counts, bytes and ages that differ
/// from tick to tick (so sums, maxima, minima and last values all differ), and a
/// latency only on some ticks (so some samples hold no value).
fn tick(j: u64, t_ms: u64) -> TickMetrics {
    let consumer = ConsumerTick {
        kcl: true,
        processed: 100 + j * 37 % 11,
        iterator_age_ms: 1_000 + (j * 7_919) % 4_001,
        millis_behind_ms: (j % 4 != 3).then_some(900 + (j * 13) % 17),
        bytes_read: 3 * j + 1,
        ..ConsumerTick::default()
    };
    TickMetrics {
        t_ms,
        produced: 1_000 + j * 53 % 29,
        incoming_records: 990 + j % 5,
        incoming_bytes: 123_457 * (1 + j % 3),
        write_throttled: j % 4,
        dropped_by_producer: u64::from(j.is_multiple_of(9)),
        put_calls: 10 + j % 2,
        get_records_calls: 5,
        get_records_latency_ms: (j % 3 != 1).then_some(20 + j % 7),
        iterator_age_ms: 1_000 + j * (j % 2),
        consumers: vec![consumer],
        ..TickMetrics::default()
    }
}

fn stores(tick_ms: u64) -> (SeriesStore, SeriesStore) {
    let stream = SeriesStore::new(&["app".to_string()], tick_ms)
        .with_held(&["retention"])
        .watched(&["produced", "dropped_by_producer"]);
    let consumer = SeriesStore::consumer(tick_ms)
        .with_held(&["cap"])
        .watched(&["processed", "bytes_read"]);
    (stream, consumer)
}

/// `warm` ticks, then a period of `q`, then `times` repeats of it: added whole and one
/// by one. Returns the ticks added in all.
fn compare(q: u64, tick_ms: u64, warm: u64, times: u64) -> u64 {
    let (mut whole, mut whole_c) = stores(tick_ms);
    let (mut each, mut each_c) = stores(tick_ms);
    for (s, c) in [(&mut whole, &mut whole_c), (&mut each, &mut each_c)] {
        s.hold("retention", 24.0);
        c.hold("cap", 2.5);
    }
    let mut t = 0;
    for j in 0..warm {
        t += tick_ms;
        let m = tick(j + 1_000, t);
        for (s, c) in [(&mut whole, &mut whole_c), (&mut each, &mut each_c)] {
            s.add(&m);
            c.add_consumer(t, &m.consumers[0]);
        }
    }
    let mut period = Vec::new();
    for j in 0..q {
        t += tick_ms;
        let m = tick(j, t);
        for (s, c) in [(&mut whole, &mut whole_c), (&mut each, &mut each_c)] {
            s.add(&m);
            c.add_consumer(t, &m.consumers[0]);
        }
        period.push(m);
    }
    whole.add_again(&period, times);
    whole_c.add_consumer_again(period.iter().map(|m| &m.consumers[0]), times);
    for _ in 0..times {
        for m in &period {
            t += tick_ms;
            let m = TickMetrics {
                t_ms: t,
                ..m.clone()
            };
            each.add(&m);
            each_c.add_consumer(t, &m.consumers[0]);
        }
    }
    let case = format!("period {q}, tick {tick_ms} ms, {warm} ticks before, {times} times");
    assert!(
        format!("{whole:?}") == format!("{each:?}"),
        "{case}: the stream's history differs"
    );
    assert!(
        format!("{whole_c:?}") == format!("{each_c:?}"),
        "{case}: the consumer's history differs"
    );
    warm + q * (times + 1)
}

#[test]
fn periods_that_divide_a_minute_and_ones_that_do_not() {
    for (q, warm, times) in [
        (1, 0, 5_000),
        (1, 17, 3_000),
        (3, 59, 1_000),
        (7, 5, 900),
        (45, 0, 100),
        (170, 1, 30),
        (61, 30, 80),
    ] {
        compare(q, 1_000, warm, times);
    }
}

#[test]
fn ticks_of_five_fifteen_and_sixty_seconds() {
    for (q, tick_ms, warm, times) in [(4, 5_000, 3, 800), (5, 15_000, 2, 300), (2, 60_000, 1, 500)]
    {
        compare(q, tick_ms, warm, times);
    }
}

#[test]
fn short_repeats_and_ones_that_fill_every_level() {
    for (q, warm, times) in [(1, 0, 1), (5, 3, 1), (60, 0, 2), (1, 10, 59)] {
        compare(q, 1_000, warm, times);
    }
    // A minute a tick for 30 days: the coarsest level halves.
    let ticks = compare(3, 60_000, 7, 14_400);
    assert!(ticks > 43_200);
}
