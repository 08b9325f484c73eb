//! Writing the `.proc` text of the tables read: agencies at the top of the file (shared by
//! its procedures), then one procedure per table with a sequential flow. Every guess is a
//! `// TODO (dòng N): …` comment naming the source row. The text goes through `fmt`.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use super::durations::{Duration, to_proc, to_words_vi};
use super::roles::{AgencyKind, Guess};
use super::table::Table;
use super::{
    Document, Grid, Import, ImportError, LimitSource, Merge, Options, Summary, kinds, roles,
};
use crate::diag::{FileId, Text};
use crate::fmt::{format, quote};
use crate::model::{DAY, Kind, Level, Minutes, Rank};
use crate::text::{ascii_ident, fold};

/// The longest procedure id derived from a name.
const MAX_ID: usize = 40;

struct AgencyDecl {
    id: String,
    name: String,
    roles: Vec<(String, String, Rank)>,
    /// Guesses about the agency, with the rows they come from.
    notes: Vec<(String, Vec<usize>)>,
}

/// The agencies declared, indexed by folded name and by id so that each row finds its
/// agency in constant time (a table may have tens of thousands of rows).
#[derive(Default)]
struct Agencies {
    list: Vec<AgencyDecl>,
    by_name: HashMap<String, usize>,
    ids: HashSet<String>,
    /// The next number to try after an id already taken.
    next_suffix: HashMap<String, usize>,
}

impl Agencies {
    /// The agency of that name, declared on first use.
    fn get(&mut self, kind: AgencyKind, name: &str) -> usize {
        let folded = fold(name);
        if let Some(&i) = self.by_name.get(&folded) {
            return i;
        }
        let base = match kind {
            AgencyKind::OneStop => "mc".to_string(),
            _ => {
                let id = ascii_ident(name);
                if id.is_empty() { "co_quan".into() } else { id }
            }
        };
        let mut id = base.clone();
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(2);
        while self.ids.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.next_suffix.insert(base, n);
        self.ids.insert(id.clone());
        self.by_name.insert(folded, self.list.len());
        self.list.push(AgencyDecl {
            id,
            name: name.to_string(),
            roles: Vec::new(),
            notes: Vec::new(),
        });
        self.list.len() - 1
    }

    fn role(&mut self, agency: usize, id: &str, name: &str, rank: Rank) {
        if let Some(a) = self.list.get_mut(agency)
            && !a.roles.iter().any(|(r, _, _)| r == id)
        {
            a.roles.push((id.to_string(), name.to_string(), rank));
        }
    }

    fn note(&mut self, agency: usize, note: &str, row: usize) {
        let Some(a) = self.list.get_mut(agency) else {
            return;
        };
        match a.notes.iter_mut().find(|(n, _)| n == note) {
            Some((_, rows)) => rows.push(row),
            None => a.notes.push((note.to_string(), vec![row])),
        }
    }
}

/// Writes every table of steps as a procedure.
pub fn emit(
    doc: &Document,
    tables: &[(&Grid, Table)],
    source: &str,
    options: &Options,
) -> Result<Import, ImportError> {
    let mut agencies = Agencies::default();
    let mut ids: Vec<String> = Vec::new();
    let mut procedures = Vec::new();
    let mut summaries = Vec::new();
    for (i, (grid, table)) in tables.iter().enumerate() {
        let (text, summary) = procedure(
            doc,
            grid,
            table,
            (i + 1, tables.len()),
            source,
            options,
            &mut agencies,
            &mut ids,
        );
        procedures.push(text);
        summaries.push(summary);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Nhập từ “{source}” bằng `quytrinh import`. Mỗi dòng `// TODO` là một điều cần kiểm tra lại."
    );
    for a in &agencies.list {
        out.push('\n');
        for (n, rows) in &a.notes {
            let rows = rows
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(out, "// TODO (dòng {rows}): {n}");
        }
        let _ = writeln!(out, "agency {} {} {{", a.id, quote(&a.name));
        let mut roles = a.roles.clone();
        roles.sort_by_key(|(_, _, rank)| *rank);
        for (id, name, rank) in roles {
            let _ = writeln!(out, "  role {id} {} rank {}", quote(&name), rank.as_str());
        }
        out.push_str("}\n");
    }
    for p in procedures {
        out.push('\n');
        out.push_str(&p);
    }
    let text = format(FileId(0), &out).map_err(|diags| {
        let first = diags
            .first()
            .map(|d| d.message.en.clone())
            .unwrap_or_default();
        ImportError::new(
            Text::new(
                format!("internal error: the imported text does not parse: {first}"),
                format!("lỗi nội bộ: văn bản nhập được không đọc lại được: {first}"),
            ),
            Text::new(
                "please report this file to the maintainers",
                "hãy gửi tệp này cho nhóm phát triển",
            ),
        )
    })?;
    Ok(Import {
        text,
        procedures: summaries,
    })
}

