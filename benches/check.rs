//! How fast `check` reads and analyses a large project: a 16 MiB file of 47,000
//! procedures, parsed, resolved, analysed by every rule and rendered as JSON.
//! Run with `cargo bench --bench check`; BENCHMARKS.md records the figures.

use std::time::Instant;

use quytrinh::analysis::analyse;
use quytrinh::config::Config;
use quytrinh::diag::{Lang, SourceMap, render_json};
use quytrinh::project::Project;

fn text(bytes: usize) -> (String, usize) {
    let mut out = String::from("agency mc \"Một cửa\" {\n  role cc \"Công chức\" staff 3\n}\n");
    let mut n = 0;
    while out.len() < bytes {
        out.push_str(&format!(
            "procedure p{n} \"Thủ tục số {n} — chứng thực\" {{\n  code \"1.{n:06}\"\n  level ward\n  limit 2d\n  online partial\n  status approved\n  decision \"Quyết định {n}/QĐ-UBND\"\n  step a \"Tiếp nhận hồ sơ\" {{ by mc.cc; kind receive; takes 2h; digitize }}\n  step b \"Xử lý hồ sơ, thẩm định\" {{ by mc.cc; kind process; takes 4h }}\n  step c \"Trả kết quả\" {{ by mc.cc; kind deliver }}\n  flow a -> b -> c\n}}\n"
        ));
        n += 1;
    }
    (out, n)
}

fn main() {
    let (source, procedures) = text(16 * 1024 * 1024);
    let today = chrono::NaiveDate::from_ymd_opt(2023, 11, 1).expect("a date");
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let mut sources = SourceMap::default();
        let project =
            Project::from_texts(&mut sources, &[("big.proc", &source)], Config::default());
        let analysis = analyse(&project, today);
        let summaries = analysis.summaries(&sources);
        let json = render_json(&analysis.diagnostics, &summaries, &sources, Lang::En);
        assert!(json.len() > source.len() / 4);
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "check: {:.1} MiB, {procedures} procedures: best {:.2} s, median {:.2} s",
        source.len() as f64 / (1024.0 * 1024.0),
        times[0],
        times[times.len() / 2]
    );
}
