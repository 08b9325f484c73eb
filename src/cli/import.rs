//! `quytrinh import`: a procedure table of a Word, Excel or CSV file → a `.proc` file.
//! The procedure goes to `-o` (written atomically) or to standard output; the summary of
//! what was read goes to standard output with `-o`, else to standard error.

use std::path::PathBuf;
use std::process::ExitCode;

use super::write::write_atomically;
use super::{LangArg, fail, language};
use crate::diag::Lang;
use crate::import::{self, LimitSource, Options, Summary, durations};
use crate::model::{Level, Minutes, Online, parse_duration};

#[derive(clap::Args)]
pub struct Args {
    /// The Word (.docx), Excel (.xlsx) or CSV (.csv) file holding the procedure table
    file: PathBuf,
    /// Write the procedure file here (atomically) instead of printing it
    #[arg(short = 'o', long = "output", value_name = "OUT.proc")]
    output: Option<PathBuf>,
    /// Replace an existing output file
    #[arg(long)]
    force: bool,
    /// The procedure id (default: from its name)
    #[arg(long, value_name = "ID", value_parser = parse_id)]
    procedure_id: Option<String>,
    /// The procedure name (default: the caption above the table)
    #[arg(long)]
    name: Option<String>,
    /// The statutory limit, e.g. `15d` or "15 ngày làm việc" (default: the total row)
    #[arg(long, value_name = "DURATION", value_parser = parse_limit)]
    limit: Option<Minutes>,
    /// The national procedure code (mã TTHC), e.g. 1.009994
    #[arg(long)]
    code: Option<String>,
    /// The level of government: province or commune (ward, district are also read)
    #[arg(long, value_parser = parse_level)]
    level: Option<Level>,
    /// The online service level: full, partial or none
    #[arg(long, value_parser = parse_online)]
    online: Option<Online>,
    /// The approving decision; the procedure is then `status approved`
    #[arg(long)]
    decision: Option<String>,
    /// Language of messages (default: from LANG)
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

fn parse_id(text: &str) -> Result<String, String> {
    let mut chars = text.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not an identifier: use ASCII letters, digits and `_` (e.g. `cap_gpxd`)"
        ))
    }
}

fn parse_limit(text: &str) -> Result<Minutes, String> {
    let m = parse_duration(text).or(match durations::parse(text, None) {
        Some(durations::Duration::Time(m)) => Some(m),
        _ => None,
    });
    match m {
        Some(m) if m > 0 => Ok(m),
        _ => Err(format!(
            "`{text}` is not a duration: write e.g. `15d`, `4h` or \"15 ngày làm việc\""
        )),
    }
}

fn parse_level(text: &str) -> Result<Level, String> {
    Level::parse(text).ok_or_else(|| {
        format!(
            "`{text}` is not a level: use province or commune (ward and district are also read)"
        )
    })
}

fn parse_online(text: &str) -> Result<Online, String> {
    Online::parse(text)
        .ok_or_else(|| format!("`{text}` is not an online level: use full, partial or none"))
}

