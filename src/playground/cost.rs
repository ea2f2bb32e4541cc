//! The cost panel: the last minute's spend rate by line item, per hour and per month,
//! and the list of prices behind it.

use super::charts::PALETTE;
use crate::chart::{Line, Marker, Scale, TimeChart};
use crate::format::usd;
use crate::format::{axis_count, count, thousands};
use crate::model::config::{CapacityMode, FanOut};
use crate::model::cost::{Price, Spend, Steady, HOURS_PER_MONTH, PRICES};
use crate::model::Simulation;

/// One line item of the cost panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostRow {
    /// What is paid for.
    pub item: &'static str,
    /// US dollars per hour at the last minute's rate.
    pub usd_per_hour: f64,
}

/// The line items of `rate` (a spend rate per hour) billed in `mode`, in the panel's
/// order; an item the mode never bills (Advantage's stream-hours, the commitment
/// elsewhere) is left out.
pub fn cost_rows(rate: &Spend, mode: CapacityMode) -> Vec<CostRow> {
    let (capacity, data_in) = match mode {
        CapacityMode::Provisioned => ("Shards", "PUT payload units"),
        CapacityMode::OnDemand => ("Stream-hours", "Data in (1 KB a record at least)"),
        CapacityMode::OnDemandAdvantage => ("", "Data in (1 KB a record at least)"),
    };
    let commitment = if mode == CapacityMode::OnDemandAdvantage {
        "Commitment not used (25 MiB/s each way)"
    } else {
        ""
    };
    let items = [
        capacity,
        data_in,
        "Data out",
        "Retention beyond 24 h",
        "Enhanced fan-out",
        commitment,
        "Lambda",
        "Fargate (ECS)",
    ];
    items
        .iter()
        .zip(rate.items())
        .filter(|(item, _)| !item.is_empty())
        .map(|(&item, usd_per_hour)| CostRow { item, usd_per_hour })
        .collect()
}

/// The panel's HTML: the rate of `mode` (the mode in use) per hour and per month with
/// its line items, then what the run so far (`hours` long) cost, and would have cost,
/// in each mode (`by_mode`, in [`CapacityMode::ALL`]'s order).
pub fn cost_html(rate: &Spend, mode: CapacityMode, by_mode: &[Spend; 3], hours: f64) -> String {
    let mut text = format!(
        "<p class=\"total\">{} per hour · {} per month</p><table><tbody>",
        usd(rate.total(), 3),
        usd(rate.total() * HOURS_PER_MONTH, 0)
    );
    for row in cost_rows(rate, mode) {
        text.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}/h</td><td>{}/month</td></tr>",
            row.item,
            usd(row.usd_per_hour, 4),
            usd(row.usd_per_hour * HOURS_PER_MONTH, 2)
        ));
    }
    text.push_str(
        "</tbody></table><p class=\"note\">Rate over the last simulated minute. Lambda is billed \
         at each function's memory (memory_mb, 256 MB unless the settings say otherwise); each ECS \
         task at its vCPU and memory (0.5 vCPU and 1 GB unless they say otherwise).</p>",
    );
    text.push_str(&modes_table(mode, by_mode, hours));
    text
}

/// The table of the run's usage billed in each mode: the stream alone, with the
/// consumers, and per month at the run's average pace.
fn modes_table(mode: CapacityMode, by_mode: &[Spend; 3], hours: f64) -> String {
    let per_month = if hours > 0.0 {
        HOURS_PER_MONTH / hours
    } else {
        0.0
    };
    let mut text = String::from(
        "<table class=\"modes\"><caption>This run's traffic in each mode</caption><thead><tr>\
         <th scope=\"col\">Mode</th><th scope=\"col\">Stream</th><th scope=\"col\">With \
         consumers</th><th scope=\"col\">A month at this pace</th></tr></thead><tbody>",
    );
    let cheapest = by_mode
        .iter()
        .map(Spend::total)
        .fold(f64::INFINITY, f64::min);
    for (m, spend) in CapacityMode::ALL.iter().zip(by_mode) {
        let mut name = m.title().to_string();
        if *m == mode {
            name.push_str(" (in use)");
        }
        if spend.total() <= cheapest && hours > 0.0 {
            name.push_str(" · cheapest");
        }
        text.push_str(&format!(
            "<tr><th scope=\"row\">{name}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            usd_spent(spend.stream()),
            usd_spent(spend.total()),
            usd(spend.total() * per_month, 0)
        ));
    }
    text.push_str(
        "</tbody></table><p class=\"note\">The same shards, records, reads, retention and \
         consumers billed in each mode. Advantage bills its 25 MiB/s commitment each way \
         whether used or not. On-demand bills retention by the data stored beyond 24 h, so \
         until a run is as long as its retention, a month at its pace leaves part of that \
         out.</p>",
    );
    text
}

