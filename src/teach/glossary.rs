//! The glossary: every AWS term the page uses, with a short plain definition, and the
//! splitting of a text into plain runs and the terms in it (the page turns each term
//! into a button that shows its definition).
//!
//! A text links each term once, at its first occurrence. Matching takes the longest
//! form that starts at a word boundary and ends at one (`GetRecords.IteratorAgeMilliseconds`
//! before `GetRecords`); API and metric names match as written (`Throttles`, the Lambda
//! metric, is not `throttles`), other terms in any case.

/// One term: how texts write it and what it means.
#[derive(Debug, PartialEq, Eq)]
pub struct Term {
    /// The term as the glossary lists it.
    pub name: &'static str,
    /// How texts write it (plurals and setting names included), each a whole word.
    pub forms: &'static [&'static str],
    /// Whether the forms match only as written (API, metric and product names).
    pub exact: bool,
    /// What it means, in a sentence or two.
    pub definition: &'static str,
}

/// A term matched in any case.
const fn word(
    name: &'static str,
    forms: &'static [&'static str],
    definition: &'static str,
) -> Term {
    Term {
        name,
        forms,
        exact: false,
        definition,
    }
}

/// A name matched only as written.
const fn api(name: &'static str, forms: &'static [&'static str], definition: &'static str) -> Term {
    Term {
        name,
        forms,
        exact: true,
        definition,
    }
}

/// Every term, in alphabetical order of name.
pub const TERMS: &[Term] = &[
    word("Autoscaling", &["autoscaling", "autoscale"],
        "Application Auto Scaling for the ECS service: it adds tasks when incoming records/s per task pass the target and removes them slowly, with a cooldown (300 s by default)."),
    word("Backoff", &["backoff"],
        "Waiting longer after each failed attempt before the next. The AWS SDKs wait a random time up to 1 s, 2 s, 4 s… and at most 20 s."),
    word("Batch size", &["batch sizes", "batch size", "BatchSize"],
        "The most records Lambda hands to one invocation: 100 by default, up to 10,000, and never more than the 6 MB request payload."),
    word("Batching window", &["batching window", "batch_window_s", "MaximumBatchingWindowInSeconds"],
        "How long Lambda may wait to fill a batch (0–300 s, default 0). It invokes when the batch is full, the window ends or the payload reaches 6 MB."),
    word("Bisect on error", &["bisect_on_error", "BisectBatchOnFunctionError", "bisect"],
        "A Lambda setting: a failed batch is split in two and each half retried on its own, until a bad record is isolated. Splitting uses no retry attempt."),
    word("Concurrency", &["concurrency"],
        "How many invocations of Lambda functions run at once. An account has 1,000 per Region by default, shared by all its functions."),
    api("ConcurrentExecutions", &["ConcurrentExecutions"],
        "Lambda metric: a function's invocations running at once. Reading a stream, it can reach shards × parallelization factor."),
    api("ECS task", &["ECS tasks", "ECS task", "ECS"],
        "A container running on Amazon Elastic Container Service. Here each task runs one KCL worker with a fixed processing capacity."),
    word("Enhanced fan-out", &["enhanced fan-out"],
        "A registered consumer gets its own 2 MiB/s per shard, pushed to it, instead of sharing reads with the standard consumers. It costs extra."),
    api("Errors", &["Errors"],
        "Lambda metric: invocations that failed or timed out. Reading a stream, the failed batch is retried whole and holds up its shard."),
    word("Event source mapping", &["event source mappings", "event source mapping"],
        "The part of Lambda that reads a stream for a function: it polls each shard, builds batches, invokes the function with them and retries failed ones."),
    api("GetRecords", &["GetRecords"],
        "The read call of standard consumers: up to 10,000 records or 10 MB from one shard. A shard allows 5 calls/s and 2 MiB/s, shared by all of them."),
    api("GetRecords.Bytes", &["GetRecords.Bytes"],
        "CloudWatch metric: bytes returned by GetRecords calls, the read traffic of standard consumers (enhanced fan-out's is in SubscribeToShardEvent.Bytes)."),
    api("GetRecords.IteratorAgeMilliseconds", &["GetRecords.IteratorAgeMilliseconds"],
        "CloudWatch metric: the age of the last record GetRecords calls returned, over all standard consumers; none from a shard nobody reads. Alarm on its Maximum."),
    api("IncomingBytes", &["IncomingBytes"],
        "CloudWatch metric: bytes written to the stream successfully. Throttled writes are not in it."),
    api("IncomingRecords", &["IncomingRecords"],
        "CloudWatch metric: records written to the stream successfully. Throttled writes are not in it; divide the one-minute Sum by 60 for records/s."),
    word("Iterator age", &["iterator ages", "iterator age"],
        "How far a consumer is behind: the age of the oldest record it has not processed. 0 means caught up; at the retention, records expire unread."),
    api("IteratorAge", &["IteratorAge"],
        "Iterator age as a metric for one consumer (Lambda publishes it per function). A rising Maximum means it is falling behind."),
    api("KCL", &["KCL"],
        "Kinesis Client Library: reads a stream with a fleet of workers that share the shards out as leases and poll each shard (every 1.5 s by default)."),
    word("KCL lease", &["leases", "lease"],
        "A worker's claim on one shard, kept in a DynamoDB table: only the holder reads that shard, and it records its progress there."),
    api("KPL", &["KPL"],
        "Kinesis Producer Library: gathers a producer's records into batches and sends throttled ones again."),
    word("Maximum record age", &["max_record_age_s", "MaximumRecordAgeInSeconds"],
        "Lambda gives up on records older than this (60–604,800 s; default −1, never) instead of sending them, so a failing batch cannot hold its shard forever."),
    word("Maximum retry attempts", &["max_retry_attempts", "MaximumRetryAttempts"],
        "How often Lambda retries a failed batch before giving up on its records (default −1: until they expire; up to 10,000)."),
    word("On-failure destination", &["on-failure destination"],
        "Where Lambda reports a batch it gave up on: an SQS queue or SNS topic (details of the batch) or an S3 bucket (the batch itself), to replay later."),
    word("Parallelization factor", &["parallelization factor", "ParallelizationFactor"],
        "A Lambda setting (1–10, default 1): how many batches from one shard run at once. Records with the same partition key stay in order."),
    word("Partition key", &["partition keys", "partition key"],
        "A string the producer sends with each record. Its MD5 hash picks the shard, so every record with one key lands on one shard, in order."),
    word("Poll interval", &["idleTimeBetweenReadsInMillis", "poll interval"],
        "The pause between a KCL worker's GetRecords calls on a shard: 1,500 ms by default in KCL 2.x and 3.x, 200 ms at least."),
    api("PutRecords", &["PutRecords"],
        "The write call for up to 500 records. Throttled entries come back one by one with an error while the others are stored; the SDKs do not resend them."),
    api("PutRecords.ThrottledRecords", &["PutRecords.ThrottledRecords"],
        "CloudWatch metric: entries of PutRecords calls refused for throttling. The producer has to send them again."),
    api("ReadProvisionedThroughputExceeded", &["ReadProvisionedThroughputExceeded"],
        "CloudWatch metric: GetRecords calls refused because a shard's readers went over 5 calls/s or 2 MiB/s. The readers wait and fall behind."),
    word("Reserved concurrency", &["reserved concurrency"],
        "Executions set aside for one function out of the account's concurrency. The function can always use them, and never more."),
    word("Resharding", &["resharding", "reshard"],
        "Changing the shard count. Old shards take no more writes but stay readable until retention empties them; consumers finish them first."),
    word("Retention", &["retention period", "retention"],
        "How long a stream keeps records: 24 hours by default, up to 8,760 hours (365 days). Older records are deleted, read or not."),
    word("Shard", &["shards", "shard"],
        "A slice of a stream's key space with its own capacity: 1,000 records/s and 1 MiB/s of writes, 2 MiB/s of reads. More shards, more capacity."),
    word("Standard consumer", &["standard consumers", "standard consumer"],
        "A consumer that polls with GetRecords. The standard consumers of a shard share its 5 calls/s and 2 MiB/s of reads."),
    api("SubscribeToShardEvent.Bytes", &["SubscribeToShardEvent.Bytes"],
        "CloudWatch metric: bytes pushed to enhanced fan-out consumers. Their reads are not in GetRecords.Bytes."),
    api("Throttles", &["Throttles"],
        "Lambda metric: invocations refused for lack of concurrency (the function's reservation or the account's unreserved pool). They wait and retry."),
    word("Throttling", &["throttling", "throttled", "throttles", "throttle"],
        "Refusing a request at a limit. Throttled writes must be sent again by the producer; throttled reads and invocations wait and retry."),
    api("UpdateShardCount", &["UpdateShardCount"],
        "The call that changes a provisioned stream's shard count: at most double or half per call, 10 calls per rolling 24 h by default."),
    word("Write limit", &["write limits", "write limit"],
        "What one shard accepts: 1,000 records/s and 1 MiB/s (data plus partition key), whichever comes first. Writes beyond it are throttled."),
    api("WriteProvisionedThroughputExceeded", &["WriteProvisionedThroughputExceeded"],
        "CloudWatch metric: records refused because a shard was over its write limit. Above 0, producers must send records again."),
];

/// A run of a text: plain words, or a term as the text writes it (with its index in
/// [`TERMS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text with no term to link.
    Plain(&'a str),
    /// A term's first occurrence in the text, and its index in [`TERMS`].
    Term(&'a str, usize),
}

/// `text` as plain runs and terms, in order: each term at its first occurrence only.
/// The pieces joined give `text` back.
pub fn split(text: &str) -> Vec<Piece<'_>> {
    let bytes = text.as_bytes();
    // One bit per term linked already (a test keeps the list within 64).
    let mut used = 0u64;
    let mut pieces = Vec::new();
    let (mut plain, mut at) = (0, 0);
    while at < bytes.len() {
        if at > 0 && is_word(bytes[at - 1]) {
            at += 1;
            continue;
        }
        let Some((len, index)) = longest_at(&bytes[at..]) else {
            at += 1;
            continue;
        };
        // Forms are ASCII, so `at` and `at + len` fall between characters.
        if used & (1 << index) == 0 {
            used |= 1 << index;
            if plain < at {
                pieces.push(Piece::Plain(&text[plain..at]));
            }
            pieces.push(Piece::Term(&text[at..at + len], index));
            plain = at + len;
        }
        at += len;
    }
    if plain < bytes.len() {
        pieces.push(Piece::Plain(&text[plain..]));
    }
    pieces
}

/// `text` as HTML (escaped), each term's first occurrence a button that controls the
/// element `controls` (the popover that shows definitions).
pub fn marked(text: &str, controls: &str) -> String {
    let mut html = String::with_capacity(text.len() + 64);
    for piece in split(text) {
        match piece {
            Piece::Plain(plain) => escape(&mut html, plain),
            Piece::Term(written, index) => {
                html.push_str("<button type=\"button\" class=\"term\" aria-expanded=\"false\" aria-controls=\"");
                escape(&mut html, controls);
                html.push_str("\" data-term=\"");
                html.push_str(&index.to_string());
                html.push_str("\">");
                escape(&mut html, written);
                html.push_str("</button>");
            }
        }
    }
    html
}

/// Every term and its definition as the items of a `<dl>`.
pub fn list_html() -> String {
    let mut html = String::new();
    for term in TERMS {
        html.push_str("<dt>");
        html.push_str(term.name);
        html.push_str("</dt><dd>");
        html.push_str(term.definition);
        html.push_str("</dd>");
    }
    html
}

/// Appends `text` to `html` with the characters HTML gives a meaning escaped.
pub fn escape(html: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            c => html.push(c),
        }
    }
}