pub fn run(args: Args) -> ExitCode {
    let lang = language(args.lang, None);
    if let Some(out) = &args.output
        && out.exists()
        && !args.force
    {
        return fail(match lang {
            Lang::En => format!(
                "`{}` already exists; it was left unchanged\n  = help: choose another `-o` file, or add `--force` to replace it",
                out.display()
            ),
            Lang::Vi => format!(
                "`{}` đã có; tệp được giữ nguyên\n  = gợi ý: chọn tệp `-o` khác, hoặc thêm `--force` để ghi đè",
                out.display()
            ),
        });
    }
    let source = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.file.display().to_string());
    let options = Options {
        procedure_id: args.procedure_id,
        name: args.name,
        limit: args.limit,
        code: args.code,
        level: args.level,
        online: args.online,
        decision: args.decision,
    };
    let result = import::read(&args.file).and_then(|doc| import::import(&doc, &source, &options));
    let imported = match result {
        Ok(i) => i,
        Err(e) => {
            let prefix = match lang {
                Lang::En => format!("cannot import `{}`: ", args.file.display()),
                Lang::Vi => format!("không nhập được `{}`: ", args.file.display()),
            };
            return fail(format!("{prefix}{}", e.render(lang)));
        }
    };
    let summary = summary(&imported.procedures, &source, lang);
    match &args.output {
        Some(out) => {
            if let Err(e) = write_atomically(out, &imported.text) {
                return fail(format!("cannot write `{}`: {e}", out.display()));
            }
            print!("{summary}");
            match lang {
                Lang::En => println!("wrote {}", out.display()),
                Lang::Vi => println!("đã ghi {}", out.display()),
            }
        }
        None => {
            print!("{}", imported.text);
            eprint!("{summary}");
        }
    }
    ExitCode::SUCCESS
}

/// What was read, one paragraph per procedure; a mismatch of the times is a warning.
fn summary(procedures: &[Summary], source: &str, lang: Lang) -> String {
    let mut out = String::new();
    for p in procedures {
        let place = p.place.as_ref().map_or(String::new(), |t| match lang {
            Lang::En => format!(", {}", t.en),
            Lang::Vi => format!(", {}", t.vi),
        });
        let words = |m: Minutes| match lang {
            Lang::En => durations::to_words_en(m),
            Lang::Vi => durations::to_words_vi(m),
        };
        match lang {
            Lang::En => {
                out.push_str(&format!(
                    "imported `{source}`{place} → procedure `{}` “{}”\n  rows read: {}, steps: {}, agencies: {}, TODO comments: {}\n  sum of step times: {}",
                    p.id, p.name, p.rows, p.steps, p.agencies, p.todos, words(p.sum)
                ));
                match p.total {
                    Some((row, t)) if t == p.sum => {
                        out.push_str(&format!(" = total row {row}: {}\n", words(t)))
                    }
                    Some((row, t)) => out.push_str(&format!(
                        "\nwarning: the sum of step times ({}) differs from the total of row {row} ({})\n",
                        words(p.sum),
                        words(t)
                    )),
                    None => out.push_str("; the table has no total row\n"),
                }
                let from = match p.limit_from {
                    LimitSource::Option => "--limit",
                    LimitSource::TotalRow => "the total row",
                    LimitSource::Document => "the document",
                    LimitSource::Sum => "the sum of step times (TODO)",
                };
                out.push_str(&format!("  limit: {} (from {from})\n", words(p.limit)));
            }
            Lang::Vi => {
                out.push_str(&format!(
                    "đã nhập `{source}`{place} → quy trình `{}` “{}”\n  số dòng đã đọc: {}, số bước: {}, số cơ quan: {}, số ghi chú TODO: {}\n  tổng thời gian các bước: {}",
                    p.id, p.name, p.rows, p.steps, p.agencies, p.todos, words(p.sum)
                ));
                match p.total {
                    Some((row, t)) if t == p.sum => {
                        out.push_str(&format!(" = dòng tổng {row}: {}\n", words(t)))
                    }
                    Some((row, t)) => out.push_str(&format!(
                        "\ncảnh báo: tổng thời gian các bước ({}) khác tổng ghi ở dòng {row} ({})\n",
                        words(p.sum),
                        words(t)
                    )),
                    None => out.push_str("; bảng không có dòng tổng\n"),
                }
                let from = match p.limit_from {
                    LimitSource::Option => "--limit",
                    LimitSource::TotalRow => "dòng tổng",
                    LimitSource::Document => "tài liệu",
                    LimitSource::Sum => "tổng thời gian các bước (TODO)",
                };
                out.push_str(&format!("  thời hạn: {} (theo {from})\n", words(p.limit)));
            }
        }
    }
    out
}