/// The lines written above a table: its caption, and the rows above its header.
fn caption(grid: &Grid, table: &Table) -> Vec<String> {
    let first_step = table.steps.first().map_or(usize::MAX, |s| s.row);
    let mut lines = grid.before.clone();
    for row in &grid.rows {
        if row.number >= first_step {
            break;
        }
        let own: Vec<&str> = row
            .cells
            .iter()
            .filter(|c| c.merge == Merge::None)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        // A row holding only its first cell is a title row; header rows hold several.
        if own.len() == 1 {
            lines.extend(own.iter().map(|t| t.to_string()));
        }
    }
    lines
}

/// A procedure name from a caption: the last line that is not a code, a time limit or a
/// decision, without its numbering and its "Tên thủ tục:" label.
fn title(lines: &[String]) -> Option<String> {
    let line = lines.iter().rev().find(|l| {
        let f = fold(l);
        !(f.contains("ma tthc")
            || f.contains("ma thu tuc")
            || f.contains("thoi han")
            || f.contains("kem theo")
            || f.contains("quyet dinh so")
            || l.starts_with('('))
            && l.chars().any(char::is_alphabetic)
    })?;
    let mut text = roles::one_line(line);
    // "1.", "1.2.", "I.", "a)", "-"
    if let Some((head, rest)) = text.split_once(' ')
        && head.len() <= 6
        && (head.ends_with('.') || head.ends_with(')') || head == "-")
        && head
            .trim_end_matches(['.', ')'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || "IVXivxabcdđ".contains(c))
    {
        text = rest.to_string();
    }
    if let Some((label, rest)) = text.split_once(':') {
        let f = fold(label);
        if (f.contains("thu tuc") || f.contains("quy trinh") || f.starts_with("ten"))
            && !rest.trim().is_empty()
        {
            text = rest.trim().to_string();
        }
    }
    let mut text = text.trim_end_matches(['.', ':']).trim().to_string();
    // "Quy trình nội bộ giải quyết thủ tục hành chính cấp…" → "Cấp…"
    let prefix = [
        "quy", "trinh", "noi", "bo", "giai", "quyet", "thu", "tuc", "hanh", "chinh",
    ];
    let words: Vec<&str> = text.split(' ').collect();
    let mut skip = 0;
    while skip < words.len()
        && words
            .get(skip)
            .is_some_and(|w| prefix.contains(&fold(w).as_str()))
    {
        skip += 1;
    }
    if (2..words.len().saturating_sub(1)).contains(&skip)
        && words.first().is_some_and(|w| fold(w) == "quy")
    {
        let rest = words.get(skip..).unwrap_or_default().join(" ");
        let mut chars = rest.chars();
        text = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
    }
    if text.is_empty() {
        return None;
    }
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 3 && letters.iter().all(|c| !c.is_lowercase()) {
        let lower = text.to_lowercase();
        let mut chars = lower.chars();
        return chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect());
    }
    Some(text)
}

