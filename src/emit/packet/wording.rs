//! The packet's words for findings and re-engineering changes: sentences of administrative
//! Vietnamese built from structured data — the finding's code, its steps, their roles and
//! agencies, the figures of the procedure — never from a rule's message. One function per
//! code family; a code it does not know (a rule added later) falls back to the rule's own
//! Vietnamese message with every identifier replaced by the Vietnamese name it stands for,
//! so no backtick, rule code or ASCII step id reaches the chairman.

use crate::analysis::approval_deadline;
use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use crate::model::{Kind, Minutes, Procedure, Status};
use crate::text::working_time_vi as time;

/// A finding as the packet writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingVi {
    pub code: &'static str,
    pub severity: Severity,
    /// What is wrong and what follows from it, as full sentences.
    pub text: String,
    /// What the submitting office proposes, as a full sentence.
    pub proposal: String,
    /// The steps concerned (indices into the procedure's steps), the flagged step first.
    pub steps: Vec<usize>,
}

/// What the words need to know besides the finding.
pub struct Context<'a> {
    pub procedure: &'a Procedure,
    pub config: &'a Config,
    /// Worst-case working time, if the procedure has a way from start to end.
    pub worst: Option<Minutes>,
    pub today: chrono::NaiveDate,
}

impl Context<'_> {
    /// `bước 5 “Phó Trưởng phòng xem xét”`.
    pub fn step(&self, s: usize) -> String {
        match self.procedure.steps.get(s) {
            Some(step) => format!("bước {} “{}”", s + 1, step.name.trim()),
            None => "một bước".to_string(),
        }
    }

    /// Who does a step: `Phó Trưởng phòng (Phòng Quản lý đô thị Quận 1)`.
    pub fn who(&self, s: usize) -> String {
        let p = self.procedure;
        let Some(step) = p.steps.get(s) else {
            return "người thực hiện".to_string();
        };
        if step.is_citizen() {
            return "tổ chức, cá nhân".to_string();
        }
        match p.role_of(step) {
            Some((agency, role)) => format!("{} ({})", role.name.trim(), agency.name.trim()),
            None => "người thực hiện".to_string(),
        }
    }

    /// The agency doing a step.
    pub fn agency(&self, s: usize) -> String {
        let p = self.procedure;
        p.steps.get(s).and_then(|step| p.role_of(step)).map_or_else(
            || "cơ quan thực hiện".to_string(),
            |(a, _)| a.name.trim().to_string(),
        )
    }

    fn cost(&self, steps: &[usize]) -> Minutes {
        steps
            .iter()
            .filter_map(|&s| self.procedure.steps.get(s))
            .map(|s| s.cost())
            .sum()
    }

    /// "kéo dài thêm 01 ngày làm việc", or a plain clause when the steps cost no time.
    fn delay(&self, steps: &[usize]) -> String {
        match self.cost(steps) {
            0 => "làm hồ sơ qua thêm một khâu".to_string(),
            m => format!("làm thời gian giải quyết kéo dài thêm {}", time(m)),
        }
    }
}

