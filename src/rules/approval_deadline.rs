//! QT404: a procedure not `approved` whose approval deadline has passed (error) or is
//! within `[approval] warn_days` days (warning). No `online`, no deadline, no finding.

use chrono::NaiveDate;

use super::{Check, ProcedureContext, Rule};
use crate::analysis::approval_deadline;
use crate::diag::{Diagnostic, Severity, text};
use crate::model::Status;

pub static RULE: Rule = Rule {
    code: "QT404",
    name: "approval-deadline",
    severity: Severity::Error,
    doc: include_str!("docs/QT404.md"),
    check: Check::Procedure(check),
};

/// Where a procedure stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// More than `warn_days` days left.
    InTime,
    /// 0 ≤ days left ≤ `warn_days`.
    Near(i64),
    /// The deadline has passed this many days ago.
    Passed(i64),
}

/// Compares `today` with `deadline` (RULES.md QT404).
pub fn standing(deadline: NaiveDate, today: NaiveDate, warn_days: i64) -> Standing {
    let left = (deadline - today).num_days();
    if left < 0 {
        Standing::Passed(-left)
    } else if left <= warn_days {
        Standing::Near(left)
    } else {
        Standing::InTime
    }
}

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    if p.status.value == Status::Approved {
        return;
    }
    let Some(deadline) = approval_deadline(p, cx.config) else {
        return;
    };
    let online = p.online.as_ref().map_or("", |o| o.value.as_str());
    let status = p.status.value.as_str();
    // In Vietnamese: the status in words, dates as dd/mm/yyyy (never ISO, never `draft`).
    let status_vi = match p.status.value {
        crate::model::Status::Draft => "dự thảo",
        crate::model::Status::Submitted => "đã trình",
        crate::model::Status::Approved => "đã phê duyệt",
    };
    let deadline_vi = deadline.format("%d/%m/%Y");
    let today_vi = cx.today.format("%d/%m/%Y");
    let days = |n: i64| {
        (
            format!("{n} day{}", if n == 1 { "" } else { "s" }),
            format!("{n} ngày"),
        )
    };
    let (message, severity) = match standing(deadline, cx.today, cx.config.approval.warn_days) {
        Standing::InTime => return,
        Standing::Passed(n) => {
            let (en, vi) = days(n);
            (
                text!(
                    format!(
                        "procedure `{}` is still `{status}`: its approval deadline {deadline} passed {en} ago",
                        p.id
                    ),
                    format!(
                        "quy trình `{}` vẫn ở trạng thái {status_vi}: hạn phê duyệt {deadline_vi} đã qua {vi}",
                        p.id
                    ),
                ),
                Severity::Error,
            )
        }
        Standing::Near(0) => (
            text!(
                format!(
                    "procedure `{}` is still `{status}`: its approval deadline {deadline} is today",
                    p.id
                ),
                format!(
                    "quy trình `{}` vẫn ở trạng thái {status_vi}: hạn phê duyệt {deadline_vi} là hôm nay",
                    p.id
                ),
            ),
            Severity::Warning,
        ),
        Standing::Near(n) => {
            let (en, vi) = days(n);
            (
                text!(
                    format!(
                        "procedure `{}` is still `{status}`: its approval deadline {deadline} is in {en}",
                        p.id
                    ),
                    format!(
                        "quy trình `{}` vẫn ở trạng thái {status_vi}: còn {vi} đến hạn phê duyệt {deadline_vi}",
                        p.id
                    ),
                ),
                Severity::Warning,
            )
        }
    };
    out.push(
        RULE.finding(cx.file, p.status.span, message)
            .severity(severity)
            .label(|| text!("not approved yet", "chưa được phê duyệt"))
            .note(|| text!(
                format!(
                    "the deadline for `online {online}` procedures is `[approval] {online}` = {deadline}; today is {}",
                    cx.today
                ),
                format!(
                    "hạn của quy trình `online {online}` là `[approval] {online}` = {deadline_vi}; hôm nay là {today_vi}"
                ),
            ))
            .help(|| text!(
                "submit the procedure for approval; once approved, write `status approved` and the `decision`",
                "trình phê duyệt quy trình; khi đã được phê duyệt, ghi `status approved` và `decision`",
            ))
            .procedure(&p.id),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn before_near_and_after_the_deadline() {
        let deadline = day("2023-12-15");
        assert_eq!(standing(deadline, day("2023-11-01"), 7), Standing::InTime);
        assert_eq!(standing(deadline, day("2023-12-07"), 7), Standing::InTime);
        assert_eq!(standing(deadline, day("2023-12-08"), 7), Standing::Near(7));
        assert_eq!(standing(deadline, day("2023-12-14"), 7), Standing::Near(1));
        assert_eq!(standing(deadline, day("2023-12-15"), 7), Standing::Near(0));
        assert_eq!(
            standing(deadline, day("2023-12-16"), 7),
            Standing::Passed(1)
        );
        assert_eq!(
            standing(deadline, day("2024-01-15"), 7),
            Standing::Passed(31)
        );
        // No warning window: only the day itself is near.
        assert_eq!(standing(deadline, day("2023-12-14"), 0), Standing::InTime);
        assert_eq!(standing(deadline, day("2023-12-15"), 0), Standing::Near(0));
    }

    /// QT404's findings for a procedure with this `online` and `status` on `today`.
    fn findings(online: &str, status: &str, today: &str) -> Vec<Severity> {
        use crate::config::Config;
        use crate::diag::FileId;
        use crate::graph::FlowGraph;
        let text = format!(
            r#"procedure p "P" {{
  code "1.000000"; level ward; limit 1d; {online}; status {status}
  agency a "A" {{ role r "R" }}
  step s "S" {{ by a.r; kind receive; takes 1h; digitize }}
  step d "D" {{ by a.r; kind deliver }}
  flow s -> d
}}"#
        );
        let (tree, _) = crate::syntax::parse(FileId(0), &text);
        let (model, _) = crate::model::lower(&[(FileId(0), &tree)]);
        let p = &model.procedures[0];
        let graph = FlowGraph::new(p);
        let config = Config::default();
        let cx = ProcedureContext {
            file: FileId(0),
            procedure: p,
            graph: &graph,
            config: &config,
            today: day(today),
            national_data: &[],
        };
        let mut out = Vec::new();
        check(&cx, &mut out);
        out.iter().map(|d| d.severity).collect()
    }

    #[test]
    fn each_online_level_before_near_and_after_its_deadline() {
        use Severity::{Error, Warning};
        // full and partial: 2023-12-15; none: 2023-12-31; warn_days 7.
        for (online, deadline) in [
            ("online full", "2023-12-15"),
            ("online partial", "2023-12-15"),
            ("online none", "2023-12-31"),
        ] {
            let d = day(deadline);
            let at = |offset: i64| (d + chrono::Duration::days(offset)).to_string();
            assert_eq!(findings(online, "draft", &at(-30)), [], "{online} before");
            assert_eq!(
                findings(online, "draft", &at(-8)),
                [],
                "{online} 8 days before"
            );
            assert_eq!(
                findings(online, "draft", &at(-7)),
                [Warning],
                "{online} 7 days before"
            );
            assert_eq!(
                findings(online, "submitted", &at(-1)),
                [Warning],
                "{online} the day before"
            );
            assert_eq!(
                findings(online, "draft", &at(0)),
                [Warning],
                "{online} on the day"
            );
            assert_eq!(
                findings(online, "draft", &at(1)),
                [Error],
                "{online} the day after"
            );
            assert_eq!(
                findings(online, "submitted", &at(90)),
                [Error],
                "{online} long after"
            );
            // Approved procedures have no deadline to meet.
            assert_eq!(
                findings(online, "approved", &at(1)),
                [],
                "{online} approved"
            );
        }
        // No `online`, no deadline: QT107 reports the missing attribute instead.
        assert_eq!(findings("", "draft", "2024-06-01"), []);
    }
}