/// A national procedure code ("1.009994") written in the lines.
fn code_in(lines: &[String]) -> Option<String> {
    lines.iter().find_map(|l| {
        l.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map(|w| w.trim_end_matches('.'))
            .find(|w| {
                w.split_once('.').is_some_and(|(a, b)| {
                    !a.is_empty()
                        && a.len() <= 2
                        && b.len() == 6
                        && a.chars().all(|c| c.is_ascii_digit())
                        && b.chars().all(|c| c.is_ascii_digit())
                })
            })
            .map(String::from)
    })
}

/// The approving decision named in the document ("… ban hành kèm theo Quyết định số
/// 1234/QĐ-UBND ngày 10/12/2023 …").
fn decision_in(lines: &[String]) -> Option<String> {
    lines.iter().find_map(|l| {
        let f = fold(l);
        if !f.contains("kem theo") {
            return None;
        }
        let words: Vec<&str> = l.split_whitespace().collect();
        let at = (0..words.len()).find(|&i| {
            words.get(i).is_some_and(|w| fold(w) == "quyet")
                && words
                    .get(i + 1)
                    .is_some_and(|w| fold(w).starts_with("dinh"))
        })?;
        let text = words.get(at..)?.join(" ");
        let text = text.split(')').next().unwrap_or_default();
        let text = text.trim_end_matches(['.', ',', ';', ')']).trim();
        (text.chars().any(|c| c.is_ascii_digit())).then(|| text.to_string())
    })
}

/// The level of government, guessed from the agencies named.
fn level_in(text: &str) -> Option<(Level, &'static str)> {
    let f = fold(text);
    let has = |w: &str| f.contains(w);
    if has("ubnd phuong")
        || has("ubnd xa")
        || has("ubnd thi tran")
        || has("uy ban nhan dan phuong")
        || has("uy ban nhan dan xa")
    {
        Some((Level::Commune, "UBND phường, xã"))
    } else if has("ubnd quan")
        || has("ubnd huyen")
        || has("uy ban nhan dan quan")
        || has("uy ban nhan dan huyen")
        || has("ubnd thanh pho thu duc")
    {
        Some((Level::District, "UBND quận, huyện"))
    } else if f
        .lines()
        .any(|l| l.starts_with("so ") || l.contains(" so "))
        || has("ubnd thanh pho")
        || has("uy ban nhan dan thanh pho")
    {
        Some((Level::Province, "Sở, UBND Thành phố"))
    } else {
        None
    }
}

/// An identifier from a name: ASCII words joined by `_`, at most [`MAX_ID`] characters.
fn id_from(name: &str) -> String {
    let full = ascii_ident(name);
    let mut id = String::new();
    for word in full.split('_') {
        if !id.is_empty() && id.len() + 1 + word.len() > MAX_ID {
            break;
        }
        if !id.is_empty() {
            id.push('_');
        }
        id.push_str(word);
    }
    if id.is_empty() || id == "_" {
        "quy_trinh".into()
    } else if id.starts_with(|c: char| c.is_ascii_digit()) {
        // An identifier may not start with a digit.
        format!("_{id}")
    } else {
        id
    }
}