/// The text with its first letter capital.
pub fn cap(text: &str) -> String {
    let mut chars = text.trim().chars();
    match chars.next() {
        Some(first) => format!("{}{}", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// A sentence: first letter capital, one final full stop.
pub fn sentence(text: &str) -> String {
    let text = text.trim().trim_end_matches(['.', ';', ',']);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// The packet's wording of a finding about the procedure of `cx`.
pub fn finding(d: &Diagnostic, cx: &Context) -> FindingVi {
    let steps: Vec<usize> = d
        .steps
        .iter()
        .filter_map(|id| cx.procedure.step(id))
        .collect();
    let (text, proposal) = match d.code.get(..3) {
        Some("QT2") => redundancy(d.code, &steps, cx),
        Some("QT3") => timing(d.code, &steps, cx),
        Some("QT4") => compliance(d.code, &steps, cx),
        _ => None,
    }
    .unwrap_or_else(|| fallback(d, cx));
    FindingVi {
        code: d.code,
        severity: d.severity,
        text,
        proposal,
        steps,
    }
}

/// QT2xx: intermediate levels and waits that add nothing.
fn redundancy(code: &str, steps: &[usize], cx: &Context) -> Option<(String, String)> {
    let &first = steps.first()?;
    let second = steps.get(1).copied();
    let p = cx.procedure;
    let same_agency = |a: usize, b: usize| {
        let agency = |s: usize| p.steps.get(s).and_then(|st| st.agency());
        agency(a).is_some() && agency(a) == agency(b)
    };
    Some(match (code, second) {
        ("QT201", Some(next)) => {
            let verb = match p.steps.get(next).and_then(|s| s.kind()) {
                Some(Kind::Sign) => "ký",
                _ => "xem xét lại",
            };
            (
                format!(
                    "{} xem xét hồ sơ tại {}, sau đó {} cùng cơ quan {} ngay tại {}. \
                     Cùng một hồ sơ qua hai cấp lãnh đạo của một cơ quan liên tiếp, {}.",
                    cap(&cx.who(first)),
                    cx.step(first),
                    cx.who(next),
                    verb,
                    cx.step(next),
                    cx.delay(&[first]),
                ),
                sentence(&format!(
                    "Bỏ {}; {} xem xét và chịu trách nhiệm về hồ sơ tại {}",
                    cx.step(first),
                    cx.who(next),
                    cx.step(next)
                )),
            )
        }
        ("QT202", _) => {
            let list = steps
                .iter()
                .map(|&s| cx.step(s))
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!(
                    "{} chỉ kiểm tra lại và chuyển tiếp hồ sơ tại {list}, không trực tiếp thẩm định \
                     nội dung hồ sơ. Khâu trung gian này {} và thêm một lần chuyển hồ sơ giữa các cơ quan.",
                    cap(&cx.agency(first)),
                    cx.delay(steps),
                ),
                sentence(&format!(
                    "Bỏ {list}, chuyển hồ sơ trực tiếp đến bước tiếp theo; trường hợp {} có nhiệm vụ \
                     thẩm định thì ghi rõ nội dung thẩm định tại bước này",
                    cx.agency(first)
                )),
            )
        }
        ("QT203" | "QT207", Some(next)) if !same_agency(first, next) => (
            format!(
                "{} ký tờ trình tại {}, sau đó {} ký quyết định tại {}. Cả hai văn bản đều có giá trị \
                 pháp lý, không có chữ ký nào thừa; tuy nhiên hồ sơ phải qua thêm một cơ quan để ký.",
                cap(&cx.who(first)),
                cx.step(first),
                cx.who(next),
                cx.step(next),
            ),
            sentence(&format!(
                "Xem xét phân cấp hoặc ủy quyền cho {} ký quyết định nếu pháp luật chuyên ngành \
                 cho phép; nếu không, giữ nguyên hai bước ký",
                cx.who(first)
            )),
        ),
        ("QT203", Some(next)) => (
            format!(
                "{} ký tại {}, sau đó {} cùng cơ quan ký tiếp tại {} trên cùng văn bản. \
                 Một văn bản chỉ cần một người ký chịu trách nhiệm; chữ ký thứ nhất {}.",
                cap(&cx.who(first)),
                cx.step(first),
                cx.who(next),
                cx.step(next),
                cx.delay(&[first]),
            ),
            sentence(&format!(
                "Bỏ {}; {} ký và chịu trách nhiệm về văn bản",
                cx.step(first),
                cx.who(next)
            )),
        ),
        ("QT204", Some(sign)) => (
            format!(
                "{} xem xét hồ sơ tại {} rồi ký ngay tại {}. Xem xét và ký do cùng một người thực hiện \
                 nhưng được tách thành hai bước, {}.",
                cap(&cx.who(first)),
                cx.step(first),
                cx.step(sign),
                cx.delay(&[first]),
            ),
            sentence(&format!(
                "Gộp {} vào {}: người ký xem xét hồ sơ khi ký",
                cx.step(first),
                cx.step(sign)
            )),
        ),
        ("QT205", _) => (
            format!(
                "Tại {}, hồ sơ được chuyển trong nội bộ {} nhưng được giao {}. Trong cùng một cơ quan, \
                 hồ sơ được chuyển ngay trên Hệ thống thông tin giải quyết thủ tục hành chính.",
                cx.step(first),
                cx.agency(first),
                time(cx.cost(&[first])),
            ),
            sentence(&format!(
                "Bỏ {}; hồ sơ được chuyển trên Hệ thống thông tin giải quyết thủ tục hành chính",
                cx.step(first)
            )),
        ),
        ("QT206", _) => (
            format!(
                "{} phân công người thụ lý tại {}, mỗi hồ sơ phải chờ {} để được phân công.",
                cap(&cx.who(first)),
                cx.step(first),
                time(cx.cost(&[first])),
            ),
            sentence(&format!(
                "Bỏ {}; Hệ thống thông tin giải quyết thủ tục hành chính tự động chuyển hồ sơ \
                 đến người thụ lý theo phân công đã được lãnh đạo phê duyệt",
                cx.step(first)
            )),
        ),
        _ => return None,
    })
}

/// QT3xx: timing.
fn timing(code: &str, steps: &[usize], cx: &Context) -> Option<(String, String)> {
    let p = cx.procedure;
    let t = &cx.config.timing;
    let takes = |s: usize| {
        p.steps
            .get(s)
            .and_then(|st| st.takes.as_ref())
            .map_or(0, |t| t.value)
    };
    Some(match code {
        "QT301" => {
            let (worst, limit) = (cx.worst?, p.limit.as_ref()?.value);
            (
                format!(
                    "Tổng thời gian giải quyết trong trường hợp hồ sơ qua nhiều bước nhất là {}, \
                     vượt thời hạn quy định {} là {}. Hồ sơ giải quyết theo quy trình này sẽ trễ hạn.",
                    time(worst),
                    time(limit),
                    time(worst.saturating_sub(limit)),
                ),
                sentence(
                    "Rút ngắn thời gian của các bước xem xét, trình ký hoặc bỏ các khâu trung gian \
                     để tổng thời gian không vượt thời hạn quy định",
                ),
            )
        }
        "QT302" => {
            let &s = steps.first()?;
            (
                format!(
                    "{} chỉ được giao {}, ít hơn thời gian tối thiểu {} để một người thực hiện \
                     công việc. Thời gian này không thể thực hiện được trên thực tế.",
                    cap(&cx.step(s)),
                    time(takes(s)),
                    time(t.min_step),
                ),
                sentence(&format!(
                    "Giao cho {} thời gian thực tế cần để thực hiện",
                    cx.step(s)
                )),
            )
        }
        "QT303" => {
            let &s = steps.first()?;
            let most = match p.steps.get(s).and_then(|st| st.kind()) {
                Some(Kind::Review | Kind::Sign) => t.max_review,
                _ => t.max_clerical,
            };
            (
                format!(
                    "{} được giao {}, vượt mức tối đa {} đối với loại công việc này. \
                     Hồ sơ chờ lâu tại một khâu không thẩm định nội dung.",
                    cap(&cx.step(s)),
                    time(takes(s)),
                    time(most),
                ),
                sentence(&format!(
                    "Giảm thời gian của {} xuống không quá {}",
                    cx.step(s),
                    time(most)
                )),
            )
        }
        "QT304" => {
            let &s = steps.first()?;
            let limit = p.limit.as_ref()?.value;
            (
                format!(
                    "{} được giao {} trên thời hạn {}; việc giải quyết hồ sơ phụ thuộc chủ yếu vào \
                     một bước, chỉ cần bước này chậm là hồ sơ trễ hạn.",
                    cap(&cx.step(s)),
                    time(takes(s)),
                    time(limit),
                ),
                sentence(&format!(
                    "Tách {} thành các phần việc có thể thực hiện song song, hoặc bổ sung người thực hiện",
                    cx.step(s)
                )),
            )
        }
        "QT305" => {
            let &s = steps.first()?;
            (
                format!(
                    "Số hồ sơ {} phải giải quyết (tính trên mọi quy trình của cơ quan) vượt hoặc gần \
                     vượt khả năng của số người hiện có; hồ sơ sẽ tồn đọng và trễ hạn.",
                    cx.who(s)
                ),
                sentence(
                    "Bổ sung người thực hiện, giảm thời gian thao tác trên mỗi hồ sơ, hoặc phân công \
                     lại công việc giữa các vị trí",
                ),
            )
        }
        "QT306" => {
            let &s = steps.first()?;
            let paper = p.steps.get(s).is_some_and(|st| st.paper.is_some());
            if paper {
                (
                    format!(
                        "Tại {}, hồ sơ được chuyển bằng bản giấy giữa các cơ quan.",
                        cx.step(s)
                    ),
                    sentence(&format!(
                        "Chuyển hồ sơ điện tử tại {} qua Hệ thống thông tin giải quyết thủ tục hành chính",
                        cx.step(s)
                    )),
                )
            } else {
                (
                    format!(
                        "Việc chuyển hồ sơ giữa {} và cơ quan ngoài Hệ thống thông tin giải quyết thủ tục \
                         hành chính tại {} chưa được bố trí thời gian.",
                        cx.agency(s),
                        cx.step(s)
                    ),
                    sentence(
                        "Bổ sung bước chuyển hồ sơ có thời gian thực hiện, hoặc kết nối, chuyển hồ sơ điện tử",
                    ),
                )
            }
        }
        _ => return None,
    })
}

/// QT4xx: compliance with the directive and with the approval deadline.
fn compliance(code: &str, steps: &[usize], cx: &Context) -> Option<(String, String)> {
    let p = cx.procedure;
    Some(match code {
        "QT401" => {
            let &s = steps.first()?;
            let docs: Vec<&str> = p.steps.get(s).map_or(Vec::new(), |st| {
                st.requires
                    .iter()
                    .map(|r| r.value.as_str())
                    .filter(|r| {
                        cx.config
                            .national_data
                            .iter()
                            .any(|n| crate::text::contains_words(r, n))
                    })
                    .collect()
            });
            let what = if docs.is_empty() {
                "giấy tờ".to_string()
            } else {
                docs.iter()
                    .map(|d| format!("“{d}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            (
                format!(
                    "{} yêu cầu nộp {what}, là thông tin đã có trong cơ sở dữ liệu quốc gia.",
                    cap(&cx.step(s))
                ),
                sentence(
                    "Không yêu cầu tổ chức, cá nhân nộp giấy tờ này; cán bộ khai thác thông tin \
                     từ cơ sở dữ liệu quốc gia về dân cư và các cơ sở dữ liệu chuyên ngành",
                ),
            )
        }
        "QT402" => {
            let &s = steps.first()?;
            (
                format!(
                    "Thủ tục được cung cấp dịch vụ công trực tuyến toàn trình nhưng {} yêu cầu \
                     tổ chức, cá nhân có mặt trực tiếp.",
                    cx.step(s)
                ),
                sentence(&format!(
                    "Thực hiện {} trên môi trường điện tử, hoặc điều chỉnh mức độ dịch vụ công trực tuyến",
                    cx.step(s)
                )),
            )
        }
        "QT403" => {
            let &s = steps.first()?;
            (
                format!(
                    "{} tiếp nhận hồ sơ nhưng không số hóa hồ sơ, giấy tờ; các bước sau không xử lý được \
                     hồ sơ trên môi trường điện tử và không tái sử dụng được kết quả số hóa.",
                    cap(&cx.step(s))
                ),
                sentence(&format!("Số hóa hồ sơ, giấy tờ ngay tại {}", cx.step(s))),
            )
        }
        "QT404" => {
            let deadline = approval_deadline(p, cx.config)?;
            let days = (cx.today - deadline).num_days();
            let when = crate::emit::packet::date_vi(deadline);
            if days > 0 {
                (
                    format!(
                        "Quy trình chưa được phê duyệt, đã quá hạn phê duyệt ngày {when} là {days} ngày."
                    ),
                    sentence("Trình phê duyệt quy trình ngay"),
                )
            } else {
                (
                    format!(
                        "Quy trình chưa được phê duyệt; hạn phê duyệt là ngày {when}, còn {} ngày.",
                        -days
                    ),
                    sentence("Trình phê duyệt quy trình trước hạn"),
                )
            }
        }
        "QT405" if p.status.value == Status::Approved => (
            "Quy trình ghi là đã được phê duyệt nhưng chưa ghi quyết định phê duyệt.".to_string(),
            sentence("Ghi số, ngày của quyết định phê duyệt quy trình"),
        ),
        _ => return None,
    })
}

/// Any other code: the rule's Vietnamese message and help, every identifier in backticks
/// replaced by the Vietnamese name it stands for.
fn fallback(d: &Diagnostic, cx: &Context) -> (String, String) {
    let text = sentence(&plain(&d.message.vi, cx));
    let proposal = d.help.as_ref().map_or_else(
        || sentence("Rà soát, chỉnh sửa quy trình cho phù hợp"),
        |h| sentence(&plain(&h.vi, cx)),
    );
    (text, proposal)
}

/// A rule's Vietnamese text without code: `` `x` `` becomes the name of step, role, agency or
/// procedure `x`, or `x` itself when it is none of these; " trong quy trình `id`" goes, the
/// packet being about that procedure.
pub fn plain(text: &str, cx: &Context) -> String {
    let p = cx.procedure;
    let text = text.replace(&format!(" trong quy trình `{}`", p.id), "");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else {
            break;
        };
        let id = &rest[open + 1..open + 1 + len];
        let before = &rest[..open];
        let name = if let Some(s) = p.step(id) {
            // "bước `x`" → "bước 5 “…”", not "bước bước 5".
            let named = cx.step(s);
            if before.ends_with("bước ") {
                named.trim_start_matches("bước ").to_string()
            } else {
                named
            }
        } else if id == p.id {
            format!("“{}”", p.name)
        } else if let Some((a, r)) = id.split_once('.')
            && let Some(agency) = p.agencies.iter().find(|x| x.id == a)
            && let Some(role) = agency.role(r)
        {
            format!("{} ({})", role.name, agency.name)
        } else if let Some(agency) = p.agencies.iter().find(|x| x.id == id) {
            agency.name.clone()
        } else {
            id.to_string()
        };
        out.push_str(before);
        out.push_str(&name);
        rest = &rest[open + 2 + len..];
    }
    out.push_str(rest);
    // Parenthesised role names after a replaced role repeat it: "A (B) (B)" stays rare and
    // readable; backticks never survive.
    out.replace('`', "")
}

/// The packet's wording of one re-engineering change: the code that made it and the step
/// it is about (an id of the procedure before re-engineering).
pub fn change(code: &str, step: &str, fallback: &str, cx: &Context) -> String {
    let Some(s) = cx.procedure.step(step) else {
        return sentence(&plain(fallback, cx));
    };
    let at = cx.step(s);
    sentence(&match code {
        "QT201" => format!(
            "Bỏ {at}: {} không xem xét lại; lãnh đạo cấp trên của cùng cơ quan xem xét và chịu trách nhiệm",
            cx.who(s)
        ),
        "QT202" => format!(
            "Bỏ {at} của {}: hồ sơ được chuyển thẳng từ bước trước sang bước sau",
            cx.agency(s)
        ),
        "QT203" => format!("Bỏ {at}: văn bản chỉ cần một người ký chịu trách nhiệm"),
        "QT204" => format!("Gộp {at} vào bước ký của cùng người: người ký xem xét hồ sơ khi ký"),
        "QT205" => format!(
            "Bỏ {at}: hồ sơ được chuyển trên Hệ thống thông tin giải quyết thủ tục hành chính"
        ),
        "QT206" => format!(
            "Bỏ {at}: Hệ thống thông tin giải quyết thủ tục hành chính tự động chuyển hồ sơ đến người thụ lý"
        ),
        "QT306" => format!("Tại {at}, hồ sơ được chuyển điện tử thay cho bản giấy"),
        "QT207" => format!("Phân cấp, ủy quyền ký quyết định cho người ký trước đó; bỏ {at}"),
        _ => plain(fallback, cx),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{SourceMap, Text};

    const PROC: &str = "agency mc \"Bộ phận Một cửa\" { role cc \"Công chức một cửa\" }\n\
        agency tp \"Phòng Tư pháp\" {\n  role cv \"Chuyên viên\"\n  role head \"Trưởng phòng\" rank head\n}\n\
        procedure p \"Thủ tục\" {\n  code \"1\"; level ward; limit 2d; online none\n\
        step nhan \"Tiếp nhận hồ sơ\" { by mc.cc; kind receive; takes 4h; digitize }\n\
        step xem \"Trưởng phòng xem xét\" { by tp.head; kind review; takes 4h }\n\
        step tra \"Trả kết quả\" { by mc.cc; kind deliver }\n  flow nhan -> xem -> tra\n}\n";

    fn with_procedure(f: impl FnOnce(&Context)) {
        let mut sources = SourceMap::default();
        let project = crate::project::Project::from_texts(
            &mut sources,
            &[("a.proc", PROC)],
            Config::default(),
        );
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        let analysis = crate::analysis::analyse(&project, today);
        let g = analysis.asked().next().expect("one procedure");
        f(&Context {
            procedure: g.procedure,
            config: &project.config,
            worst: g.worst.as_ref().map(|w| w.minutes),
            today,
        });
    }

    #[test]
    fn a_code_it_does_not_know_still_reads_as_vietnamese() {
        with_procedure(|cx| {
            // A rule added later (say a delegation or level rule) with identifiers in its
            // message: every one becomes the name it stands for.
            let d = Diagnostic::new(
                "QT299",
                crate::diag::FileId::default(),
                crate::diag::Span::default(),
                Text::new(
                    "x",
                    "bước `xem` của `tp.head` trong quy trình `p` có thể giao cho `tp`",
                ),
            )
            .procedure("p")
            .steps(["xem"])
            .help(|| Text::new("x", "giao `tp.cv` xem xét ở `xem`"));
            let f = finding(&d, cx);
            assert_eq!(
                f.text,
                "Bước 2 “Trưởng phòng xem xét” của Trưởng phòng (Phòng Tư pháp) có thể giao cho Phòng Tư pháp."
            );
            assert_eq!(
                f.proposal,
                "Giao Chuyên viên (Phòng Tư pháp) xem xét ở bước 2 “Trưởng phòng xem xét”."
            );
            assert_eq!(f.steps, vec![1]);
        });
    }

    #[test]
    fn a_delegation_is_never_worded_as_a_redundant_signature() {
        with_procedure(|cx| {
            let (text, proposal) =
                redundancy("QT207", &[0, 1], cx).expect("words for a delegation");
            assert!(text.contains("không có chữ ký nào thừa"), "{text}");
            assert!(proposal.contains("phân cấp hoặc ủy quyền"), "{proposal}");
            assert!(!proposal.starts_with("Bỏ"), "{proposal}");
        });
    }
}