/// `v` dollars spent: to a hundredth of a cent while that matters, to the cent from
/// $100 ("$0.0804", "$1,575.10").
fn usd_spent(v: f64) -> String {
    usd(v, if v < 100.0 { 4 } else { 2 })
}

/// `v` dollars on an axis: "$1,200".
fn usd_axis(v: &f64) -> String {
    usd(*v, 0)
}

/// The steady traffic the chart prices: the run's record size (weighted by what each
/// producer offers), its consumers by how they read, and its retention.
pub fn steady_of(sim: &Simulation) -> Steady {
    let config = sim.config();
    let (mut weight, mut bytes) = (0.0, 0.0);
    for (p, b) in config.producers.iter().zip(sim.producer_record_bytes()) {
        let rate = f64::from(p.instances) * p.records_per_sec;
        weight += rate;
        bytes += rate * b as f64;
    }
    let efo = config
        .consumers
        .iter()
        .filter(|c| c.fan_out() == FanOut::Enhanced)
        .count() as u32;
    Steady {
        mib_per_s: 0.0,
        record_bytes: if weight > 0.0 {
            (bytes / weight).round() as u64
        } else {
            1_024
        },
        shared: config.consumers.len() as u32 - efo,
        efo,
        retention_hours: config.stream.retention_hours,
    }
}

/// The chart of a month's stream bill in each mode against steady throughput, for the
/// run's record size, consumers and retention: where the lines cross is marked, and so
/// is the run's own throughput now (`now_mib_per_s`).
pub fn mode_chart(sim: &Simulation, now_mib_per_s: f64) -> TimeChart {
    let base = steady_of(sim);
    let most = (4.0 * now_mib_per_s).max(40.0);
    let xs: Vec<f64> = (0..=80).map(|i| most * f64::from(i) / 80.0).collect();
    let months: Vec<[f64; 3]> = xs
        .iter()
        .map(|&mib_per_s| Steady { mib_per_s, ..base }.month())
        .collect();
    let lines = CapacityMode::ALL
        .iter()
        .enumerate()
        .map(|(m, mode)| Line {
            label: mode.title().to_string(),
            color: PALETTE[m],
            points: xs
                .iter()
                .zip(&months)
                .map(|(&x, month)| (x, month[m]))
                .collect(),
            dashed: false,
        })
        .collect();
    let mut marks: Vec<Marker> = base
        .crossings(most)
        .into_iter()
        .map(|(x, cheaper, dearer)| Marker {
            x,
            label: format!("{} < {}", short(cheaper), short(dearer)),
            end: None,
        })
        .collect();
    marks.push(Marker {
        x: now_mib_per_s,
        label: "this run".into(),
        end: None,
    });
    TimeChart {
        title: format!(
            "A month: {} B records, {}",
            thousands(base.record_bytes),
            count(u64::from(base.shared + base.efo), "reader", "readers")
        ),
        y_unit: "stream $ per month".into(),
        x_range: (0.0, most),
        lines,
        y_format: usd_axis,
        y_floor: 10.0,
        y_scale: Scale::Decimal,
        marks,
        focus: None,
        x_axis: Some(("MiB/s written, steady", axis_count)),
    }
}

/// A mode's name in a chart mark.
fn short(mode: CapacityMode) -> &'static str {
    match mode {
        CapacityMode::Provisioned => "provisioned",
        CapacityMode::OnDemand => "Standard",
        CapacityMode::OnDemandAdvantage => "Advantage",
    }
}

/// The heading of the price list.
pub const PRICES_TITLE: &str = "Prices used (us-east-1)";

/// Every price the cost model uses, for the page's list.
pub fn price_list() -> [Price; 19] {
    let p = PRICES;
    [
        p.shard_hour,
        p.put_million_units,
        p.extended_retention_shard_hour,
        p.long_term_gb_month,
        p.long_term_retrieval_gb,
        p.efo_consumer_shard_hour,
        p.efo_gb,
        p.od_stream_hour,
        p.od_in_gb,
        p.od_out_gb,
        p.od_efo_gb,
        p.od_extended_gb_month,
        p.oda_in_gb,
        p.oda_out_gb,
        p.oda_retention_gb_month,
        p.lambda_gb_second,
        p.lambda_million_requests,
        p.fargate_vcpu_hour,
        p.fargate_gb_hour,
    ]
}

