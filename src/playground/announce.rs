//! What the page's live region says: only changes of state — a finding that appears,
//! the worst finding changing, a checkpoint reached, a fix applied — never the whole
//! summary again. The page asks after each refresh of the diagnosis; a sentence comes
//! back only when something changed.

use crate::teach::{Advice, Rule, Severity};

/// A finding as the announcer tells them apart: its rule and whom it is about.
type Key = (Rule, Option<String>);

/// Refreshes a finding may be missing before it counts as gone (so one that comes and
/// goes between refreshes is not announced again and again).
const FORGET_AFTER: u8 = 5;

/// Remembers the findings already announced.
#[derive(Debug, Clone, Default)]
pub struct Announcer {
    /// Findings seen, each with the refreshes it has been missing since.
    known: Vec<(Key, u8)>,
    /// The worst finding at the last refresh.
    worst: Option<Key>,
    /// Whether a first refresh set the baseline (the page's state on load is not news).
    started: bool,
}

fn key(a: &Advice) -> Key {
    (a.rule, a.consumer.clone())
}

/// "Warning", "Records lost" or "All well": how the announcement starts.
fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Ok => "All well",
        Severity::Warning => "Warning",
        Severity::Loss => "Records lost",
    }
}

impl Announcer {
    /// After the diagnosis was refreshed with `findings` (worst first): a sentence when
    /// a finding appeared that was not there before, or the worst one changed; `None`
    /// when nothing changed (or on the first refresh, which only takes note).
    pub fn findings(&mut self, findings: &[Advice]) -> Option<String> {
        for (_, missing) in &mut self.known {
            *missing = missing.saturating_add(1);
        }
        let mut new = None;
        for f in findings {
            let k = key(f);
            match self.known.iter_mut().find(|(known, _)| *known == k) {
                Some((_, missing)) => *missing = 0,
                None => {
                    new = new.or(Some(f));
                    self.known.push((k, 0));
                }
            }
        }
        self.known.retain(|(_, missing)| *missing < FORGET_AFTER);
        let worst = findings.first();
        let worst_key = worst.map(key);
        let worst_changed = worst_key != self.worst;
        self.worst = worst_key;
        if !std::mem::replace(&mut self.started, true) {
            return None;
        }
        let said = new.or(worst.filter(|_| worst_changed))?;
        Some(format!(
            "{}: {}",
            severity_word(said.severity),
            said.message
        ))
    }

    /// Forgets what was announced: the next refresh only takes note again.
    pub fn reset(&mut self) {
        *self = Announcer::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advice(rule: Rule, severity: Severity, consumer: Option<&str>, message: &str) -> Advice {
        Advice {
            rule,
            severity,
            consumer: consumer.map(str::to_string),
            message: message.into(),
        }
    }

    /// What `a` says after a refresh with `findings`.
    fn say(a: &mut Announcer, findings: &[&Advice]) -> Option<String> {
        let owned: Vec<Advice> = findings.iter().map(|&f| f.clone()).collect();
        a.findings(&owned)
    }

    #[test]
    fn only_a_new_finding_or_a_new_worst_one_is_announced() {
        let healthy = advice(Rule::Healthy, Severity::Ok, None, "Healthy.");
        let behind = advice(
            Rule::FallingBehind,
            Severity::Warning,
            Some("lambda"),
            "lambda falls behind.",
        );
        let expired = advice(
            Rule::RecordsExpired,
            Severity::Loss,
            Some("lambda"),
            "lambda lost records.",
        );
        let mut a = Announcer::default();
        // The state on load is not news.
        assert_eq!(say(&mut a, &[&healthy]), None);
        assert_eq!(say(&mut a, &[&healthy]), None);
        assert_eq!(
            say(&mut a, &[&behind]).as_deref(),
            Some("Warning: lambda falls behind.")
        );
        // The same finding again, even with new numbers in its sentence, is not news.
        let behind_later = advice(
            Rule::FallingBehind,
            Severity::Warning,
            Some("lambda"),
            "lambda is 2 h behind.",
        );
        assert_eq!(say(&mut a, &[&behind_later]), None);
        assert_eq!(
            say(&mut a, &[&expired, &behind_later]).as_deref(),
            Some("Records lost: lambda lost records.")
        );
        assert_eq!(say(&mut a, &[&expired, &behind_later]), None);
        // The worst one going away makes another the worst: that is news.
        assert_eq!(
            say(&mut a, &[&behind_later]).as_deref(),
            Some("Warning: lambda is 2 h behind.")
        );
    }

    #[test]
    fn a_finding_that_flickers_is_announced_once_one_gone_for_long_again() {
        let healthy = advice(Rule::Healthy, Severity::Ok, None, "Healthy.");
        let burst = advice(Rule::WriteThrottling, Severity::Warning, None, "Throttled.");
        let mut a = Announcer::default();
        assert_eq!(say(&mut a, &[&healthy]), None);
        assert!(say(&mut a, &[&burst]).is_some());
        // Back to healthy: the worst changed.
        assert_eq!(
            say(&mut a, &[&healthy]).as_deref(),
            Some("All well: Healthy.")
        );
        // Throttling again soon after: remembered, but the worst changed again.
        assert_eq!(
            say(&mut a, &[&burst]).as_deref(),
            Some("Warning: Throttled.")
        );
        assert_eq!(say(&mut a, &[&burst, &healthy]), None);
        // Gone for long enough, it is news again when it comes back (and the worst
        // stays the same throughout).
        let other = advice(Rule::Resharding, Severity::Ok, None, "Resharding.");
        assert!(say(&mut a, &[&other]).is_some());
        for _ in 0..FORGET_AFTER {
            assert_eq!(say(&mut a, &[&other]), None);
        }
        assert_eq!(
            say(&mut a, &[&other, &burst]).as_deref(),
            Some("Warning: Throttled.")
        );
        a.reset();
        assert_eq!(say(&mut a, &[&burst]), None);
    }
}