/// The longest form at the start of `rest` that ends at a word boundary: its length and
/// its term's index. Between equally long forms, a name matched as written wins.
fn longest_at(rest: &[u8]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize, bool)> = None;
    for (index, term) in TERMS.iter().enumerate() {
        for form in term.forms {
            let form = form.as_bytes();
            let Some(head) = rest.get(..form.len()) else {
                continue;
            };
            let same = if term.exact {
                head == form
            } else {
                head.eq_ignore_ascii_case(form)
            };
            let ends = rest.get(form.len()).is_none_or(|&b| !is_word(b));
            let longer = best.is_none_or(|(len, _, exact)| {
                form.len() > len || (form.len() == len && term.exact && !exact)
            });
            if same && ends && longer {
                best = Some((form.len(), index, term.exact));
            }
        }
    }
    best.map(|(len, index, _)| (len, index))
}

/// Whether `b` continues a word (ASCII letters, digits and `_`; other characters of the
/// page's texts, such as `—` or `×`, separate words).
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(name: &str) -> usize {
        TERMS
            .iter()
            .position(|t| t.name == name)
            .unwrap_or_else(|| panic!("no term {name}"))
    }

    fn term(text: &'static str, name: &str) -> Piece<'static> {
        Piece::Term(text, index(name))
    }

    #[test]
    fn every_term_has_a_short_definition_that_is_a_sentence() {
        assert!((35..=64).contains(&TERMS.len()), "{} terms", TERMS.len());
        for t in TERMS {
            assert!(!t.forms.is_empty(), "{}", t.name);
            let d = t.definition;
            assert!(d.len() <= 200, "{}: {} characters", t.name, d.len());
            assert!(d.len() >= 60, "{}: too short to explain", t.name);
            assert!(d.ends_with('.'), "{}", t.name);
            assert!(d.starts_with(char::is_uppercase), "{}", t.name);
            // Names and definitions go into HTML as they are.
            assert!(
                !format!("{}{d}", t.name).contains(['<', '>', '&', '"']),
                "{}",
                t.name
            );
        }
    }

    #[test]
    fn terms_are_in_alphabetical_order_and_no_form_belongs_to_two() {
        for pair in TERMS.windows(2) {
            let (a, b) = (pair[0].name.to_lowercase(), pair[1].name.to_lowercase());
            assert!(a < b, "{a} before {b}");
        }
        let mut seen: Vec<(String, bool)> = Vec::new();
        for t in TERMS {
            for f in t.forms {
                assert!(f.is_ascii() && !f.is_empty(), "{f}");
                let key = (f.to_lowercase(), t.exact);
                assert!(!seen.contains(&key), "{f} twice");
                seen.push(key);
                // Each form finds its own term when it is the whole text.
                assert_eq!(split(f), vec![Piece::Term(f, index(t.name))], "{f}");
            }
        }
    }

    #[test]
    fn the_longest_form_wins_and_each_term_is_linked_once() {
        let text = "Watch GetRecords.IteratorAgeMilliseconds, then GetRecords calls and GetRecords.IteratorAgeMilliseconds again.";
        assert_eq!(
            split(text),
            vec![
                Piece::Plain("Watch "),
                term(
                    "GetRecords.IteratorAgeMilliseconds",
                    "GetRecords.IteratorAgeMilliseconds"
                ),
                Piece::Plain(", then "),
                term("GetRecords", "GetRecords"),
                Piece::Plain(" calls and GetRecords.IteratorAgeMilliseconds again."),
            ]
        );
        assert_eq!(
            split("Two shards, then 10 shards after resharding."),
            vec![
                Piece::Plain("Two "),
                term("shards", "Shard"),
                Piece::Plain(", then 10 shards after "),
                term("resharding", "Resharding"),
                Piece::Plain("."),
            ]
        );
    }

    #[test]
    fn names_match_as_written_and_words_in_any_case() {
        assert_eq!(
            split("Throttles (Sum) grow; the stream throttles writes. Enhanced fan-out helps."),
            vec![
                term("Throttles", "Throttles"),
                Piece::Plain(" (Sum) grow; the stream "),
                term("throttles", "Throttling"),
                Piece::Plain(" writes. "),
                term("Enhanced fan-out", "Enhanced fan-out"),
                Piece::Plain(" helps."),
            ]
        );
        // `Errors` the metric, not `errors` the word; `ecs` is a consumer's name here.
        assert_eq!(split("errors on ecs"), vec![Piece::Plain("errors on ecs")]);
    }

    #[test]
    fn terms_start_and_end_at_word_boundaries() {
        assert_eq!(
            split("sharded leased KCLs retentions"),
            vec![Piece::Plain("sharded leased KCLs retentions")]
        );
        assert_eq!(
            split("per-shard (max_retry_attempts) and — lease"),
            vec![
                Piece::Plain("per-"),
                term("shard", "Shard"),
                Piece::Plain(" ("),
                term("max_retry_attempts", "Maximum retry attempts"),
                Piece::Plain(") and — "),
                term("lease", "KCL lease"),
            ]
        );
        // `IteratorAge` inside a longer name is not a term of its own.
        assert_eq!(
            split("IteratorAgeMilliseconds"),
            vec![Piece::Plain("IteratorAgeMilliseconds")]
        );
    }

    #[test]
    fn text_without_terms_or_with_other_scripts_comes_back_whole() {
        assert_eq!(split(""), Vec::<Piece>::new());
        assert_eq!(split("Healthy."), vec![Piece::Plain("Healthy.")]);
        let text = "2 → 10 ×shards— ÿshard é";
        let joined: String = split(text)
            .iter()
            .map(|p| match p {
                Piece::Plain(s) | Piece::Term(s, _) => *s,
            })
            .collect();
        assert_eq!(joined, text);
        assert_eq!(split(text)[1], term("shards", "Shard"));
    }

    #[test]
    fn marked_text_is_escaped_html_with_a_button_per_term() {
        assert_eq!(
            marked("a <b> & \"shards\" & shards", "kp-term-pop"),
            format!(
                "a &lt;b&gt; &amp; &quot;<button type=\"button\" class=\"term\" aria-expanded=\"false\" \
                 aria-controls=\"kp-term-pop\" data-term=\"{}\">shards</button>&quot; &amp; shards",
                index("Shard")
            )
        );
        assert_eq!(marked("Healthy.", "x"), "Healthy.");
        assert_eq!(marked("", "x"), "");
    }

    #[test]
    fn the_list_holds_every_term_once() {
        let html = list_html();
        assert_eq!(html.matches("<dt>").count(), TERMS.len());
        assert!(html.starts_with("<dt>Autoscaling</dt><dd>Application Auto Scaling"));
        assert!(html.ends_with("Above 0, producers must send records again.</dd>"));
    }
}