/// One line per price: amount, unit, source and date.
pub fn price_lines() -> Vec<String> {
    price_list()
        .iter()
        .map(|p| format!("${} per {} — {}, {}", p.usd, p.unit, p.source, p.date))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spend() -> Spend {
        Spend {
            capacity: 0.03,
            data_in: 0.0504,
            lambda: 0.025,
            fargate: 0.5,
            ..Spend::default()
        }
    }

    const NONE: [Spend; 3] = [Spend {
        capacity: 0.0,
        data_in: 0.0,
        data_out: 0.0,
        retention: 0.0,
        enhanced_fan_out: 0.0,
        commitment: 0.0,
        lambda: 0.0,
        fargate: 0.0,
    }; 3];

    #[test]
    fn rows_follow_the_line_items_of_the_mode() {
        let items =
            |mode| -> Vec<&str> { cost_rows(&spend(), mode).iter().map(|r| r.item).collect() };
        assert_eq!(
            items(CapacityMode::Provisioned),
            [
                "Shards",
                "PUT payload units",
                "Data out",
                "Retention beyond 24 h",
                "Enhanced fan-out",
                "Lambda",
                "Fargate (ECS)"
            ]
        );
        assert_eq!(items(CapacityMode::OnDemand)[0], "Stream-hours");
        let advantage = items(CapacityMode::OnDemandAdvantage);
        assert_eq!(advantage[0], "Data in (1 KB a record at least)");
        assert_eq!(advantage[4], "Commitment not used (25 MiB/s each way)");
        let rows = cost_rows(&spend(), CapacityMode::Provisioned);
        assert_eq!(rows[1].usd_per_hour, 0.0504);
        assert_eq!(rows[6].usd_per_hour, 0.5);
    }

    #[test]
    fn the_panel_gives_hour_and_month_rates() {
        let html = cost_html(&spend(), CapacityMode::Provisioned, &NONE, 0.0);
        // 0.6054 $/h; × 730 h = 441.942 $/month.
        assert!(
            html.starts_with("<p class=\"total\">$0.605 per hour · $442 per month</p>"),
            "{html}"
        );
        assert!(html.contains(
            "<tr><th scope=\"row\">Shards</th><td>$0.0300/h</td><td>$21.90/month</td></tr>"
        ));
        assert!(html.contains(
            "<tr><th scope=\"row\">Fargate (ECS)</th><td>$0.5000/h</td><td>$365.00/month</td></tr>"
        ));
        assert!(html.contains("Rate over the last simulated minute. Lambda is billed"));
        let lambda = crate::model::LambdaConfig::default();
        let ecs = crate::model::KclConfig::default();
        let defaults = format!(
            "{} MB unless the settings say otherwise); each ECS task at its vCPU and memory ({} \
             vCPU and {} GB unless",
            lambda.memory_mb, ecs.vcpu, ecs.memory_gb
        );
        assert!(html.contains(&defaults), "{html}");
        // Seven line items, then the three modes.
        assert_eq!(html.matches("<tr>").count(), 7 + 4);
    }

    #[test]
    fn the_modes_table_names_the_mode_in_use_and_the_cheapest_and_scales_to_a_month() {
        let by_mode = [
            spend(),
            Spend {
                capacity: 0.04,
                data_in: 0.5,
                ..spend()
            },
            Spend {
                capacity: 0.0,
                data_in: 4.0,
                ..spend()
            },
        ];
        // Two hours of run: a month is 365 times that.
        let html = cost_html(&spend(), CapacityMode::OnDemand, &by_mode, 2.0);
        assert!(html.contains("<caption>This run's traffic in each mode</caption>"));
        assert!(
            html.contains(
                "<tr><th scope=\"row\">Provisioned · cheapest</th><td>$0.0804</td>\
                 <td>$0.6054</td><td>$221</td></tr>"
            ),
            "{html}"
        );
        assert!(html.contains("<th scope=\"row\">On-demand Standard (in use)</th>"));
        // $4.525 × 365 = $1,652.
        assert!(html.contains("<td>$4.5250</td><td>$1,652</td>"), "{html}");
        // From $100 on, to the cent: $1,575.0952 (stream) and $1,637.3841 with consumers.
        let big = Spend {
            capacity: 1_575.095_2,
            fargate: 62.288_9,
            ..Spend::default()
        };
        let html = cost_html(&big, CapacityMode::Provisioned, &[big, big, big], 24.0);
        assert!(
            html.contains("<td>$1,575.10</td><td>$1,637.38</td>"),
            "{html}"
        );
    }

    #[test]
    fn thousands_of_dollars_are_grouped() {
        // 15.71 $/h × 730 h = 11,468.3 $/month.
        let big = Spend {
            fargate: 15.71,
            ..Spend::default()
        };
        let html = cost_html(&big, CapacityMode::Provisioned, &NONE, 0.0);
        assert!(
            html.starts_with("<p class=\"total\">$15.710 per hour · $11,468 per month</p>"),
            "{html}"
        );
        assert!(
            html.contains("<td>$15.7100/h</td><td>$11,468.30/month</td>"),
            "{html}"
        );
    }

    #[test]
    fn every_price_is_listed_with_its_source() {
        let lines = price_lines();
        assert_eq!(lines.len(), 19);
        let shard = PRICES.shard_hour;
        assert_eq!(
            lines[0],
            format!(
                "${} per {} — {}, {}",
                shard.usd, shard.unit, shard.source, shard.date
            )
        );
        assert!(lines
            .iter()
            .all(|l| l.starts_with('$') && l.contains(" per ")));
    }
}
