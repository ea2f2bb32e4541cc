//! "Throttled, but the graphs look fine": every number of its question, explanation,
//! fix and checkpoints comes from its config (shards, agents, rate, flush interval,
//! attempts) and the per-second limit of 1,000 records a shard.

use kinesis_playground::format::thousands;
use kinesis_playground::model::{Config, Shape};
use kinesis_playground::teach::checkpoints::for_preset;

use super::{per_s, preset, quotes, shards};

/// Records a shard accepts in a second.
const C: f64 = 1_000.0;

/// The preset's numbers: mean records/s, seconds between flushes, records of a flush,
/// the stream's records per second, and the records refused per minute.
struct Numbers {
    mean: f64,
    every: f64,
    flush: f64,
    limit: f64,
    refused_per_minute: f64,
}

fn numbers(c: &Config) -> Numbers {
    let p = &c.producers[0];
    let Shape::Batches { flush_every_s } = p.shape else {
        panic!("the preset sends in batches");
    };
    let mean = f64::from(p.instances) * p.records_per_sec;
    let every = f64::from(flush_every_s);
    let flush = mean * every;
    let limit = C * f64::from(c.stream.shards);
    // Each shard's share is between 2 and 4 × its limit: refused once `flush − limit`,
    // twice `flush − 2 × limit` (tests/hidden_bursts.rs checks the run).
    assert!(flush >= 2.0 * limit && flush <= 4.0 * limit);
    let refused = (flush - limit) + (flush - 2.0 * limit);
    Numbers {
        mean,
        every,
        flush,
        limit,
        refused_per_minute: refused * 60.0 / every,
    }
}

/// A count with separators: "78,000".
fn n(value: f64) -> String {
    thousands(value.round() as u64)
}

#[test]
fn hidden_bursts_quotes_its_config() {
    let p = preset("hidden-bursts");
    let c = &p.config;
    let x = numbers(c);
    let agents = &c.producers[0];
    let share = format!("{:.0} %", 100.0 * x.mean / x.limit);
    let question = p.question.to_lowercase();
    quotes(
        p.name,
        &question,
        &[
            format!("adds up to {}", n(60.0 * x.mean)),
            format!(
                "the {} {} take in a minute",
                n(60.0 * x.limit),
                shards(&question, c.stream.shards)
            ),
            format!("at {share} of its limit"),
        ],
    );
    let text = p.explanation.to_lowercase();
    let minute_attempts = 60.0 * x.mean + x.refused_per_minute;
    // With 3 attempts and a flush every 10 s, each shard lands 4 × its limit.
    let flush_10 = x.mean * 10.0;
    quotes(
        p.name,
        &text,
        &[
            format!(
                "four log agents each gather {}",
                per_s(agents.records_per_sec)
            ),
            format!("every {} s", x.every),
            format!("{}, {share} of the {}", per_s(x.mean), per_s(x.limit)),
            format!(
                "{} records a minute against {}",
                n(60.0 * x.mean),
                n(60.0 * x.limit)
            ),
            format!("come {} at once, in one second out of five", n(x.flush)),
            format!("each shard takes {}", n(C)),
            format!(
                "resend the {} refused records a second later, {} land",
                n(x.flush - x.limit),
                n(x.limit)
            ),
            format!(
                "the last {} land over the two seconds after",
                n(x.flush - 2.0 * x.limit)
            ),
            format!(
                "a flat {}, {} a second once divided by 60",
                n(60.0 * x.mean),
                n(x.mean)
            ),
            format!("the {} refused attempts", n(x.refused_per_minute)),
            format!(
                "make {}, {} a second",
                n(minute_attempts),
                n(minute_attempts / 60.0)
            ),
            format!("up to {} times", agents.retry.max_attempts),
            format!(
                "would drop {} of every {}",
                n(flush_10 - 4.0 * x.limit),
                n(flush_10)
            ),
            format!("seven shards would take a {}-record second", n(x.flush)),
            format!(
                "{} times the shard-hours",
                (x.flush / C).ceil() / f64::from(c.stream.shards)
            ),
            "at most 100 ms".to_string(),
        ],
    );
    assert_eq!((x.flush / C).ceil(), 7.0, "seven shards");
    assert!(
        minute_attempts > 60.0 * x.limit,
        "the attempts are over the limit"
    );
}

#[test]
fn hidden_bursts_fix_quotes_the_same_mean_sent_every_second() {
    let p = preset("hidden-bursts");
    let c = &p.config;
    let x = numbers(c);
    let share = format!("{:.0} %", 100.0 * x.mean / x.limit);
    let fixed = p.fixed(c).expect("fix");
    assert_eq!(fixed.producers[0].shape, Shape::Constant);
    quotes(
        p.name,
        &p.fix_label.to_lowercase(),
        &[format!("instead of every {} s", x.every)],
    );
    quotes(
        p.name,
        &p.after_fix.to_lowercase(),
        &[
            format!("the same {} arrive evenly", per_s(x.mean)),
            format!("about {} per shard", n(x.mean / f64::from(c.stream.shards))),
            format!("{share} of the limit"),
            "at most 100 ms".to_string(),
        ],
    );
    quotes(
        p.name,
        &p.watch_after_fix.to_lowercase(),
        &[
            format!("flat at {share} of the limit"),
            format!("adds up to {} records", n(60.0 * x.mean)),
        ],
    );
}

#[test]
fn hidden_bursts_checkpoints_quote_the_flush_and_the_minute() {
    let c = preset("hidden-bursts").config;
    let x = numbers(&c);
    let notice = |i: usize| for_preset("hidden-bursts")[i].notice.to_lowercase();
    quotes(
        "hidden-bursts",
        &notice(0),
        &[
            format!("{} records arrive in a single second", n(x.flush)),
            format!(
                "{} that accept {}",
                shards(&notice(0), c.stream.shards),
                n(x.limit)
            ),
            format!("{} are refused at once", n(x.flush - x.limit)),
        ],
    );
    quotes(
        "hidden-bursts",
        &notice(1),
        &[format!(
            "of every {} seconds the shards spend two at their limit",
            ["", "", "", "", "", "five"][x.every as usize]
        )],
    );
    quotes(
        "hidden-bursts",
        &notice(2),
        &[
            format!("{} records written", n(60.0 * x.mean)),
            format!(
                "the {} {} take in a minute",
                n(60.0 * x.limit),
                shards(&notice(2), c.stream.shards)
            ),
            format!("{} a second", n(x.mean)),
            format!("{} refused attempts", n(x.refused_per_minute)),
        ],
    );
    // The third checkpoint waits for a minute of records to be processed.
    let kinesis_playground::teach::checkpoints::Condition::ProcessedSince { records, .. } =
        for_preset("hidden-bursts")[2].condition
    else {
        panic!("a count of records");
    };
    assert_eq!(records as f64, 60.0 * x.mean);
}