#[allow(clippy::too_many_arguments)]
fn procedure(
    doc: &Document,
    grid: &Grid,
    table: &Table,
    (index, count): (usize, usize),
    source: &str,
    options: &Options,
    agencies: &mut Agencies,
    ids: &mut Vec<String>,
) -> (String, Summary) {
    let lines = caption(grid, table);
    let mut head: Vec<String> = Vec::new();
    let stem = std::path::Path::new(source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Quy trình".into());

    // Name and id.
    let name = match (&options.name, title(&lines)) {
        (Some(n), _) if count == 1 => n.clone(),
        (Some(n), _) => format!("{n} ({index})"),
        (None, Some(t)) => t,
        (None, None) => {
            head.push(format!(
                "tài liệu không ghi tên quy trình phía trên bảng: đã dùng tên tệp “{stem}”"
            ));
            if count == 1 {
                stem.clone()
            } else {
                format!("{stem} ({index})")
            }
        }
    };
    let base = match &options.procedure_id {
        Some(id) if count == 1 => id.clone(),
        Some(id) => format!("{id}_{index}"),
        None => id_from(&name),
    };
    let mut id = base.clone();
    let mut n = 2;
    while ids.contains(&id) {
        id = format!("{base}_{n}");
        n += 1;
    }
    ids.push(id.clone());

    // Who does each step.
    let guesses: Vec<Guess> = table.steps.iter().map(|s| roles::guess(&s.actor)).collect();
    let named = |kind: AgencyKind| {
        guesses
            .iter()
            .find(|g| !g.citizen && g.kind == kind && g.agency.is_some())
            .and_then(|g| g.agency.clone())
    };
    let (named_department, named_organisation) = (
        named(AgencyKind::Department),
        named(AgencyKind::Organisation),
    );
    let mut actors: Vec<Option<(usize, &'static str)>> = Vec::new();
    let mut used: Vec<usize> = Vec::new();
    let mut used_set: HashSet<usize> = HashSet::new();
    for (step, g) in table.steps.iter().zip(&guesses) {
        if g.citizen {
            actors.push(None);
            continue;
        }
        let (agency_name, fallback_note) = match (&g.agency, g.kind) {
            (Some(n), _) => (n.clone(), None),
            (None, AgencyKind::OneStop) => ("Bộ phận Một cửa".to_string(), None),
            (None, AgencyKind::Department) => match (&named_department, &named_organisation) {
                (Some(n), _) => (n.clone(), Some("không ghi tên phòng: đã gán cho phòng này")),
                (None, Some(n)) => (
                    n.clone(),
                    Some("không ghi tên phòng, bảng không nêu phòng nào: đã gán cho cơ quan này"),
                ),
                (None, None) => (
                    "Phòng chuyên môn".to_string(),
                    Some("bảng không ghi tên phòng: ghi tên phòng thụ lý"),
                ),
            },
            (None, AgencyKind::Organisation) => match &named_organisation {
                Some(n) => (
                    n.clone(),
                    Some("không ghi tên cơ quan: đã gán cho cơ quan này"),
                ),
                None => (
                    "Cơ quan giải quyết".to_string(),
                    Some("bảng không ghi tên cơ quan: ghi tên cơ quan giải quyết"),
                ),
            },
        };
        let a = agencies.get(g.kind, &agency_name);
        agencies.role(a, g.role_id, g.role_name, g.rank);
        if let Some(note) = fallback_note {
            agencies.note(a, note, step.row);
        }
        if used_set.insert(a) {
            used.push(a);
        }
        actors.push(Some((a, g.role_id)));
    }

    // Steps.
    let mut steps_text = String::new();
    let mut sum: Minutes = 0;
    let mut kinds_written: Vec<Kind> = Vec::new();
    // The rows whose merged time cell belongs to each row, found once for the whole table.
    let mut shared_rows: HashMap<usize, Vec<usize>> = HashMap::new();
    for s in &table.steps {
        if let Some(origin) = s.time_shared_with {
            shared_rows.entry(origin).or_default().push(s.row);
        }
    }
    for (k, ((step, g), actor)) in table.steps.iter().zip(&guesses).zip(&actors).enumerate() {
        let mut notes: Vec<String> = g.notes.clone();
        let (mut kind, guessed) = kinds::infer(&step.content);
        if guessed {
            notes.push("không nhận ra động từ của bước: đã coi là `kind process`".into());
        }
        if g.citizen && !matches!(kind, Kind::Supplement | Kind::Pay | Kind::Deliver) {
            notes.push(format!(
                "bước do người dân thực hiện: đã coi là `kind supplement` (thay vì `{}`)",
                kind.as_str()
            ));
            kind = Kind::Supplement;
        }
        if kind == Kind::Sign && !g.citizen && g.rank == Rank::Staff {
            notes.push(
                "bước ký nhưng người thực hiện không phải lãnh đạo: kiểm tra `kind` và `by`".into(),
            );
        }
        if kind == Kind::Reject && k + 1 < table.steps.len() {
            notes.push("bước từ chối nằm giữa luồng tuần tự: tách thành nhánh `when`".into());
        }
        if step.actor_repeated {
            notes.push("ô người thực hiện để trống: đã dùng người thực hiện của bước trên".into());
        }
        if step.content_missing {
            notes.push("ô nội dung công việc để trống: ghi tên bước".into());
        }
        let untimed = g.citizen || kind == Kind::Deliver;
        let takes: Option<Minutes> = match (step.time_shared_with, step.time) {
            (Some(origin), _) if !untimed => {
                notes.push(format!(
                    "ô thời gian gộp với dòng {origin}: thời gian đã tính hết cho bước ở dòng {origin}"
                ));
                Some(0)
            }
            (Some(_), _) => None,
            (None, Duration::Time(m)) if g.citizen => {
                if m > 0 {
                    notes.push(format!(
                        "thời gian của người dân không được tính: đã bỏ “{}”",
                        roles::one_line(&step.time_text)
                    ));
                }
                None
            }
            (None, Duration::Time(m)) => {
                let shared: &[usize] = shared_rows.get(&step.row).map_or(&[], Vec::as_slice);
                if !shared.is_empty() {
                    notes.push(format!(
                        "ô thời gian “{}” gộp cho cả dòng {}: đã tính hết vào bước này",
                        roles::one_line(&step.time_text),
                        shared
                            .iter()
                            .map(|r| r.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                Some(m)
            }
            (None, Duration::SameDay) => {
                notes.push("bảng ghi “Trong ngày”: đã tính 1 ngày làm việc".into());
                Some(DAY)
            }
            (None, _) if untimed => None,
            (None, d) => {
                let why = match d {
                    Duration::NotCounted => "bảng ghi “Không tính thời gian”",
                    Duration::Unspecified => "bảng ghi “Không quy định”",
                    Duration::OfficeHours => {
                        "bảng ghi “Giờ hành chính” (làm ngay trong giờ hành chính, không tính vào tổng)"
                    }
                    _ => "ô thời gian để trống",
                };
                notes.push(format!(
                    "{why}: đã ghi `takes 0min`; ghi thời gian thực tế của bước"
                ));
                Some(0)
            }
        };
        sum = sum.saturating_add(takes.unwrap_or(0));
        kinds_written.push(kind);
        steps_text.push('\n');
        for n in &notes {
            let _ = writeln!(steps_text, "  // TODO (dòng {}): {n}", step.row);
        }
        let _ = writeln!(
            steps_text,
            "  step b{} {} {{",
            k + 1,
            quote(&step_name(&step.content))
        );
        match actor {
            Some((a, role)) => {
                let agency = agencies.list.get(*a).map_or("", |x| x.id.as_str());
                let _ = writeln!(steps_text, "    by {agency}.{role}");
            }
            None => steps_text.push_str("    by citizen\n"),
        }
        let _ = writeln!(steps_text, "    kind {}", kind.as_str());
        if let Some(m) = takes {
            let _ = writeln!(steps_text, "    takes {}", to_proc(m));
        }
        if fold(&step.content).contains("so hoa") {
            steps_text.push_str("    digitize\n");
        }
        for r in &step.results {
            let _ = writeln!(steps_text, "    produces {}", quote(r));
        }
        steps_text.push_str("  }\n");
    }
    if let Some(last) = kinds_written.last()
        && !last.is_terminal()
        && let Some(row) = table.steps.last().map(|s| s.row)
    {
        head.push(format!(
            "(dòng {row}): bước cuối không phải trả kết quả hay từ chối: thêm bước trả kết quả"
        ));
    }

    // Attributes.
    let place_all: Vec<String> = if count == 1 {
        lines.iter().chain(doc.text.iter()).cloned().collect()
    } else {
        lines.clone()
    };
    let mut attrs = String::new();
    match options.code.clone().or_else(|| code_in(&place_all)) {
        Some(code) => {
            let _ = writeln!(attrs, "  code {}", quote(&code));
        }
        None => {
            attrs.push_str("  // TODO: ghi mã thủ tục hành chính (mã TTHC trên Cổng Dịch vụ công quốc gia), hoặc dùng `--code`\n");
            attrs.push_str("  code \"TODO\"\n");
        }
    }
    // Agency names on lines of their own, then the responsibilities and the caption.
    let actor_text: String = used
        .iter()
        .filter_map(|a| agencies.list.get(*a).map(|x| x.name.as_str()))
        .chain(table.steps.iter().map(|s| s.actor.as_str()))
        .chain(place_all.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("\n");
    match (options.level, level_in(&actor_text)) {
        (Some(l), _) => {
            let _ = writeln!(attrs, "  level {}", l.as_str());
        }
        (None, Some((l, from))) => {
            let _ = writeln!(
                attrs,
                "  // TODO: cấp giải quyết suy ra từ tên cơ quan ({from}): kiểm tra lại, hoặc dùng `--level`"
            );
            let _ = writeln!(attrs, "  level {}", l.as_str());
        }
        (None, None) => {
            attrs.push_str("  // TODO: không rõ cấp giải quyết: đã ghi `province`; sửa lại, hoặc dùng `--level`\n");
            attrs.push_str("  level province\n");
        }
    }
    let total = table.total;
    let doc_limit = lines
        .iter()
        .filter(|l| fold(l).contains("thoi han"))
        .find_map(|l| super::durations::find_in(l));
    let (limit, limit_from) = match (options.limit, total, doc_limit) {
        (Some(l), _, _) => (l, LimitSource::Option),
        (None, Some((_, t)), _) => (t, LimitSource::TotalRow),
        (None, None, Some(l)) => (l, LimitSource::Document),
        (None, None, None) => (sum, LimitSource::Sum),
    };
    if limit_from == LimitSource::Sum {
        attrs.push_str("  // TODO: bảng không có dòng “Tổng thời gian”: `limit` lấy bằng tổng thời gian các bước; ghi thời hạn giải quyết theo quy định, hoặc dùng `--limit`\n");
    }
    if let Some((row, t)) = total
        && t != sum
    {
        let _ = writeln!(
            attrs,
            "  // TODO (dòng {row}): tổng thời gian các bước ({}) khác tổng ghi trong bảng ({})",
            to_words_vi(sum),
            to_words_vi(t)
        );
    }
    if limit == 0 {
        attrs.push_str("  // TODO: thời hạn bằng 0: đã ghi `limit 1d`; ghi thời hạn giải quyết theo quy định\n");
    }
    let limit = if limit == 0 { DAY } else { limit };
    let _ = writeln!(attrs, "  limit {}", to_proc(limit));
    // The online level and the approving decision are said once for the whole document.
    let document: Vec<String> = lines.iter().chain(doc.text.iter()).cloned().collect();
    let all_text = fold(&document.join("\n"));
    match options.online {
        Some(o) => {
            let _ = writeln!(attrs, "  online {}", o.as_str());
        }
        None if all_text.contains("toan trinh") => {
            attrs.push_str("  // TODO: tài liệu ghi “toàn trình”: kiểm tra mức dịch vụ công trực tuyến, hoặc dùng `--online`\n");
            attrs.push_str("  online full\n");
        }
        None if all_text.contains("mot phan") => {
            attrs.push_str("  // TODO: tài liệu ghi “một phần”: kiểm tra mức dịch vụ công trực tuyến, hoặc dùng `--online`\n");
            attrs.push_str("  online partial\n");
        }
        None => {
            attrs.push_str("  // TODO: ghi mức dịch vụ công trực tuyến (`full` toàn trình, `partial` một phần, `none`), hoặc dùng `--online`\n");
            attrs.push_str("  online partial\n");
        }
    }
    match options
        .decision
        .clone()
        .map(|d| (d, false))
        .or_else(|| decision_in(&document).map(|d| (d, true)))
    {
        Some((d, guessed)) => {
            if guessed {
                attrs.push_str(
                    "  // TODO: quyết định phê duyệt đọc từ tài liệu: kiểm tra số và ngày\n",
                );
            }
            attrs.push_str("  status approved\n");
            let _ = writeln!(attrs, "  decision {}", quote(&d));
        }
        None => {
            attrs.push_str("  // Bản nháp: khi Chủ tịch đã phê duyệt, ghi `status approved` và `decision \"Quyết định số …\"`.\n");
            attrs.push_str("  status draft\n");
        }
    }

    // The whole procedure.
    let mut text = String::new();
    let rows = match (table.steps.first(), table.steps.last()) {
        (Some(a), Some(b)) => format!("dòng {}–{}", a.row, b.row),
        _ => String::new(),
    };
    let place = grid
        .place
        .as_ref()
        .map_or(String::new(), |p| format!("{}, ", p.vi));
    let _ = writeln!(text, "// Từ “{source}”, {place}{rows}.");
    for n in &head {
        if n.starts_with('(') {
            let _ = writeln!(text, "// TODO {n}");
        } else {
            let _ = writeln!(text, "// TODO: {n}");
        }
    }
    for (row, why) in &table.skipped {
        let _ = writeln!(text, "// TODO (dòng {row}): đã bỏ qua {why}");
    }
    let _ = writeln!(text, "procedure {id} {} {{", quote(&name));
    text.push_str(&attrs);
    text.push_str(&steps_text);
    if table.steps.len() > 1 {
        let chain = (1..=table.steps.len())
            .map(|k| format!("b{k}"))
            .collect::<Vec<_>>()
            .join(" -> ");
        let _ = writeln!(text, "\n  flow {chain}");
    }
    text.push_str("}\n");
    let todos = text.matches("// TODO").count();
    let summary = Summary {
        id,
        name,
        place: grid.place.clone(),
        rows: table.rows,
        steps: table.steps.len(),
        agencies: used.len(),
        sum,
        total,
        limit,
        limit_from,
        todos,
    };
    (text, summary)
}

/// A step name from a description: its lines joined, bullets removed.
fn step_name(content: &str) -> String {
    let lines = super::table::lines(content);
    let mut out = String::new();
    for l in lines {
        if !out.is_empty() {
            if out.ends_with([':', ',', ';', '.']) {
                out.push(' ');
            } else {
                out.push_str("; ");
            }
        }
        out.push_str(&l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_captions() {
        let t = |l: &[&str]| title(&l.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            t(&["1. Thủ tục: Cấp giấy phép xây dựng", "Mã TTHC: 1.009994"]),
            Some("Cấp giấy phép xây dựng".into())
        );
        assert_eq!(
            t(&["QUY TRÌNH ĐĂNG KÝ KHAI SINH"]),
            Some("Đăng ký khai sinh".into())
        );
        assert_eq!(t(&[]), None);
    }

    #[test]
    fn codes_and_decisions_in_text() {
        let l = |s: &str| vec![s.to_string()];
        assert_eq!(code_in(&l("Mã TTHC: 1.009994.")), Some("1.009994".into()));
        assert_eq!(code_in(&l("ngày 10.12.2023")), None);
        assert_eq!(
            decision_in(&l(
                "(Ban hành kèm theo Quyết định số 1234/QĐ-UBND ngày 10/12/2023 của Chủ tịch UBND)"
            )),
            Some("Quyết định số 1234/QĐ-UBND ngày 10/12/2023 của Chủ tịch UBND".into())
        );
    }

    #[test]
    fn ids_never_start_with_a_digit() {
        assert_eq!(id_from("01 ngày"), "_01_ngay");
    }

    #[test]
    fn ids_are_short_identifiers() {
        assert_eq!(id_from("Cấp giấy phép xây dựng"), "cap_giay_phep_xay_dung");
        assert!(id_from(&"rất dài ".repeat(20)).len() <= MAX_ID);
        assert_eq!(id_from("!!!"), "quy_trinh");
    }
}
