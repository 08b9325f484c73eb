//! How the cost of `check` grows with the size of one procedure: a generated procedure of
//! 8,000 steps (a long chain with parallel blocks of three branches and decisions, as
//! `gen_long.py` writes) and many agencies, then 2×, 4× and 8× of it, each parsed,
//! resolved, analysed by every rule and rendered as JSON. Prints the time of each size and
//! the ratio to the smallest one: for a check that is O(n log n) the ratios stay near 2, 4
//! and 8. Run with `cargo bench --bench scaling` (`-- 2000` for another base size).

use std::fmt::Write;
use std::time::Instant;

use quytrinh::analysis::analyse;
use quytrinh::config::Config;
use quytrinh::diag::{Lang, SourceMap, render_json};
use quytrinh::project::Project;

/// One procedure of about `n` steps, over `n / 8` agencies of three roles each.
fn procedure(n: usize) -> String {
    let agencies = (n / 8).max(1);
    let mut out = String::new();
    out.push_str(
        "agency mc \"Trung tâm Phục vụ hành chính công\" { role cb \"Công chức\" staff 40 }\n",
    );
    for a in 0..agencies {
        let _ = writeln!(
            out,
            "agency p{a} \"Phòng số {a}\" {{\n  role cv \"Chuyên viên\" staff 12\n  role tp \"Trưởng phòng\" rank head staff 2\n  role gd \"Giám đốc\" rank leader staff 1\n}}"
        );
    }
    let _ = writeln!(
        out,
        "procedure dai \"Thủ tục rất dài\" {{\n  code \"9.000001\"; level province; limit 200d; online partial; volume 20/month"
    );
    let count = std::cell::Cell::new(0usize);
    let step = |out: &mut String, kind: &str, by: &str| {
        count.set(count.get() + 1);
        let c = count.get();
        let id = format!("s{c}");
        let _ = writeln!(
            out,
            "  step {id} \"Bước {c}: xử lý hồ sơ\" {{ by {by}; kind {kind}; takes 1h; effort 10min }}"
        );
        id
    };
    let mut flows = Vec::new();
    let mut chain = vec![step(&mut out, "receive", "mc.cb")];
    let mut k = 0;
    while count.get() + 12 < n {
        k += 1;
        let a = k % agencies;
        if k % 50 == 0 {
            let mut branches = Vec::new();
            for _ in 0..3 {
                let b: Vec<String> = (0..3)
                    .map(|_| step(&mut out, "process", &format!("p{a}.cv")))
                    .collect();
                branches.push(b.join(" -> "));
            }
            chain.push(format!("{{{}}}", branches.join(", ")));
        } else if k % 37 == 0 {
            let d = step(&mut out, "process", &format!("p{a}.cv"));
            chain.push(d.clone());
            flows.push(format!("  flow {}", chain.join(" -> ")));
            let reject = step(&mut out, "reject", "mc.cb");
            flows.push(format!("  flow {d} -> {reject} when \"Không đạt\""));
            let next = step(&mut out, "review", &format!("p{a}.tp"));
            flows.push(format!("  flow {d} -> {next} otherwise"));
            chain = vec![next];
        } else {
            let kind = ["process", "review", "sign"][k % 3];
            let role = ["cv", "tp", "gd"][k % 3];
            chain.push(step(&mut out, kind, &format!("p{a}.{role}")));
        }
    }
    chain.push(step(&mut out, "deliver", "mc.cb"));
    flows.push(format!("  flow {}", chain.join(" -> ")));
    for f in flows {
        out.push_str(&f);
        out.push('\n');
    }
    out.push_str("}\n");
    out
}

fn time(source: &str) -> f64 {
    let today = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).expect("a date");
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        let mut sources = SourceMap::default();
        let project = Project::from_texts(&mut sources, &[("dai.proc", source)], Config::default());
        let analysis = analyse(&project, today);
        let summaries = analysis.summaries(&sources);
        let json = render_json(&analysis.diagnostics, &summaries, &sources, Lang::En);
        assert!(json.len() > 100);
        best = best.min(start.elapsed().as_secs_f64());
    }
    best
}

fn main() {
    let base: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(8_000);
    let mut first = None;
    println!("steps     bytes        best of 3   ratio of time   ratio of size");
    for factor in [1, 2, 4, 8] {
        let source = procedure(base * factor);
        let t = time(&source);
        let t0 = *first.get_or_insert(t);
        println!(
            "{:>6}  {:>10}  {:>10.3} s  {:>14.2}  {:>14}",
            base * factor,
            source.len(),
            t,
            t / t0,
            factor
        );
    }
}
